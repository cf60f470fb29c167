#include "nativewebsockettransport.h"

#include "../logging.h"
#include "../protocol/enginepayloadv3.h"
#include "writecoalescer.h"
#include "wslayio.h"

#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>
#include <QtCore/QUtf8StringView>
#include <QtNetwork/QTcpSocket>


namespace Plugboard {

namespace {

// RFC 6455 §7.4.1
constexpr quint16 CloseNormal = 1000;
constexpr quint16 CloseProtocolError = 1002;
constexpr quint16 CloseUnsupportedData = 1003;
constexpr quint16 CloseInvalidPayload = 1007;
constexpr quint16 CloseTooBig = 1009;
// How long a close handshake we started may wait for the peer's answer.
constexpr int CloseHandshakeTimeoutMs = 2000;

NativeWebSocketTransport *transportOf(void *userData)
{
    return static_cast<NativeWebSocketTransport *>(userData);
}

void messageReceived(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg *arg, void *userData)
{
    transportOf(userData)->onMessage(arg->opcode, arg->rsv, arg->msg, qsizetype(arg->msg_length), arg->status_code);
}

} // namespace

NativeWebSocketTransport::NativeWebSocketTransport(QTcpSocket *socket, Options options,
                                                   WriteCoalescer *coalescer, QObject *parent)
    : Transport(parent), m_socket(socket), m_options(std::move(options)), m_coalescer(coalescer)
{
    socket->setParent(this);
    static const wslay_event_callbacks callbacks = {
        WslayIo::receive<NativeWebSocketTransport>, WslayIo::transmit<NativeWebSocketTransport>,
        nullptr, nullptr, nullptr, nullptr, messageReceived};
    if (wslay_event_context_server_init(&m_context, &callbacks, this) != 0)
        m_context = nullptr;
    if (m_context) {
        wslay_event_config_set_max_recv_msg_length(m_context, uint64_t(m_options.maxMessageSize));
        if (m_options.framing.deflate)
            wslay_event_config_set_allowed_rsv_bits(m_context, WSLAY_RSV1_BIT);
    }
    connect(socket, &QTcpSocket::readyRead, this, &NativeWebSocketTransport::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &NativeWebSocketTransport::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState)
            onDisconnected();
    });
    if (!m_context) {
        QTimer::singleShot(0, this, [this] { fail(CloseProtocolError, QStringLiteral("out of memory")); });
        return;
    }
    if (socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &NativeWebSocketTransport::onReadyRead);
}

