#include "nativewebsocketclienttransport.h"

#include "../protocol/websocketframe.h"
#include "../protocol/websockethandshake.h"
#include "../engine/wslayio.h"
#include "httpclientconnection.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>


namespace Plugboard::Io {

namespace {

constexpr int CloseTimeoutMs = 2000;

NativeWebSocketClientTransport *transportOf(void *userData)
{
    return static_cast<NativeWebSocketClientTransport *>(userData);
}

int generateMask(wslay_event_context_ptr, uint8_t *buffer, size_t length, void *)
{
    for (size_t i = 0; i < length; ++i)
        buffer[i] = uint8_t(QRandomGenerator::global()->bounded(256));
    return 0;
}

void messageReceived(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg *arg, void *userData)
{
    transportOf(userData)->onMessage(arg->opcode, arg->msg, qsizetype(arg->msg_length), arg->status_code);
}

} // namespace

NativeWebSocketClientTransport::NativeWebSocketClientTransport(const TransportContext &context, QObject *parent)
    : EngineTransport(context, parent), m_handshake(64 * 1024)
{
    static const wslay_event_callbacks callbacks = {
        WslayIo::receive<NativeWebSocketClientTransport>, WslayIo::transmit<NativeWebSocketClientTransport>,
        generateMask, nullptr, nullptr, nullptr, messageReceived};
    wslay_event_context_client_init(&m_wslay, &callbacks, this);
    if (m_wslay)
        wslay_event_config_set_max_recv_msg_length(m_wslay, uint64_t(context.options.maxIncomingBytes));
}

NativeWebSocketClientTransport::~NativeWebSocketClientTransport()
{
    if (m_wslay)
        wslay_event_context_free(m_wslay);
}

void NativeWebSocketClientTransport::open()
{
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &NativeWebSocketClientTransport::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &NativeWebSocketClientTransport::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        finish(true, m_upgraded ? QStringLiteral("the server closed the connection")
                                : QStringLiteral("the server closed the connection before the upgrade"));
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            finish(false, m_socket->errorString());
    });
    // Unbuffered: write() goes to the kernel at once instead of through a write notifier.
    m_socket->connectToHost(m_context.url.host(), quint16(m_context.url.port(80)),
                            QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void NativeWebSocketClientTransport::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    m_key = nonce.toBase64();
    const QUrl url = uri(true);
    QList<HttpHeader> headers{HttpHeader{"connection", "Upgrade"}, HttpHeader{"upgrade", "websocket"},
                              HttpHeader{"sec-websocket-version", "13"}, HttpHeader{"sec-websocket-key", m_key}};
    headers.append(requestHeaders(url));
    m_socket->write(requestHead("GET", url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority), m_context.url.host(),
                                quint16(m_context.url.port(80)), false, headers));
}

void NativeWebSocketClientTransport::onReadyRead()
{
    if (m_finished || !m_socket)
        return;
    if (m_upgraded) {
        readFrames();
        return;
    }
    char buffer[16384];
    const qint64 read = m_socket->read(buffer, sizeof buffer);
    if (read > 0)
        onHandshakeBytes(QByteArray(buffer, read));
    else if (read < 0) // an unbuffered socket reports the end here, without disconnected()
        finish(false, QStringLiteral("the server closed the connection before the upgrade"));
}

void NativeWebSocketClientTransport::onHandshakeBytes(const QByteArray &bytes)
{
    const HttpResponseParser::Result result = m_handshake.feed(bytes);
    if (result.status == HttpResponseParser::Status::Error) {
        finish(false, QStringLiteral("bad upgrade response: ") + QString::fromUtf8(result.error));
        return;
    }
    if (result.status == HttpResponseParser::Status::NeedMore)
        return;
    const HttpResponseHead response = m_handshake.takeResponse();
    storeCookies(response.headerValues("set-cookie"), m_context.url);
    if (response.status != 101) {
        QString detail = QStringLiteral("Unexpected server response: %1").arg(response.status);
        finish(false, detail);
        return;
    }
    if (response.header("sec-websocket-accept") != WebSocketHandshake::acceptFor(m_key)) {
        finish(false, QStringLiteral("invalid Sec-WebSocket-Accept in the upgrade response"));
        return;
    }
    m_upgraded = true;
    m_pendingInput = bytes.mid(result.consumed);
    m_writable = true;
    QPointer<NativeWebSocketClientTransport> self(this);
    Q_EMIT opened();
    if (self && !m_pendingInput.isEmpty())
        readFrames();
}

