#include "websocketclienttransport.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>

namespace Plugboard::Io {

WebSocketClientTransport::WebSocketClientTransport(const TransportContext &context, QObject *parent)
    : EngineTransport(context, parent), m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    m_socket->setMaxAllowedIncomingMessageSize(quint64(context.options.maxIncomingBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(context.options.maxIncomingBytes));
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_open = true;
        m_writable = true;
        Q_EMIT opened();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketClientTransport::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        Q_EMIT packetReceived(EngineIO::binaryPacket(message));
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        const bool wasOpen = std::exchange(m_open, false);
        m_writable = false;
        if (wasOpen) {
            QString detail = m_socket->closeReason();
            if (detail.isEmpty())
                detail = QStringLiteral("WebSocket closed with code %1").arg(int(m_socket->closeCode()));
            Q_EMIT closed(detail);
        } else {
            Q_EMIT failed(QStringLiteral("websocket error"), m_socket->errorString());
        }
    });
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!m_context.options.rejectUnauthorized)
            m_socket->ignoreSslErrors();
    });
}

void WebSocketClientTransport::open()
{
    const QUrl url = uri(true);
    QNetworkRequest request(url);
    for (const HttpHeader &header : requestHeaders(url))
        request.setRawHeader(header.name, header.value);
    request.setSslConfiguration(m_context.options.sslConfiguration);
    m_socket->setSslConfiguration(m_context.options.sslConfiguration);
    m_socket->open(request);
}

void WebSocketClientTransport::onTextMessage(const QString &message)
{
    const std::optional<EngineIO::Packet> packet = EngineIO::decodeTextPacket(message.toUtf8());
    if (!packet) {
        Q_EMIT failed(QStringLiteral("parse error"), QStringLiteral("the server sent a malformed packet"));
        return;
    }
    Q_EMIT packetReceived(*packet);
}

void WebSocketClientTransport::send(const QList<EngineIO::Packet> &packets)
{
    for (const EngineIO::Packet &packet : packets) {
        if (packet.binary)
            m_socket->sendBinaryMessage(packet.data);
        else
            m_socket->sendTextMessage(QString::fromUtf8(EngineIO::encodeTextPacket(packet)));
    }
    // QWebSocket queues what the socket cannot take at once, so the transport stays writable.
    Q_EMIT drained();
}

void WebSocketClientTransport::closeAndDelete()
{
    disconnect(this, nullptr, nullptr, nullptr);
    m_socket->disconnect(this);
    m_open = false;
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    connect(m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(5000, this, &QObject::deleteLater);
    m_socket->close();
}

} // namespace Plugboard::Io
