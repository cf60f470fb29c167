#include "engineclient.h"

#include "../protocol/jsoncodec.h"
#include "nativewebsocketclienttransport.h"
#include "pollingclienttransport.h"
#include "websocketclienttransport.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>

namespace Plugboard::Io {

static bool s_priorWebSocketSuccess = false;

static const QString Polling = QStringLiteral("polling");
static const QString WebSocket = QStringLiteral("websocket");

static bool isKnownTransport(const QString &name)
{
    return name == Polling || name == WebSocket;
}

bool EngineClient::priorWebSocketSuccess()
{
    return s_priorWebSocketSuccess;
}

EngineClient::EngineClient(const QUrl &url, const EngineClientOptions &options, QNetworkCookieJar *cookies,
                           QObject *parent)
    : QObject(parent)
{
    m_context.url = url;
    if (url.scheme() == QLatin1String("ws"))
        m_context.url.setScheme(QStringLiteral("http"));
    else if (url.scheme() == QLatin1String("wss"))
        m_context.url.setScheme(QStringLiteral("https"));
    m_context.options = options;
    m_context.options.transports.removeIf([](const QString &name) { return !isKnownTransport(name); });
    m_context.cookies = options.withCredentials ? cookies : nullptr;
}

EngineClient::~EngineClient()
{
    if (m_transport)
        m_transport->closeAndDelete();
    if (m_probe)
        m_probe->closeAndDelete();
}

QString EngineClient::transportName() const
{
    return m_transport ? m_transport->name() : QString();
}

bool EngineClient::isTransportWritable() const
{
    return m_transport && m_transport->isWritable();
}

bool EngineClient::hasPingExpired() const
{
    return m_state == State::Open && m_pingTimer.isActive() && m_pingDeadline.hasExpired();
}

void EngineClient::open()
{
    const QStringList &transports = m_context.options.transports;
    if (transports.isEmpty()) {
        m_state = State::Opening;
        QTimer::singleShot(0, this, [this] {
            onError(QStringLiteral("transport error"), QStringLiteral("No transports available"));
        });
        return;
    }
    const QString name = m_context.options.rememberUpgrade && s_priorWebSocketSuccess && transports.contains(WebSocket)
                             ? WebSocket
                             : transports.first();
    m_state = State::Opening;
    EngineTransport *transport = createTransport(name);
    setTransport(transport);
    transport->open();
}

EngineTransport *EngineClient::createTransport(const QString &name)
{
    EngineTransport *transport = nullptr;
    if (name != WebSocket)
        transport = new PollingClientTransport(m_context, this);
    else if (m_context.options.nativeWebSocket && m_context.url.scheme() == QLatin1String("http"))
        transport = new NativeWebSocketClientTransport(m_context, this);
    else
        transport = new WebSocketClientTransport(m_context, this);
    transport->setSessionId(m_id);
    return transport;
}

void EngineClient::setTransport(EngineTransport *transport)
{
    if (m_transport)
        m_transport->disconnect(this);
    m_transport = transport;
    connect(transport, &EngineTransport::packetReceived, this, &EngineClient::onPacket);
    connect(transport, &EngineTransport::drained, this, &EngineClient::onDrain);
    connect(transport, &EngineTransport::failed, this, &EngineClient::onError);
    connect(transport, &EngineTransport::closed, this, [this](const QString &detail) {
        onClose(QStringLiteral("transport close"), detail);
    });
}

void EngineClient::onPacket(const EngineIO::Packet &packet)
{
    if (m_state == State::Closed)
        return;
    switch (packet.type) {
    case EngineIO::PacketType::Open:
        onHandshake(packet.data);
        break;
    case EngineIO::PacketType::Ping:
        resetPingTimeout();
        send(QList<EngineIO::Packet>{{EngineIO::PacketType::Pong, {}, false}});
        Q_EMIT pingReceived();
        break;
    case EngineIO::PacketType::Message:
        if (m_state == State::Open || m_state == State::Closing)
            Q_EMIT messageReceived(packet);
        break;
    default:
        break;
    }
}

void EngineClient::onHandshake(const QByteArray &json)
{
    if (m_state != State::Opening)
        return;
    const Json::ParseResult parsed = Json::parse(json);
    const QCborMap handshake = parsed.value.toMap();
    if (!parsed.ok || !handshake.value(QStringLiteral("sid")).isString()) {
        onError(QStringLiteral("parse error"), QStringLiteral("the server's open packet is not an Engine.IO v4 handshake"));
        return;
    }
    m_id = handshake.value(QStringLiteral("sid")).toString();
    m_transport->setSessionId(m_id);
    m_upgrades.clear();
    for (const QCborValue &upgrade : handshake.value(QStringLiteral("upgrades")).toArray()) {
        if (m_context.options.transports.contains(upgrade.toString()))
            m_upgrades.append(upgrade.toString());
    }
    m_pingInterval = int(qBound<qint64>(1, handshake.value(QStringLiteral("pingInterval")).toInteger(25000), 3600000LL));
    m_pingTimeout = int(qBound<qint64>(1, handshake.value(QStringLiteral("pingTimeout")).toInteger(20000), 3600000LL));
    m_maxPayload = qMax<qint64>(0, handshake.value(QStringLiteral("maxPayload")).toInteger(0));
    m_state = State::Open;
    s_priorWebSocketSuccess = m_transport->name() == WebSocket;
    QPointer<EngineClient> self(this);
    Q_EMIT opened();
    if (!self || m_state != State::Open)
        return;
    flush();
    if (m_context.options.upgrade && m_transport->name() == Polling) {
        for (const QString &upgrade : std::as_const(m_upgrades)) {
            if (upgrade != Polling)
                probe(upgrade);
        }
    }
    resetPingTimeout();
}

void EngineClient::probe(const QString &name)
{
    EngineTransport *transport = createTransport(name);
    m_probe = transport;
    // The probe's own connections, dropped at once when it becomes the transport or fails.
    auto *probeContext = new QObject(transport);
    auto dropProbeConnections = [transport, probeContext] {
        QObject::disconnect(transport, nullptr, probeContext, nullptr);
        probeContext->deleteLater();
    };
    auto fail = [this, transport, dropProbeConnections](const QString &error) {
        dropProbeConnections();
        if (m_probe == transport)
            m_probe = nullptr;
        m_upgrading = false;
        transport->closeAndDelete();
        Q_EMIT upgradeFailed(error);
        flush();
    };
    connect(transport, &EngineTransport::opened, probeContext, [transport] {
        transport->send({{EngineIO::PacketType::Ping, QByteArrayLiteral("probe"), false}});
    });
    connect(transport, &EngineTransport::packetReceived, probeContext,
            [this, transport, name, fail, dropProbeConnections](const EngineIO::Packet &packet) {
        if (packet.type != EngineIO::PacketType::Pong || packet.data != "probe") {
            fail(QStringLiteral("probe error"));
            return;
        }
        m_upgrading = true;
        Q_EMIT upgrading(name);
        if (m_probe != transport)
            return;
        s_priorWebSocketSuccess = name == WebSocket;
        m_transport->pause([this, transport, name, dropProbeConnections] {
            if (m_state == State::Closed || m_probe != transport)
                return;
            dropProbeConnections();
            EngineTransport *previous = m_transport;
            setTransport(transport);
            m_probe = nullptr;
            if (previous)
                previous->closeAndDelete(); // paused: it goes without a close packet
            transport->send({{EngineIO::PacketType::Upgrade, {}, false}});
            Q_EMIT upgraded(name);
            m_upgrading = false;
            flush();
        });
    });
    connect(transport, &EngineTransport::failed, probeContext, [fail](const QString &description, const QString &detail) {
        fail(QStringLiteral("probe error: ") + description + QLatin1String(" (") + detail + QLatin1Char(')'));
    });
    connect(transport, &EngineTransport::closed, probeContext, [fail](const QString &) {
        fail(QStringLiteral("probe error: transport closed"));
    });
    transport->open();
}

void EngineClient::send(const EngineIO::Packet &packet)
{
    send(QList<EngineIO::Packet>{packet});
}

void EngineClient::send(const QList<EngineIO::Packet> &packets)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_writeBuffer.append(packets);
    WriteCoalescer::forCurrentThread()->schedule(this);
}