qint64 NativeWebSocketClientTransport::readInto(quint8 *buffer, qint64 size)
{
    if (!m_pendingInput.isEmpty()) {
        const qint64 taken = qMin<qint64>(size, m_pendingInput.size());
        std::memcpy(buffer, m_pendingInput.constData(), size_t(taken));
        m_pendingInput.remove(0, taken);
        return taken;
    }
    // A short read emptied the socket: the next one would only return EAGAIN (a system call a
    // message); the notifier says when more arrives.
    if (!m_socket || m_socketDrained)
        return m_socket ? 0 : -1;
    const qint64 read = m_socket->read(reinterpret_cast<char *>(buffer), size);
    if (read >= 0 && read < size)
        m_socketDrained = true;
    if (read < 0)
        m_peerClosed = true;
    return read < 0 ? -1 : read;
}

qint64 NativeWebSocketClientTransport::writeFrom(const quint8 *data, qint64 size)
{
    return m_socket ? m_socket->write(reinterpret_cast<const char *>(data), size) : -1;
}

void NativeWebSocketClientTransport::readFrames()
{
    m_socketDrained = false;
    QPointer<NativeWebSocketClientTransport> self(this);
    if (wslay_event_recv(m_wslay) != 0) {
        if (self && m_peerClosed)
            finish(true, QStringLiteral("the server closed the connection"));
        else if (self)
            finish(false, QStringLiteral("the server sent a malformed WebSocket frame"));
        return;
    }
    if (self)
        flushControlFrames();
}

void NativeWebSocketClientTransport::onMessage(quint8 opcode, const quint8 *data, qsizetype size, quint16 statusCode)
{
    if (m_finished)
        return;
    if (opcode == WSLAY_CONNECTION_CLOSE) {
        m_closeCode = statusCode;
        return; // wslay answers it; flushControlFrames() then finishes
    }
    const QByteArrayView message(reinterpret_cast<const char *>(data), size);
    if (opcode == WSLAY_BINARY_FRAME) {
        Q_EMIT packetReceived(EngineIO::binaryPacket(message.toByteArray()));
        return;
    }
    if (opcode != WSLAY_TEXT_FRAME)
        return;
    const std::optional<EngineIO::Packet> packet = EngineIO::decodeTextPacket(message);
    if (!packet) {
        Q_EMIT failed(QStringLiteral("parse error"), QStringLiteral("the server sent a malformed packet"));
        return;
    }
    Q_EMIT packetReceived(*packet);
}

void NativeWebSocketClientTransport::flushControlFrames()
{
    if (!m_wslay || m_finished)
        return;
    if (wslay_event_want_write(m_wslay))
        wslay_event_send(m_wslay);
    if (wslay_event_get_close_received(m_wslay) && !wslay_event_want_write(m_wslay))
        finish(true, QStringLiteral("the server closed the WebSocket with code %1").arg(m_closeCode));
}

void NativeWebSocketClientTransport::send(const QList<EngineIO::Packet> &packets)
{
    if (!m_socket || m_finished)
        return;
    QByteArray frames;
    for (const EngineIO::Packet &packet : packets) {
        const quint32 mask = QRandomGenerator::global()->generate();
        if (packet.binary)
            WebSocketFrame::appendMasked(frames, WebSocketFrame::Binary, packet.data, mask);
        else
            WebSocketFrame::appendMasked(frames, WebSocketFrame::Text, packet.data, mask, char('0' + int(packet.type)));
    }
    m_socket->write(frames);
    Q_EMIT drained();
}

void NativeWebSocketClientTransport::closeAndDelete()
{
    disconnect(this, nullptr, nullptr, nullptr);
    m_writable = false;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState || !m_upgraded || m_finished) {
        deleteLater();
        return;
    }
    m_closing = true;
    // A close frame, then the server's answer or its closing the connection, within a bound.
    wslay_event_queue_close(m_wslay, 1000, nullptr, 0);
    wslay_event_send(m_wslay);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(CloseTimeoutMs, this, &QObject::deleteLater);
}

void NativeWebSocketClientTransport::finish(bool byPeer, const QString &detail)
{
    if (m_finished)
        return;
    m_finished = true;
    m_writable = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (m_closing) {
        deleteLater();
        return;
    }
    if (byPeer && m_upgraded)
        Q_EMIT closed(detail);
    else
        Q_EMIT failed(QStringLiteral("websocket error"), detail);
}

} // namespace Plugboard::Io