NativeWebSocketTransport::~NativeWebSocketTransport()
{
    m_finished = true;
    if (m_context)
        wslay_event_context_free(m_context);
    QTcpSocket *socket = m_socket;
    if (!socket)
        return;
    disconnect(socket, nullptr, this, nullptr);
    if (socket->state() != QAbstractSocket::ConnectedState) {
        delete socket;
        return;
    }
    // What was written (a close frame, the last packets) still leaves. After a close frame the
    // peer answers and hangs up; until then what it sends is read and dropped, since closing
    // with unread input would reset the connection before the close frame is read. A peer
    // that does not hang up in time is cut off.
    socket->setParent(nullptr);
    socket->flush();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(CloseHandshakeTimeoutMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->skip(socket->bytesAvailable());
    if (!m_closeSent)
        socket->disconnectFromHost();
}

bool NativeWebSocketTransport::isWritable() const
{
    return !m_finished && !m_closeSent && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 NativeWebSocketTransport::readInto(quint8 *buffer, qint64 size)
{
    return m_socket ? m_socket->read(reinterpret_cast<char *>(buffer), size) : -1;
}

qint64 NativeWebSocketTransport::writeFrom(const quint8 *data, qint64 size)
{
    if (!m_socket)
        return -1;
    const qint64 written = m_socket->write(reinterpret_cast<const char *>(data), size);
    scheduleFlush();
    return written;
}

void NativeWebSocketTransport::send(const QList<OutgoingPacket> &packets)
{
    if (!isWritable())
        return;
    m_socket->write(outgoingFrames(packets, m_options.framing));
    scheduleFlush();
}

void NativeWebSocketTransport::scheduleFlush()
{
    if (m_coalescer)
        m_coalescer->schedule(this);
    else
        flushNow();
}

void NativeWebSocketTransport::flushNow()
{
    if (m_socket && m_socket->bytesToWrite() > 0)
        m_socket->flush();
}

qint64 NativeWebSocketTransport::bufferedBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void NativeWebSocketTransport::close()
{
    if (m_finished || m_closeSent || !m_context)
        return;
    m_closeCode = CloseNormal;
    wslay_event_queue_close(m_context, CloseNormal, nullptr, 0);
    sendQueuedControlFrames();
    m_closeTimer.start(CloseHandshakeTimeoutMs, this);
}

void NativeWebSocketTransport::onReadyRead()
{
    if (m_finished || !m_context || !m_socket)
        return;
    QPointer<NativeWebSocketTransport> guard(this);
    if (wslay_event_recv(m_context) != 0) {
        if (guard)
            fail(CloseProtocolError, QStringLiteral("read failed"));
        return;
    }
    if (guard)
        sendQueuedControlFrames();
}

void NativeWebSocketTransport::onMessage(quint8 opcode, quint8 rsv, const quint8 *data, qsizetype size,
                                         quint16 statusCode)
{
    if (m_finished)
        return;
    if (opcode == WSLAY_CONNECTION_CLOSE) {
        if (!m_closeSent || m_closeCode == 0)
            m_closeCode = statusCode == 0 ? quint16(1005) : statusCode;
        return; // wslay answers with its own close frame; finish() follows once it is sent
    }
    if (opcode != WSLAY_TEXT_FRAME && opcode != WSLAY_BINARY_FRAME)
        return; // pings are answered by wslay, pongs need nothing
    QByteArray message(reinterpret_cast<const char *>(data), size);
    if (wslay_get_rsv1(rsv)) {
        if (!m_inflater)
            m_inflater = std::make_unique<PerMessageDeflate::Inflater>(m_options.framing.deflate->clientNoContextTakeover);
        std::optional<QByteArray> inflated = m_inflater->inflate(message, m_options.maxMessageSize);
        if (!inflated) {
            fail(CloseTooBig, QStringLiteral("message too big or not valid deflate"));
            return;
        }
        message = std::move(*inflated);
    }
    if (opcode == WSLAY_TEXT_FRAME) {
        if (!QUtf8StringView(message).isValidUtf8()) {
            fail(CloseInvalidPayload, QStringLiteral("invalid UTF-8 in a text message"));
            return;
        }
        if (auto packet = EngineIO::decodeTextPacket(message))
            Q_EMIT packetReceived(*packet);
        else
            Q_EMIT parseError(QStringLiteral("malformed packet"));
        return;
    }
    if (m_options.framing.protocol == 3) {
        if (auto packet = EngineIO::V3::decodeBinaryFrame(message))
            Q_EMIT packetReceived(*packet);
        else
            Q_EMIT parseError(QStringLiteral("malformed binary packet"));
        return;
    }
    Q_EMIT packetReceived(EngineIO::binaryPacket(std::move(message)));
}

void NativeWebSocketTransport::fail(quint16 code, const QString &description)
{
    if (m_finished)
        return;
    m_closeCode = code;
    m_closeDescription = description;
    if (m_context && !m_closeSent)
        wslay_event_queue_close(m_context, code, nullptr, 0);
    sendQueuedControlFrames();
    finish();
}

void NativeWebSocketTransport::sendQueuedControlFrames()
{
    if (m_finished || !m_context)
        return;
    if (wslay_event_want_write(m_context))
        wslay_event_send(m_context);
    if (wslay_event_get_close_sent(m_context))
        m_closeSent = true;
    if (m_closeCode == 0) {
        // Neither side's close was seen here: wslay failed the connection itself (a protocol
        // error, an oversized message) and sent its code.
        const quint16 received = wslay_event_get_status_code_received(m_context);
        const quint16 sent = wslay_event_get_status_code_sent(m_context);
        if (wslay_event_get_close_received(m_context) && received != WSLAY_CODE_ABNORMAL_CLOSURE)
            m_closeCode = received;
        else if (m_closeSent && sent != WSLAY_CODE_ABNORMAL_CLOSURE)
            m_closeCode = sent;
    }
    if (!wslay_event_want_read(m_context) && !wslay_event_want_write(m_context))
        finish();
}

void NativeWebSocketTransport::onDisconnected()
{
    if (m_finished)
        return;
    if (m_closeCode == 0)
        m_closeCode = 1006; // no close frame: the connection just went away
    finish();
}

void NativeWebSocketTransport::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_closeTimer.timerId())
        return Transport::timerEvent(event);
    m_closeTimer.stop();
    finish();
}

void NativeWebSocketTransport::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closeTimer.stop();
    if (m_socket)
        m_socket->flush(); // the socket itself closes with the transport
    qCDebug(lcEngineWebSocket) << "closed" << m_closeCode << m_closeDescription;
    // As the Qt engine: a close for a protocol violation or an oversized message is an error.
    if (m_closeCode == CloseTooBig || m_closeCode == CloseProtocolError || m_closeCode == CloseUnsupportedData
        || m_closeCode == CloseInvalidPayload)
        Q_EMIT errorOccurred(m_closeDescription.isEmpty() ? QStringLiteral("close code %1").arg(m_closeCode)
                                                          : m_closeDescription);
    else
        Q_EMIT closed();
}

} // namespace Plugboard
