#include "httpserver.h"

#include "httpconnection.h"
#include "logging.h"

#include <QtNetwork/QSslServer>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <utility>

namespace Plugboard {

HttpServer::HttpServer(QObject *parent) : HttpServer(Options(), parent) {}

HttpServer::HttpServer(Options options, QObject *parent) : QObject(parent), m_options(options)
{
    m_fallback = HttpResponse::text(404, "Not Found");
    createTcpServer();
}

void HttpServer::createTcpServer()
{
    delete m_tcpServer;
    if (m_sslConfiguration.isNull()) {
        m_tcpServer = new QTcpServer(this);
    } else {
        auto *sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(m_sslConfiguration);
        connect(sslServer, &QSslServer::errorOccurred, this,
                [](QSslSocket *socket, QAbstractSocket::SocketError) {
                    qCDebug(lcHttp) << "TLS connection failed:" << socket->errorString();
                });
        m_tcpServer = sslServer;
    }
    m_tcpServer->setListenBacklogSize(m_options.listenBacklog);
    // QSslServer hands out connections once their handshake is done (pendingConnectionAvailable);
    // onNewConnection takes whatever is ready, so both signals are safe.
    connect(m_tcpServer, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::onNewConnection);
}

void HttpServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_sslConfiguration = configuration;
    if (!m_tcpServer->isListening())
        createTcpServer();
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    const bool ok = m_tcpServer->listen(address, port);
    if (ok)
        qCInfo(lcHttp) << "listening on" << address.toString() << m_tcpServer->serverPort();
    else
        qCWarning(lcHttp) << "cannot listen on" << address.toString() << port << m_tcpServer->errorString();
    return ok;
}

void HttpServer::close(std::function<void()> closed)
{
    m_tcpServer->close();
    if (!closed)
        return;
    m_closing = true;
    m_closed = std::move(closed);
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeIfIdle();
    if (m_connections.isEmpty())
        QMetaObject::invokeMethod(this, [this] { releaseConnection(nullptr); }, Qt::QueuedConnection);
}

void HttpServer::releaseConnection(HttpConnection *connection)
{
    m_connections.remove(connection);
    if (!m_closing || !m_connections.isEmpty() || !m_closed)
        return;
    m_closing = false;
    const std::function<void()> closed = std::exchange(m_closed, {});
    closed();
}

bool HttpServer::isListening() const
{
    return m_tcpServer->isListening();
}

quint16 HttpServer::serverPort() const
{
    return m_tcpServer->serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_tcpServer->serverAddress();
}

QString HttpServer::errorString() const
{
    return m_tcpServer->errorString();
}

void HttpServer::addHandler(HttpHandler *handler)
{
    if (!m_handlers.contains(handler))
        m_handlers.append(handler);
}

void HttpServer::removeHandler(HttpHandler *handler)
{
    m_handlers.removeAll(handler);
}

HttpHandler *HttpServer::handlerFor(const HttpRequest &request) const
{
    for (HttpHandler *handler : m_handlers) {
        if (handler->matches(request))
            return handler;
    }
    return nullptr;
}

qsizetype HttpServer::maxBodySize() const
{
    qsizetype limit = 0;
    for (HttpHandler *handler : m_handlers)
        limit = std::max(limit, handler->maxBodySize());
    return limit;
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        // Node sets TCP_NODELAY; without it small replies wait for delayed ACKs.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new HttpConnection(socket, this);
        m_connections.insert(connection);
        // Qt drops this connection before it deletes the children, so it never sees a
        // half-destroyed server.
        connect(connection, &QObject::destroyed, this, [this, connection] { releaseConnection(connection); });
        Q_EMIT connectionAccepted();
    }
}

} // namespace Plugboard