void EngineClient::flush()
{
    if (m_state == State::Closed || !m_transport || !m_transport->isWritable() || m_upgrading
        || m_writeBuffer.isEmpty() || m_prevBufferLen > 0)
        return;
    const QList<EngineIO::Packet> packets = writablePackets();
    m_prevBufferLen = packets.size();
    m_transport->send(packets);
}

QList<EngineIO::Packet> EngineClient::writablePackets() const
{
    if (m_maxPayload <= 0 || !m_transport || m_transport->name() != Polling || m_writeBuffer.size() <= 1)
        return m_writeBuffer;
    qint64 payloadSize = 1; // the first packet's type
    for (qsizetype i = 0; i < m_writeBuffer.size(); ++i) {
        const EngineIO::Packet &packet = m_writeBuffer.at(i);
        payloadSize += packet.binary ? 1 + (packet.data.size() + 2) / 3 * 4 : packet.data.size();
        if (i > 0 && payloadSize > m_maxPayload)
            return m_writeBuffer.first(i);
        payloadSize += 2; // the separator and the next packet's type
    }
    return m_writeBuffer;
}

void EngineClient::onDrain()
{
    m_writeBuffer.remove(0, qMin(m_prevBufferLen, m_writeBuffer.size()));
    m_prevBufferLen = 0;
    if (!m_writeBuffer.isEmpty()) {
        flush();
        return;
    }
    QPointer<EngineClient> self(this);
    Q_EMIT drained();
    if (self && m_closeWhenDrained && !m_upgrading)
        onClose(QStringLiteral("forced close"), {});
}

