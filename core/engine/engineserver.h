#pragma once

#include <plugboard_core_export.h>

#include "../http/httphandler.h"
#include "../protocol/engineerror.h"
#include "closereason.h"
#include "enginemiddleware.h"
#include "engineoptions.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QTcpSocket;
class QWebSocketServer;

namespace Plugboard {

class EngineSocket;
class WriteCoalescer;
class Transport;
class HttpConnection;
class HttpServer;
struct HttpResponse;

// The Engine.IO v4 server: handshakes, session lookup, polling requests and WebSocket
// upgrades on one path of an HttpServer (Node's engine.io Server).
class PLUGBOARD_CORE_EXPORT EngineServer : public QObject, public HttpHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineServer)

public:
    explicit EngineServer(const EngineOptions &options = {}, QObject *parent = nullptr);
    ~EngineServer() override;

    const EngineOptions &options() const { return m_options; }
    // Mounts the engine on an HTTP front (not owned).
    void attach(HttpServer *http);

    int clientsCount() const { return int(m_sessions.size()); }

    // Totals since the server started: Engine.IO messages and their payload bytes.
    struct Counters
    {
        quint64 messagesIn = 0;
        quint64 messagesOut = 0;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };
    const Counters &counters() const { return m_counters; }
    Counters &mutableCounters() { return m_counters; }
    EngineSocket *session(const QString &id) const { return m_sessions.value(id); }
    QList<EngineSocket *> sessions() const { return m_sessions.values(); }
    // Closes every session (reason "forced close" unless given).
    void closeAll(CloseReason reason);

    // Node's engine.use(): middleware in the order added, on every Engine.IO HTTP request.
    void use(EngineMiddleware middleware);
    // Node's engine.on("initial_headers") and engine.on("headers").
    void onInitialHeaders(EngineHeadersHook hook);
    void onHeaders(EngineHeadersHook hook);

    // HttpHandler
    bool matches(const HttpRequest &request) const override;
    void handleRequest(const HttpRequest &request, HttpConnection *connection) override;
    void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) override;
    qsizetype maxBodySize() const override { return m_options.maxHttpBufferSize; }

Q_SIGNALS:
    // A new session has completed its handshake.
    void newConnection(Plugboard::EngineSocket *socket);
    // The last open session has closed.
    void sessionsEnded();
    // A request was refused (useful for logs and metrics).
    void connectionError(const Plugboard::HttpRequest &request, Plugboard::EngineIO::RequestError error,
                         const QString &message);

private:
    struct Verdict
    {
        bool ok = true;
        EngineIO::RequestError error = EngineIO::RequestError::BadRequest;
        QString message;
    };
    Verdict verify(const HttpRequest &request, bool upgrade) const;
    void respondError(const HttpRequest &request, HttpConnection *connection, const Verdict &verdict);
    void handshakePolling(const HttpRequest &request, HttpConnection *connection);
    void proceedWithRequest(const HttpRequest &request, HttpConnection *connection);
    void proceedWithUpgrade(const HttpRequest &request, QTcpSocket *socket);
    // Runs the middleware chain, then done(request with the middleware's headers) unless a
    // middleware refused, in which case refuse(answer) is called instead.
    // A WebSocket ready for Engine.IO: a new session, or the probe of an existing one.
    void adoptWebSocket(Transport *transport, const HttpRequest &request);
    // wsEngine: Native: the handshake answered here, the frames read by libwslay.
    void acceptNativeUpgrade(const HttpRequest &request, QTcpSocket *socket);
    void runMiddleware(const HttpRequest &request, const QObject *context,
                       std::function<void(const HttpRequest &)> done,
                       std::function<void(const HttpResponse &)> refuse);
    // The headers every answer gets (the middleware's, CORS) and those of transport answers
    // (no-store, the hooks).
    void finishResponse(const HttpRequest &request, HttpResponse &response) const;
    void finishTransportResponse(const HttpRequest &request, HttpResponse &response) const;
    QList<HttpHeader> hookHeaders(const HttpRequest &request) const;
    void onWebSocketConnection();
    void registerSession(EngineSocket *socket);
    static QString generateId();

    EngineOptions m_options;
    QString m_path; // with a trailing '/'
    QWebSocketServer *m_webSocketServer;
    WriteCoalescer *m_writeCoalescer;
    QHash<QString, EngineSocket *> m_sessions;
    struct PendingUpgrade
    {
        QPointer<QTcpSocket> socket;
        HttpRequest request;
    };
    QList<PendingUpgrade> m_pendingUpgrades;
    Counters m_counters;
    QList<EngineMiddleware> m_middleware;
    QList<EngineHeadersHook> m_initialHeadersHooks;
    QList<EngineHeadersHook> m_headersHooks;
};

} // namespace Plugboard
