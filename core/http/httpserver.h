#pragma once

#include "httphandler.h"
#include "httpresponse.h"

#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QObject>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslConfiguration>

#include <functional>

class QTcpServer;

namespace Plugboard {
class HttpConnection;
}

namespace Plugboard {

// The HTTP/1.1 front: accepts TCP connections (TCP_NODELAY, a deep backlog), parses requests
// and routes them to mounted handlers; WebSocket upgrades go to the handler whose path matches.
class HttpServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    struct Options
    {
        qsizetype maxHeaderSize = 16 * 1024;
        int keepAliveTimeout = 5000; // ms an idle keep-alive connection stays open (Node: 5 s)
        int headersTimeout = 60000;  // ms to receive a complete request (Node: 60 s)
        int listenBacklog = 1024;
    };

    explicit HttpServer(QObject *parent = nullptr);
    explicit HttpServer(Options options, QObject *parent = nullptr);
    ~HttpServer() override;

    // Serve HTTPS (and so wss) instead of HTTP: set before listen(). The configuration needs
    // a local certificate and private key.
    void setSslConfiguration(const QSslConfiguration &configuration);
    bool isSecure() const { return !m_sslConfiguration.isNull(); }

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    // Stops accepting connections. With a callback, as Node's server.close(callback): idle
    // keep-alive connections close now, busy ones after their answer, and the callback runs
    // once none is left (connections handed to a WebSocket are no longer the server's).
    void close(std::function<void()> closed = {});
    bool isClosing() const { return m_closing; }
    qsizetype connectionCount() const { return m_connections.size(); }
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const;

    // Handlers are tried in order; the first whose matches() is true gets the request.
    // Not owned.
    void addHandler(HttpHandler *handler);
    void removeHandler(HttpHandler *handler);
    // Answers requests no handler takes (default: 404).
    void setFallbackResponse(const HttpResponse &response) { m_fallback = response; }

    const Options &options() const { return m_options; }

    // For HttpConnection.
    HttpHandler *handlerFor(const HttpRequest &request) const;
    const HttpResponse &fallbackResponse() const { return m_fallback; }
    // The largest body any mounted handler accepts; handlers check their own limit.
    qsizetype maxBodySize() const;
    // A connection stopped being the server's (closed or handed to a WebSocket).
    void releaseConnection(HttpConnection *connection);

Q_SIGNALS:
    void connectionAccepted();

private:
    void onNewConnection();

    void createTcpServer();

    Options m_options;
    QSslConfiguration m_sslConfiguration;
    QTcpServer *m_tcpServer = nullptr;
    QList<HttpHandler *> m_handlers;
    HttpResponse m_fallback;
    QSet<HttpConnection *> m_connections;
    bool m_closing = false;
    std::function<void()> m_closed;
};

} // namespace Plugboard