void EngineClient::close()
{
    if (m_state != State::Opening && m_state != State::Open)
        return;
    m_state = State::Closing;
    if (!m_writeBuffer.isEmpty() || m_upgrading)
        m_closeWhenDrained = true;
    else
        onClose(QStringLiteral("forced close"), {});
}

void EngineClient::resetPingTimeout()
{
    const int timeout = m_pingInterval + m_pingTimeout;
    m_pingTimer.start(timeout, this);
    m_pingDeadline.setRemainingTime(timeout);
}

void EngineClient::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_pingTimer.timerId())
        onClose(QStringLiteral("ping timeout"), {});
    else
        QObject::timerEvent(event);
}

void EngineClient::onError(const QString &description, const QString &detail)
{
    s_priorWebSocketSuccess = false;
    QPointer<EngineClient> self(this);
    Q_EMIT errorOccurred(description, detail);
    if (self)
        onClose(QStringLiteral("transport error"), detail.isEmpty() ? description : description + QLatin1String(": ") + detail);
}

void EngineClient::onClose(const QString &reason, const QString &description)
{
    if (m_state == State::Closed)
        return;
    m_pingTimer.stop();
    if (m_transport) {
        m_transport->disconnect(this);
        m_transport->closeAndDelete();
        m_transport = nullptr;
    }
    if (m_probe) {
        m_probe->closeAndDelete();
        m_probe = nullptr;
    }
    m_upgrading = false;
    m_state = State::Closed;
    m_id.clear();
    m_writeBuffer.clear();
    m_prevBufferLen = 0;
    m_closeWhenDrained = false;
    Q_EMIT closed(reason, description);
}

} // namespace Plugboard::Io
