#include "websockettransport.h"

#include "../logging.h"
#include "../protocol/enginepayloadv3.h"
#include "outgoingframes.h"
#include "writecoalescer.h"

#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>

namespace Plugboard {

WebSocketTransport::WebSocketTransport(QWebSocket *webSocket, QTcpSocket *tcpSocket,
                                       WriteCoalescer *coalescer, QObject *parent)
    : Transport(parent), m_webSocket(webSocket), m_tcpSocket(tcpSocket), m_coalescer(coalescer)
{
    webSocket->setParent(this);
    connect(webSocket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onText);
    connect(webSocket, &QWebSocket::binaryMessageReceived, this, &WebSocketTransport::onBinary);
    connect(webSocket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
}

WebSocketTransport::~WebSocketTransport()
{
    m_closed = true;
    disconnect(m_webSocket, nullptr, this, nullptr);
    if (m_webSocket->state() != QAbstractSocket::UnconnectedState)
        m_webSocket->abort();
    delete m_webSocket;
    // Whether or not QWebSocket took ownership of the TCP socket, it goes with the transport.
    delete m_tcpSocket.data();
}

bool WebSocketTransport::isWritable() const
{
    return !m_closed && m_tcpSocket && m_tcpSocket->state() == QAbstractSocket::ConnectedState;
}

void WebSocketTransport::send(const QList<OutgoingPacket> &packets)
{
    if (!isWritable())
        return;
    FramingOptions framing;
    framing.protocol = m_protocol;
    m_tcpSocket->write(outgoingFrames(packets, framing));
    if (m_coalescer)
        m_coalescer->schedule(this);
    else
        flushNow();
}

void WebSocketTransport::flushNow()
{
    if (m_tcpSocket && m_tcpSocket->bytesToWrite() > 0)
        m_tcpSocket->flush();
}

qint64 WebSocketTransport::bufferedBytes() const
{
    return m_tcpSocket ? m_tcpSocket->bytesToWrite() : 0;
}

void WebSocketTransport::close()
{
    if (m_closed)
        return;
    m_webSocket->close();
}

void WebSocketTransport::onText(const QString &message)
{
    const QByteArray utf8 = message.toUtf8();
    if (auto packet = EngineIO::decodeTextPacket(utf8))
        Q_EMIT packetReceived(*packet);
    else
        Q_EMIT parseError(QStringLiteral("malformed packet"));
}

void WebSocketTransport::onBinary(const QByteArray &message)
{
    if (m_protocol != 3) {
        Q_EMIT packetReceived(EngineIO::binaryPacket(message));
        return;
    }
    if (auto packet = EngineIO::V3::decodeBinaryFrame(message))
        Q_EMIT packetReceived(*packet);
    else
        Q_EMIT parseError(QStringLiteral("malformed binary packet"));
}

void WebSocketTransport::onDisconnected()
{
    if (m_closed)
        return;
    m_closed = true;
    const auto code = m_webSocket->closeCode();
    qCDebug(lcEngineWebSocket) << "closed" << code << m_webSocket->closeReason();
    if (code == QWebSocketProtocol::CloseCodeTooMuchData
        || code == QWebSocketProtocol::CloseCodeProtocolError
        || code == QWebSocketProtocol::CloseCodeWrongDatatype)
        Q_EMIT errorOccurred(m_webSocket->closeReason());
    else
        Q_EMIT closed();
}

} // namespace Plugboard
