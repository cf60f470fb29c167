#include "enginesocket.h"

#include "../logging.h"
#include "../protocol/handshake.h"
#include "engineserver.h"
#include "pollingtransport.h"
#include "protocolversion.h"

#include <QtCore/QTimerEvent>

namespace Plugboard {

EngineSocket::EngineSocket(const QString &id, const HttpRequest &request, Transport *transport,
                           EngineServer *server)
    : QObject(server), m_id(id), m_request(request), m_server(server), m_options(server->options()),
      m_connectedAt(QDateTime::currentDateTimeUtc())
{
    m_request.body.clear();
    m_protocol = EngineIO::protocolOf(request);
    setTransport(transport);
}

EngineSocket::~EngineSocket() = default;

QString EngineSocket::transportName() const
{
    return m_transport ? m_transport->name() : QString();
}

void EngineSocket::setTransport(Transport *transport)
{
    m_transport = transport;
    transport->setParent(this);
    connect(transport, &Transport::packetReceived, this, &EngineSocket::onPacket);
    connect(transport, &Transport::writable, this, &EngineSocket::flush);
    connect(transport, &Transport::parseError, this,
            [this](const QString &description) { onClose(CloseReason::ParseError, description); });
    connect(transport, &Transport::errorOccurred, this,
            [this](const QString &description) { onClose(CloseReason::TransportError, description); });
    connect(transport, &Transport::closed, this, [this] { onClose(CloseReason::TransportClose); });
}

void EngineSocket::open()
{
    EngineIO::Handshake handshake;
    handshake.sid = m_id;
    if (m_options.allowUpgrades && m_transport->name() == QLatin1String("polling")
        && m_options.transports.contains(QLatin1String("websocket")))
        handshake.upgrades = QStringList{QStringLiteral("websocket")};
    handshake.pingInterval = m_options.pingInterval;
    handshake.pingTimeout = m_options.pingTimeout;
    handshake.maxPayload = m_options.maxHttpBufferSize;
    m_state = State::Open;
    sendPacket(EngineIO::PacketType::Open, EngineIO::encodeHandshake(handshake));
    if (m_protocol == 3)
        m_pingTimeoutTimer.start(m_options.pingInterval + m_options.pingTimeout, Qt::PreciseTimer, this);
    else
        schedulePing();
}

void EngineSocket::schedulePing()
{
    m_pingIntervalTimer.start(m_options.pingInterval, Qt::PreciseTimer, this);
}

bool EngineSocket::overLimit(qint64 extra) const
{
    return m_bufferedBytes + extra + (m_transport ? m_transport->bufferedBytes() : 0)
         > m_options.maxWriteBufferSize;
}

void EngineSocket::send(const OutboundMessage &message)
{
    if (m_state != State::Open && m_state != State::Opening)
        return;
    if (overLimit(message.size())) {
        qCWarning(lcEngine) << "session" << m_id << "exceeds maxWriteBufferSize"
                            << m_options.maxWriteBufferSize << "bytes; closing";
        onClose(CloseReason::WriteBufferFull,
                QStringLiteral("more than %1 bytes waiting").arg(m_options.maxWriteBufferSize));
        return;
    }
    m_writeBuffer.append(OutgoingPacket{EngineIO::PacketType::Message, {}, message});
    m_bufferedBytes += message.size();
    auto &counters = m_server->mutableCounters();
    ++counters.messagesOut;
    counters.bytesOut += quint64(message.size());
    flush();
}

bool EngineSocket::sendVolatile(const OutboundMessage &message)
{
    if (m_state != State::Open || !m_transport->isWritable() || !m_writeBuffer.isEmpty()
        || m_transport->bufferedBytes() > m_options.volatileHighWaterMark)
        return false;
    send(message);
    return true;
}

qint64 EngineSocket::bufferedBytes() const
{
    return m_bufferedBytes + (m_transport ? m_transport->bufferedBytes() : 0);
}

void EngineSocket::sendPacket(EngineIO::PacketType type, const QByteArray &data)
{
    if (m_state == State::Closed)
        return;
    m_writeBuffer.append(OutgoingPacket{type, data, {}});
    m_bufferedBytes += data.size() + 1;
    flush();
}

void EngineSocket::flush()
{
    if (m_state == State::Closed || m_writeBuffer.isEmpty() || !m_transport->isWritable())
        return;
    const QList<OutgoingPacket> packets = std::exchange(m_writeBuffer, {});
    m_bufferedBytes = 0;
    bool closing = false;
    for (const OutgoingPacket &p : packets)
        closing = closing || (p.message.isNull() && p.type == EngineIO::PacketType::Close);
    m_transport->send(packets);
    if (m_closeAfterDrain && m_state == State::Closing) {
        m_closeAfterDrain = false;
        m_writeBuffer.append(OutgoingPacket{EngineIO::PacketType::Close, {}, {}});
        return;
    }
    if (closing && m_state == State::Closing)
        onClose(m_closeReason);
    else if (m_transport && overLimit(0))
        onClose(CloseReason::WriteBufferFull,
                QStringLiteral("more than %1 bytes waiting").arg(m_options.maxWriteBufferSize));
}

void EngineSocket::handlePollingRequest(const HttpRequest &request, HttpConnection *connection)
{
    auto *polling = qobject_cast<PollingTransport *>(m_transport);
    if (!polling)
        return;
    polling->handleRequest(request, connection);
    if (m_probe && m_probeAnswered && m_writeBuffer.isEmpty())
        sendNoopForUpgrade();
}

void EngineSocket::onPacket(const EngineIO::Packet &packet)
{
    if (m_state != State::Open && m_state != State::Closing)
        return;
    switch (packet.type) {
    case EngineIO::PacketType::Pong:
        if (m_protocol == 3) {
            onClose(CloseReason::ParseError, QStringLiteral("invalid heartbeat direction"));
            break;
        }
        m_pingTimeoutTimer.stop();
        schedulePing();
        break;
    case EngineIO::PacketType::Message: {
        auto &counters = m_server->mutableCounters();
        ++counters.messagesIn;
        counters.bytesIn += quint64(packet.data.size());
        Q_EMIT messageReceived(packet.data, packet.binary);
        break;
    }
    case EngineIO::PacketType::Close:
        onClose(CloseReason::TransportClose);
        break;
    case EngineIO::PacketType::Ping:
        if (m_protocol == 3) {
            // v3: the client pings; each ping gives it another pingInterval + pingTimeout.
            m_pingTimeoutTimer.start(m_options.pingInterval + m_options.pingTimeout, Qt::PreciseTimer, this);
            sendPacket(EngineIO::PacketType::Pong);
            break;
        }
        // v4: only the server pings (Node closes on "invalid heartbeat direction").
        onClose(CloseReason::ParseError, QStringLiteral("invalid heartbeat direction"));
        break;
    default:
        onClose(CloseReason::ParseError, QStringLiteral("unexpected packet"));
        break;
    }
}

void EngineSocket::probe(Transport *webSocket)
{
    m_probe = webSocket;
    m_probeAnswered = false;
    webSocket->setParent(this);
    connect(webSocket, &Transport::packetReceived, this, &EngineSocket::onProbePacket);
    connect(webSocket, &Transport::closed, this, &EngineSocket::abortUpgrade);
    connect(webSocket, &Transport::errorOccurred, this, &EngineSocket::abortUpgrade);
    connect(webSocket, &Transport::parseError, this, &EngineSocket::abortUpgrade);
    m_upgradeTimeoutTimer.start(m_options.upgradeTimeout, this);
}

void EngineSocket::sendNoopForUpgrade()
{
    if (m_transport->isWritable() && m_writeBuffer.isEmpty()) {
        m_transport->send({OutgoingPacket{EngineIO::PacketType::Noop, {}, {}}});
    }
}

void EngineSocket::onProbePacket(const EngineIO::Packet &packet)
{
    Transport *probe = m_probe;
    if (!probe)
        return;
    if (packet.type == EngineIO::PacketType::Ping && packet.data == "probe" && !m_probeAnswered) {
        probe->send({OutgoingPacket{EngineIO::PacketType::Pong, QByteArrayLiteral("probe"), {}}});
        m_probeAnswered = true;
        // Node answers a waiting GET with a noop so the client can pause polling, and repeats
        // every 100 ms while a GET is held.
        sendNoopForUpgrade();
        m_upgradeNoopTimer.start(100, this);
        return;
    }
    if (packet.type == EngineIO::PacketType::Upgrade && m_probeAnswered && m_state == State::Open) {
        m_upgradeTimeoutTimer.stop();
        m_upgradeNoopTimer.stop();
        disconnect(probe, nullptr, this, nullptr);
        Transport *polling = m_transport;
        disconnect(polling, nullptr, this, nullptr);
        if (auto *p = qobject_cast<PollingTransport *>(polling))
            p->discard();
        m_probe = nullptr;
        m_upgraded = true;
        setTransport(probe);
        polling->deleteLater();
        qCDebug(lcEngine) << "session" << m_id << "upgraded to" << probe->name();
        Q_EMIT upgraded();
        flush();
        return;
    }
    qCDebug(lcEngine) << "session" << m_id << "invalid upgrade packet";
    abortUpgrade();
}

void EngineSocket::abortUpgrade()
{
    if (!m_probe)
        return;
    m_upgradeTimeoutTimer.stop();
    m_upgradeNoopTimer.stop();
    Transport *probe = std::exchange(m_probe, nullptr);
    m_probeAnswered = false;
    disconnect(probe, nullptr, this, nullptr);
    probe->close();
    probe->deleteLater();
}

void EngineSocket::close(CloseReason reason)
{
    if (m_state != State::Open && m_state != State::Opening)
        return;
    m_state = State::Closing;
    m_closeReason = reason;
    abortUpgrade();
    if (m_transport->name() == QLatin1String("polling")) {
        // Like Node: what is queued goes first; the close packet answers a later GET, so the
        // client handles every DISCONNECT before it sees the connection close.
        if (m_writeBuffer.isEmpty()) {
            m_writeBuffer.append(OutgoingPacket{EngineIO::PacketType::Close, {}, {}});
        } else {
            m_closeAfterDrain = true;
        }
        flush();
        if (m_state == State::Closing)
            m_closeTimer.start(m_options.pingTimeout, this);
    } else {
        flush();
        m_transport->close();
        onClose(reason);
    }
}

void EngineSocket::onClose(CloseReason reason, const QString &description)
{
    if (m_state == State::Closed)
        return;
    const bool wasClosing = m_state == State::Closing;
    m_state = State::Closed;
    if (wasClosing && reason != CloseReason::PingTimeout && reason != CloseReason::TransportError)
        reason = m_closeReason;
    m_pingIntervalTimer.stop();
    m_pingTimeoutTimer.stop();
    m_upgradeTimeoutTimer.stop();
    m_upgradeNoopTimer.stop();
    m_closeTimer.stop();
    abortUpgrade();
    m_writeBuffer.clear();
    m_bufferedBytes = 0;
    qCDebug(lcEngine) << "session" << m_id << "closed:" << closeReasonText(reason) << description;
    if (m_transport) {
        disconnect(m_transport, nullptr, this, nullptr);
        if (reason == CloseReason::TransportClose && m_transport->isWritable())
            m_transport->send({OutgoingPacket{EngineIO::PacketType::Noop, {}, {}}});
        else
            m_transport->close();
    }
    Q_EMIT closed(reason, description);
    deleteLater();
}

void EngineSocket::timerEvent(QTimerEvent *event)
{
    const int id = event->timerId();
    if (id == m_pingIntervalTimer.timerId()) {
        m_pingIntervalTimer.stop();
        sendPacket(EngineIO::PacketType::Ping);
        m_pingTimeoutTimer.start(m_options.pingTimeout, Qt::PreciseTimer, this);
    } else if (id == m_pingTimeoutTimer.timerId()) {
        m_pingTimeoutTimer.stop();
        onClose(CloseReason::PingTimeout);
    } else if (id == m_upgradeTimeoutTimer.timerId()) {
        qCDebug(lcEngine) << "session" << m_id << "upgrade timed out";
        abortUpgrade();
    } else if (id == m_upgradeNoopTimer.timerId()) {
        sendNoopForUpgrade();
    } else if (id == m_closeTimer.timerId()) {
        onClose(m_closeReason);
    } else {
        QObject::timerEvent(event);
    }
}

} // namespace Plugboard
