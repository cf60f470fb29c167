#include "httpclientconnection.h"

#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

namespace Plugboard::Io {

QByteArray requestHead(QByteArrayView method, QByteArrayView target, const QString &host, quint16 port, bool secure,
                       const QList<HttpHeader> &headers)
{
    QByteArray head;
    head.reserve(256);
    head += method;
    head += ' ';
    head += target;
    head += " HTTP/1.1\r\nHost: " + host.toUtf8();
    if (port != (secure ? 443 : 80))
        head += ':' + QByteArray::number(port);
    head += "\r\n";
    for (const HttpHeader &header : headers)
        head += header.name + ": " + header.value + "\r\n";
    head += "\r\n";
    return head;
}

HttpClientConnection::HttpClientConnection(Endpoint endpoint, qint64 maxBodyBytes, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_parser(maxBodyBytes)
{
}

HttpClientConnection::~HttpClientConnection()
{
    abort();
}

void HttpClientConnection::request(const QByteArray &method, const QByteArray &target,
                                   const QList<HttpHeader> &headers, const QByteArray &body)
{
    Q_ASSERT(!m_busy);
    QList<HttpHeader> all;
    all.reserve(headers.size() + 2);
    all.append(HttpHeader{"connection", "keep-alive"});
    all.append(headers);
    if (method != "GET" && method != "HEAD")
        all.append(HttpHeader{"content-length", QByteArray::number(body.size())});
    m_pending = requestHead(method, target, m_endpoint.host, m_endpoint.port, m_endpoint.secure, all) + body;
    m_parser.expectResponseTo(method);
    m_busy = true;
    m_retried = false;
    if (m_socket && m_connected) {
        m_reused = true;
        writeRequest();
    } else {
        m_reused = false;
        connectSocket();
    }
}

void HttpClientConnection::connectSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_connected = false;
    m_parser.takeResponse();
    if (m_endpoint.secure) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_endpoint.ssl);
        if (!m_endpoint.rejectUnauthorized)
            ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
        connect(ssl, &QSslSocket::encrypted, this, [this] {
            m_connected = true;
            writeRequest();
        });
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            if (!errors.isEmpty())
                fail(errors.first().errorString());
        });
        m_socket = ssl;
        ssl->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            m_connected = true;
            writeRequest();
        });
        // Unbuffered: a request goes to the kernel at once instead of through a write notifier.
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port, QIODevice::ReadWrite | QIODevice::Unbuffered);
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpClientConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpClientConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // disconnected() follows
        if (m_busy && !m_connected)
            fail(m_socket->errorString());
    });
}

void HttpClientConnection::writeRequest()
{
    if (!m_busy || !m_socket)
        return;
    m_socket->write(m_pending);
}

void HttpClientConnection::onReadyRead()
{
    QByteArray data;
    char buffer[16384];
    bool peerClosed = false;
    while (m_socket) {
        const qint64 read = m_socket->read(buffer, sizeof buffer);
        if (read < 0) {
            // An unbuffered socket reports the end of the stream here, without disconnected().
            peerClosed = true;
            break;
        }
        data.append(buffer, read);
        if (read < qint64(sizeof buffer))
            break; // emptied: another read would only say EAGAIN
    }
    if (!m_busy || data.isEmpty()) {
        // The server may not speak before a request; ignored as Node's agent does.
        if (peerClosed)
            onDisconnected();
        return;
    }
    const HttpResponseParser::Result result = m_parser.feed(data);
    if (result.status == HttpResponseParser::Status::Error) {
        fail(QString::fromUtf8(result.error));
        return;
    }
    if (result.status == HttpResponseParser::Status::NeedMore) {
        if (peerClosed)
            onDisconnected(); // a body that ends with the stream, or a cut response
        return;
    }
    HttpResponseHead response = m_parser.takeResponse();
    m_busy = false;
    m_pending.clear();
    if (!response.keepAlive || peerClosed) {
        m_socket->disconnect(this);
        m_socket->disconnectFromHost();
        m_socket->deleteLater();
        m_socket = nullptr;
        m_connected = false;
    }
    Q_EMIT responseReceived(response);
}

void HttpClientConnection::onDisconnected()
{
    m_connected = false;
    if (!m_busy)
        return;
    // A keep-alive connection the server closed just before our request: send it once more.
    if (m_reused && !m_retried && !m_parser.inResponse()) {
        m_retried = true;
        m_reused = false;
        connectSocket();
        return;
    }
    const HttpResponseParser::Result result = m_parser.finish();
    if (result.status != HttpResponseParser::Status::Complete) {
        fail(QString::fromUtf8(result.error));
        return;
    }
    HttpResponseHead response = m_parser.takeResponse();
    m_busy = false;
    Q_EMIT responseReceived(response);
}

void HttpClientConnection::fail(const QString &error)
{
    abort();
    Q_EMIT failed(error);
}

void HttpClientConnection::abort()
{
    m_busy = false;
    m_connected = false;
    m_pending.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_parser.takeResponse();
}

} // namespace Plugboard::Io
