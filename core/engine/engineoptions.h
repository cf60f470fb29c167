#pragma once

#include <plugboard_core_export.h>

#include "../http/cors.h"
#include "../http/httprequest.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <functional>
#include <optional>

namespace Plugboard {

// Engine.IO server options; names and defaults are Node's engine.io 6.6 ones.
struct PLUGBOARD_CORE_EXPORT EngineOptions
{
    int pingInterval = 25000;
    int pingTimeout = 20000;
    int upgradeTimeout = 10000;
    qint64 maxHttpBufferSize = 1000000;
    QStringList transports{QStringLiteral("polling"), QStringLiteral("websocket")};
    bool allowUpgrades = true;
    // Node's allowEIO3: Engine.IO v3 clients (socket.io-client 2.x) may connect; a request
    // without EIO=4 is then taken for v3, as Node does.
    bool allowEIO3 = false;
    QString path = QStringLiteral("/engine.io/");
    // No value: no CORS headers, like Node without the `cors` option.
    std::optional<CorsOptions> cors;
    // Decides whether a handshake may proceed; return false and set *message to refuse
    // (HTTP 403, code 4).
    std::function<bool(const HttpRequest &request, QString *message)> allowRequest;
    // Node's wsEngine: which WebSocket implementation serves upgrades. Native: Plugboard's
    // HTTP front answers the handshake (so the headers hooks and Engine.IO middleware reach
    // the 101) and libwslay reads the frames; it also speaks permessage-deflate. Qt: QtWebSockets.
    enum class WebSocketEngine { Qt, Native };
    WebSocketEngine wsEngine = WebSocketEngine::Qt;
    // Node's perMessageDeflate (off by default, as in Node): WebSocket messages of at least
    // `threshold` bytes go compressed to clients that offer the extension. Native engine only.
    struct PerMessageDeflateOptions
    {
        bool enabled = false;
        qint64 threshold = 1024;
    } perMessageDeflate;

    // Node's httpCompression: polling responses of at least `threshold` bytes are sent gzip-
    // or deflate-encoded to clients that accept it, unless every message in them was sent
    // with compress(false).
    struct HttpCompressionOptions
    {
        bool enabled = true;
        qint64 threshold = 1024;
    } httpCompression;

    // Plugboard's own limits.
    // Bytes queued for one peer (engine buffer plus socket buffer) beyond which the peer is
    // considered unable to keep up and is closed with reason "write buffer full".
    qint64 maxWriteBufferSize = 64ll * 1024 * 1024;
    // A volatile message is dropped for a WebSocket peer with more than this many bytes
    // still unsent.
    qint64 volatileHighWaterMark = 64 * 1024;
};

} // namespace Plugboard
