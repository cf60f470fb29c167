#include "httpconnection.h"

#include "httpserver.h"
#include "logging.h"

#include <QtCore/QTimerEvent>
#include <QtNetwork/QTcpSocket>

#include <sys/socket.h>

namespace Plugboard {

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server), m_server(server), m_socket(socket)
{
    socket->setParent(this);
    m_parser.setLimits({server->options().maxHeaderSize, server->maxBodySize()});
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "socket error" << m_socket->errorString();
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            onDisconnected();
    });
    m_idleTimer.start(server->options().headersTimeout, this);
    if (socket->bytesAvailable() > 0)
        onReadyRead();
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isOpen() const
{
    return m_socket && !m_handedOff && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::onReadyRead()
{
    if (m_lingering) {
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (m_handedOff)
        return;
    // A request that may turn out to be a WebSocket upgrade is read inside a transaction, so
    // that its bytes can be given back to the socket for QWebSocketServer::handleConnection().
    if (!m_inTransaction && m_buffer.isEmpty() && !m_parser.inRequest() && !m_pendingRequest) {
        m_socket->startTransaction();
        m_inTransaction = true;
        m_transactionBytes = 0;
    }
    const QByteArray chunk = m_socket->readAll();
    if (m_inTransaction)
        m_transactionBytes += chunk.size();
    m_buffer.append(chunk);
    processBuffer();
}

void HttpConnection::processBuffer()
{
    while (!m_pendingRequest && !m_handedOff && !m_buffer.isEmpty()) {
        const auto result = m_parser.feed(m_buffer);
        switch (result.status) {
        case HttpRequestParser::Status::NeedMore:
            m_buffer.clear();
            if (m_parser.takeContinueRequest()) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                m_socket->flush();
            }
            return;
        case HttpRequestParser::Status::Error:
            qCDebug(lcHttp) << "bad request:" << result.error;
            fail(result.httpStatus, result.error);
            return;
        case HttpRequestParser::Status::Upgrade: {
            HttpRequest request = m_parser.takeRequest();
            request.peerAddress = m_socket->peerAddress();
            request.peerPort = m_socket->peerPort();
            request.secure = m_server->isSecure();
            // What is left unread after the rollback: the head, then the new protocol's bytes.
            request.upgradeHeadSize = m_transactionBytes - (m_buffer.size() - result.consumed);
            HttpHandler *handler = m_server->handlerFor(request);
            if (!handler || !m_inTransaction) {
                fail(handler ? 400 : 404, "Unexpected upgrade request");
                return;
            }
            m_socket->rollbackTransaction();
            m_inTransaction = false;
            m_handedOff = true;
            m_idleTimer.stop();
            disconnect(m_socket, nullptr, this, nullptr);
            QTcpSocket *socket = m_socket;
            socket->setParent(nullptr);
            m_socket = nullptr;
            handler->handleUpgrade(request, socket);
            deleteLater();
            return;
        }
        case HttpRequestParser::Status::Complete: {
            if (m_inTransaction) {
                m_socket->commitTransaction();
                m_inTransaction = false;
            }
            m_buffer.remove(0, result.consumed);
            HttpRequest request = m_parser.takeRequest();
            request.peerAddress = m_socket->peerAddress();
            request.peerPort = m_socket->peerPort();
            request.secure = m_server->isSecure();
            m_keepAlive = request.keepAlive;
            m_pendingRequest = true;
            m_idleTimer.stop();
            if (HttpHandler *handler = m_server->handlerFor(request))
                handler->handleRequest(request, this);
            else
                respond(m_server->fallbackResponse());
            break;
        }
        }
    }
    if (m_inTransaction && !m_parser.inRequest() && m_buffer.isEmpty()) {
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
}

void HttpConnection::closeIfIdle()
{
    if (!m_handedOff && !m_pendingRequest && !m_parser.inRequest() && m_buffer.isEmpty())
        closeConnection();
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_pendingRequest || !isOpen())
        return;
    m_pendingRequest = false;
    if (m_server->isClosing())
        m_keepAlive = false;
    m_socket->write(serializeResponse(response, m_keepAlive));
    m_socket->flush();
    if (!m_keepAlive) {
        closeConnection();
        return;
    }
    m_idleTimer.start(m_server->options().keepAliveTimeout, this);
    if (!m_buffer.isEmpty())
        processBuffer();
}

void HttpConnection::fail(int status, const QByteArray &message)
{
    if (!m_socket)
        return;
    if (m_inTransaction) {
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
    m_pendingRequest = false;
    m_buffer.clear();
    m_socket->write(serializeResponse(HttpResponse::text(status, message), false));
    m_socket->flush();
    // A lingering close: a client still sending (say, the rest of an oversized body) would get
    // a reset, and lose the answer, if the socket closed with its input unread. So the input is
    // dropped until the client hangs up, for at most a few seconds.
    m_lingering = true;
    m_socket->skip(m_socket->bytesAvailable());
    if (!m_server->isSecure())
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR); // EOF after the answer
    m_idleTimer.start(LingerMs, this);
}

void HttpConnection::closeConnection()
{
    if (!m_socket)
        return;
    m_idleTimer.stop();
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        onDisconnected();
}

void HttpConnection::onDisconnected()
{
    if (m_handedOff)
        return;
    m_handedOff = true; // nothing more is read or written
    m_idleTimer.stop();
    if (m_pendingRequest) {
        m_pendingRequest = false;
        Q_EMIT aborted();
    }
    deleteLater();
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_idleTimer.timerId())
        return QObject::timerEvent(event);
    m_idleTimer.stop();
    if (m_lingering) {
        if (m_socket)
            m_socket->abort();
        onDisconnected();
        return;
    }
    if (m_pendingRequest)
        return;
    if (m_parser.inRequest()) {
        fail(408, "Request Timeout");
        return;
    }
    closeConnection();
}

} // namespace Plugboard
