#pragma once

#include <plugboard_client_export.h>

#include "../protocol/siopacket.h"

#include <QtCore/QByteArray>
#include <QtCore/QCborMap>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtNetwork/QSslConfiguration>

#include <functional>
#include <limits>

namespace Plugboard::Io {

// engine.io-client's options, with its names and defaults.
struct PLUGBOARD_CLIENT_EXPORT EngineClientOptions
{
    // Where Engine.IO is served; Manager defaults it to "/socket.io".
    QString path = QStringLiteral("/engine.io");
    bool addTrailingSlash = true;
    QList<QPair<QString, QString>> query;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    // Tried in this order: the first opens the session, the others are upgrades.
    QStringList transports = {QStringLiteral("polling"), QStringLiteral("websocket")};
    bool upgrade = true;
    // Starts with WebSocket when a WebSocket upgrade succeeded before in this process.
    bool rememberUpgrade = false;
    // A random "t" parameter on every polling request, against caches.
    bool timestampRequests = true;
    QString timestampParam = QStringLiteral("t");
    // Keeps the cookies the server sets (sticky-session cookies of load balancers) and sends
    // them on every request of this connection, WebSocket included.
    bool withCredentials = false;
    // TLS for https:// and wss://; rejectUnauthorized=false accepts any certificate.
    QSslConfiguration sslConfiguration = QSslConfiguration::defaultConfiguration();
    bool rejectUnauthorized = true;
    // ws:// through Plugboard's own frames on an unbuffered socket (a third of QWebSocket's
    // system calls a message); false, or wss://, uses QtWebSockets.
    bool nativeWebSocket = true;
    // Not in engine.io-client, which trusts its server: the largest polling response or
    // WebSocket message taken from the server before the connection is dropped.
    qint64 maxIncomingBytes = 64 * 1024 * 1024;
};

// socket.io-client's Manager options.
struct PLUGBOARD_CLIENT_EXPORT ManagerOptions
{
    EngineClientOptions engine = defaultEngineOptions();
    bool reconnection = true;
    int reconnectionAttempts = std::numeric_limits<int>::max();
    int reconnectionDelay = 1000;
    int reconnectionDelayMax = 5000;
    double randomizationFactor = 0.5;
    // How long a connection attempt may take before it fails with "timeout".
    int timeout = 20000;
    bool autoConnect = true;
    SocketIO::Parser parser = SocketIO::Parser::Default;

    static EngineClientOptions defaultEngineOptions()
    {
        EngineClientOptions options;
        options.path = QStringLiteral("/socket.io");
        return options;
    }
};

// socket.io-client's Socket options.
struct PLUGBOARD_CLIENT_EXPORT SocketOptions
{
    using AuthReply = std::function<void(const QCborMap &auth)>;
    // The CONNECT payload: a value, or a callback asked before every connection attempt.
    QCborMap auth;
    std::function<void(const AuthReply &reply)> authCallback;
    // At-least-once delivery: every emit waits in a queue until acknowledged, is sent again
    // after ackTimeout, and fails after this many retries. 0: off.
    int retries = 0;
    // The timeout of every emit with an ack callback; 0: none (Node's default, undefined).
    int ackTimeout = 0;
};

} // namespace Plugboard::Io
