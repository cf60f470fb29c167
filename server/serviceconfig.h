#pragma once

#include <admin/adminoptions.h>
#include <sio/serveroptions.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace Plugboard {

// Who may connect to a hub namespace.
struct HubAuthConfig
{
    enum class Type { None, Tokens, Jwt };
    Type type = Type::None;
    QList<QByteArray> tokens; // Type::Tokens
    QByteArray secret;        // Type::Jwt (HS256)
    QString issuer;           // checked when set
    QString audience;         // checked when set
    int leewaySeconds = 0;    // clock skew allowed on exp and nbf
};

// Events per window, counted per socket and event name.
struct RateLimitConfig
{
    int windowMs = 1000;
    int maxEvents = 0;               // 0: no limit unless the event has its own
    QHash<QString, int> perEvent;    // event name to its own limit
    int disconnectAfter = 0;         // refusals before the socket is disconnected; 0: never

    bool isEnabled() const { return maxEvents > 0 || !perEvent.isEmpty(); }
};

// Client events POSTed to a backend, whose reply becomes the acknowledgement.
struct ForwardConfig
{
    QUrl url;
    QStringList events;
    int timeoutMs = 5000;
    int maxConcurrent = 64;
    qint64 maxResponseBytes = 1024 * 1024;
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct HubNamespaceConfig
{
    QString name = QStringLiteral("/");
    HubAuthConfig auth;
    // Rooms a client may enter with `subscribe`: `*` matches any non-empty text, `{claim}`
    // a claim of the client's token.
    QStringList rooms;
    int maxRoomsPerSocket = 100;
    RateLimitConfig rateLimit;
    std::optional<ForwardConfig> forward;
};

struct ApiConfig
{
    QList<QByteArray> keys; // no key: every API call is refused
    qint64 maxBodyBytes = 1024 * 1024;
    int maxAckTimeoutMs = 60000;
};

struct ShutdownConfig
{
    QString event = QStringLiteral("server-shutting-down");
    int reconnectInMs = 5000;
    int drainTimeoutMs = 10000;
};

struct LogConfig
{
    enum class Format { Text, Json };
    Format format = Format::Text;
    QtMsgType level = QtInfoMsg;
};

// Node's `adapter`: in memory (one server), or the Redis adapter that joins a cluster.
struct AdapterConfig
{
    enum class Type { Memory, Redis };
    Type type = Type::Memory;
    QString url = QStringLiteral("redis://127.0.0.1:6379");
    QString key = QStringLiteral("socket.io");
    int requestsTimeout = 5000;
    // "classic" (PUBLISH/SUBSCRIBE, Node's createAdapter) or "sharded" (Redis 7
    // SPUBLISH/SSUBSCRIBE, Node's createShardedAdapter, with its subscriptionMode).
    QString mode = QStringLiteral("classic");
    QString subscriptionMode = QStringLiteral("dynamic");
};

struct TlsConfig
{
    QString certificateFile; // PEM, the server certificate first, then its chain
    QString keyFile;         // PEM, unencrypted

    bool isEnabled() const { return !certificateFile.isEmpty(); }
};

// The admin-ui protocol (Node's instrument() options), and the official UI's files served
// from this server.
struct AdminConfig
{
    bool enabled = false;
    AdminOptions options;
    bool serveUi = false;   // the UI at /admin/
    QString uiDir;          // empty: search the usual places (the npm package's ui/dist)
};

// The namespace `plugboard` runs without a config file: anyone may connect and enter
// `public:*` rooms.
HubNamespaceConfig defaultHubNamespace();
// redis://[[user]:password@]host[:port][/db]
bool validateRedisUrl(const QString &url, QString *error);

// Everything the plugboard program is configured with (command line over config file).
struct ServiceConfig
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 3000;
    ServerOptions server;

    QList<HubNamespaceConfig> namespaces{defaultHubNamespace()};
    ApiConfig api;
    ShutdownConfig shutdown;
    LogConfig log;
    TlsConfig tls;
    AdapterConfig adapter;
    // Node's serveClient: the browser bundle at <path>socket.io.js.
    bool serveClient = true;
    QString clientBundleDir; // empty: search the usual places
    bool demo = false;       // the demo page at /demo/
    AdminConfig admin;
};

// Reads a config file (JSON; // and /* */ comments allowed). On failure, *error lists every
// problem, one a line, each with its JSON path (e.g. "namespaces[1].rooms: expected array").
std::optional<ServiceConfig> loadServiceConfig(const QString &path, QString *error);
// The same from the file's content; `base` supplies what the file leaves out.
std::optional<ServiceConfig> parseServiceConfig(const QByteArray &json, QString *error,
                                                const ServiceConfig &base = {});

} // namespace Plugboard
