#include "clientsocket.h"

#include "engineclient.h"
#include "manager.h"

#include <QtCore/QCborMap>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaMethod>
#include <QtCore/QPromise>
#include <QtCore/QTimerEvent>

namespace Plugboard::Io {

Q_LOGGING_CATEGORY(lcClientSocket, "plugboard.client.socket")

static const QString DisconnectedError = QStringLiteral("socket has been disconnected");
static QCborArray withoutEventName(const QCborArray &data)
{
    QCborArray args;
    for (qsizetype i = 1; i < data.size(); ++i)
        args.append(data.at(i));
    return args;
}

static const QString TimeoutError = QStringLiteral("operation has timed out");

Socket::Socket(Manager *io, const QString &nsp, const SocketOptions &options)
    : QObject(io), m_io(io), m_nsp(nsp), m_options(options)
{
    if (io->options().autoConnect)
        connect();
}

Manager *Socket::io() const
{
    return m_io;
}

Socket::~Socket()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_subscriptions))
        QObject::disconnect(connection);
}

void Socket::subscribe()
{
    if (m_active)
        return;
    m_active = true;
    m_subscriptions.append(QObject::connect(m_io, &Manager::opened, this, &Socket::onOpen));
    m_subscriptions.append(QObject::connect(m_io, &Manager::errorOccurred, this,
                                            [this](const QString &error, const QString &) { onError(error); }));
    m_subscriptions.append(QObject::connect(m_io, &Manager::closed, this, &Socket::onClose));
}

void Socket::destroy()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_subscriptions))
        QObject::disconnect(connection);
    m_subscriptions.clear();
    m_active = false;
    if (m_io)
        m_io->onSocketDestroyed(this);
}

Socket &Socket::connect()
{
    if (m_connected || !m_io)
        return *this;
    subscribe();
    if (!m_io->isReconnecting())
        m_io->open();
    if (m_io->readyState() == Manager::ReadyState::Open)
        onOpen();
    return *this;
}

Socket &Socket::disconnect()
{
    const bool wasConnected = m_connected;
    if (wasConnected && m_io)
        m_io->sendPacket({SocketIO::PacketType::Disconnect, m_nsp, SocketIO::NoAckId, QCborValue(QCborValue::Undefined)});
    destroy();
    if (wasConnected)
        onClose(QStringLiteral("io client disconnect"), {});
    return *this;
}

void Socket::onOpen()
{
    if (m_options.authCallback) {
        QPointer<Socket> self(this);
        m_options.authCallback([self](const QCborMap &auth) {
            if (self)
                self->sendConnectPacket(auth);
        });
        return;
    }
    sendConnectPacket(m_options.auth);
}

void Socket::sendConnectPacket(const QCborMap &auth)
{
    if (!m_io)
        return;
    QCborValue data = QCborValue(QCborValue::Undefined);
    if (!m_pid.isEmpty()) {
        QCborMap withSession;
        withSession.insert(QStringLiteral("pid"), m_pid);
        withSession.insert(QStringLiteral("offset"), m_lastOffset.isEmpty() ? QCborValue(QCborValue::Undefined)
                                                                             : QCborValue(m_lastOffset));
        for (auto it = auth.cbegin(); it != auth.cend(); ++it)
            withSession.insert(it.key(), it.value());
        data = withSession;
    } else if (!auth.isEmpty()) {
        data = auth;
    }
    m_io->sendPacket({SocketIO::PacketType::Connect, m_nsp, SocketIO::NoAckId, data});
}

void Socket::onPacket(const SocketIO::Packet &packet)
{
    switch (packet.type) {
    case SocketIO::PacketType::Connect: {
        const QCborMap data = packet.data.toMap();
        if (data.value(QStringLiteral("sid")).isString()) {
            onConnect(data.value(QStringLiteral("sid")).toString(), data.value(QStringLiteral("pid")).toString());
        } else {
            fireConnectError(QStringLiteral("It seems you are trying to reach a Socket.IO server in v2.x with a v3.x "
                                            "client, but they are not compatible (more information here: "
                                            "https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)"),
                             QCborValue(QCborValue::Undefined));
        }
        break;
    }
    case SocketIO::PacketType::Event:
    case SocketIO::PacketType::BinaryEvent:
        onEvent(packet);
        break;
    case SocketIO::PacketType::Ack:
    case SocketIO::PacketType::BinaryAck:
        onAck(packet);
        break;
    case SocketIO::PacketType::Disconnect:
        destroy();
        onClose(QStringLiteral("io server disconnect"), {});
        break;
    case SocketIO::PacketType::ConnectError: {
        destroy();
        const QCborMap data = packet.data.toMap();
        const QString message = packet.data.isMap() ? data.value(QStringLiteral("message")).toString()
                                                    : packet.data.toString();
        fireConnectError(message, data.value(QStringLiteral("data")));
        break;
    }
    }
}

void Socket::fireConnectError(const QString &message, const QCborValue &data)
{
    QCborMap error;
    error.insert(QStringLiteral("message"), message);
    if (!data.isUndefined())
        error.insert(QStringLiteral("data"), data);
    QPointer<Socket> self(this);
    m_listeners.dispatch(QStringLiteral("connect_error"), {error}, {}, this);
    if (self)
        Q_EMIT connectError(message, data);
}

void Socket::onConnect(const QString &id, const QString &pid)
{
    m_id = id;
    m_recovered = !pid.isEmpty() && m_pid == pid;
    m_pid = pid;
    m_connected = true;
    QPointer<Socket> self(this);
    const auto received = std::exchange(m_receiveBuffer, {});
    for (const auto &[data, ack] : received) {
        deliver(data, ack);
        if (!self)
            return;
    }
    const QList<OutgoingPacket> buffered = std::exchange(m_sendBuffer, {});
    for (const OutgoingPacket &outgoing : buffered) {
        notifyOutgoing(outgoing.packet);
        if (!self || !m_io)
            return;
        m_io->sendPacket(outgoing.packet, outgoing.compress);
    }
    drainQueue(true);
    if (!self)
        return;
    m_listeners.dispatch(QStringLiteral("connect"), {}, {}, this);
    if (self)
        Q_EMIT connected();
}

void Socket::onEvent(const SocketIO::Packet &packet)
{
    Ack ack;
    if (packet.id != SocketIO::NoAckId) {
        QPointer<Manager> io = m_io;
        const QString nsp = m_nsp;
        const qint64 id = packet.id;
        ack = Ack([io, nsp, id](const QCborArray &args) {
            if (io)
                io->sendPacket({SocketIO::PacketType::Ack, nsp, id, args});
        });
    }
    const QCborArray data = packet.data.toArray();
    if (m_connected)
        deliver(data, ack);
    else
        m_receiveBuffer.append({data, ack});
}

void Socket::deliver(const QCborArray &packetData, const Ack &ack)
{
    if (packetData.isEmpty())
        return;
    const QString event = packetData.first().toString();
    const QCborArray args = withoutEventName(packetData);
    QPointer<Socket> self(this);
    m_listeners.runAny(EventListeners::Direction::Incoming, event, args);
    if (!self)
        return;
    m_listeners.dispatch(event, args, ack, this);
    if (!self)
        return;
    // With recovery on, the server appends the offset as a last string argument.
    if (!m_pid.isEmpty() && !args.isEmpty() && args.last().isString())
        m_lastOffset = args.last().toString();
    Q_EMIT eventReceived(event, args, ack);
}

void Socket::onAck(const SocketIO::Packet &packet)
{
    const auto it = m_acks.find(packet.id);
    if (it == m_acks.end())
        return; // unknown or already answered: ignored, as socket.io-client does
    PendingAck pending = std::move(it.value());
    m_acks.erase(it);
    if (pending.timerId) {
        killTimer(pending.timerId);
        m_ackTimers.remove(pending.timerId);
    }
    pending.callback({true, QString(), packet.data.toArray()});
}

void Socket::onError(const QString &error)
{
    if (!m_connected)
        fireConnectError(error, QCborValue(QCborValue::Undefined));
}

void Socket::onClose(const QString &reason, const QString &description)
{
    m_connected = false;
    m_id.clear();
    QPointer<Socket> self(this);
    QCborArray args{reason};
    if (!description.isEmpty())
        args.append(description);
    m_listeners.dispatch(QStringLiteral("disconnect"), args, {}, this);
    if (!self)
        return;
    Q_EMIT disconnected(reason, description);
    if (self)
        clearAcks();
}

void Socket::clearAcks()
{
    QList<qint64> ids = m_acks.keys();
    std::sort(ids.begin(), ids.end());
    for (const qint64 id : std::as_const(ids)) {
        const bool buffered = std::any_of(m_sendBuffer.cbegin(), m_sendBuffer.cend(),
                                          [id](const OutgoingPacket &outgoing) { return outgoing.packet.id == id; });
        if (buffered)
            continue;
        PendingAck pending = m_acks.take(id);
        if (pending.timerId) {
            killTimer(pending.timerId);
            m_ackTimers.remove(pending.timerId);
        }
        if (pending.withError)
            pending.callback({false, DisconnectedError, {}});
    }
}

Socket &Socket::timeout(int ms)
{
    m_flags.timeout = ms;
    return *this;
}

Socket &Socket::compress(bool compress)
{
    m_flags.compress = compress;
    return *this;
}

bool Socket::emitEvent(const QString &event, const QCborArray &args)
{
    return emitPacket(event, args, {}, false);
}

bool Socket::emitEvent(const QString &event, const QCborArray &args, AckCallback callback)
{
    return emitPacket(event, args, std::move(callback), false);
}

bool Socket::emitVolatile(const QString &event, const QCborArray &args)
{
    m_flags.isVolatile = true;
    return emitPacket(event, args, {}, false);
}

QFuture<AckResult> Socket::emitWithAck(const QString &event, const QCborArray &args)
{
    auto promise = std::make_shared<QPromise<AckResult>>();
    QFuture<AckResult> future = promise->future();
    promise->start();
    const bool sent = emitPacket(event, args, [promise](const AckResult &result) {
        promise->addResult(result);
        promise->finish();
    }, true);
    if (!sent) {
        promise->addResult(AckResult{false, m_lastError, {}});
        promise->finish();
    }
    return future;
}

bool Socket::emitPacket(const QString &event, const QCborArray &args, AckCallback callback, bool withError)
{
    const Flags flags = std::exchange(m_flags, Flags{});
    if (SocketIO::isReservedEventName(event)) {
        m_lastError = QLatin1Char('"') + event + QLatin1String("\" is a reserved event name");
        qCWarning(lcClientSocket).noquote() << m_lastError;
        return false;
    }
    if (m_options.retries > 0 && !flags.fromQueue && !flags.isVolatile) {
        m_flags = flags;
        addToQueue(event, args, std::move(callback));
        m_flags = Flags{};
        return true;
    }
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    SocketIO::Packet packet{SocketIO::PacketType::Event, m_nsp, SocketIO::NoAckId, data};
    if (callback) {
        packet.id = m_nextAckId++;
        const int timeout = flags.timeout >= 0 ? flags.timeout : (m_options.ackTimeout > 0 ? m_options.ackTimeout : -1);
        PendingAck pending{std::move(callback), withError || timeout >= 0, 0};
        if (timeout >= 0) {
            pending.timerId = startTimer(timeout);
            m_ackTimers.insert(pending.timerId, packet.id);
        }
        m_acks.insert(packet.id, std::move(pending));
    }
    EngineClient *engine = m_io ? m_io->engine() : nullptr;
    const bool transportWritable = engine && engine->isTransportWritable();
    const bool connected = m_connected && !(engine && engine->hasPingExpired());
    if (flags.isVolatile && !transportWritable)
        return true; // dropped, as socket.io-client drops it
    if (connected) {
        notifyOutgoing(packet);
        if (m_io)
            m_io->sendPacket(packet, flags.compress);
    } else {
        m_sendBuffer.append({packet, flags.compress});
    }
    return true;
}

void Socket::notifyOutgoing(const SocketIO::Packet &packet)
{
    // Splitting off the event name costs a copy of the arguments: only for someone listening.
    static const QMetaMethod sentSignal = QMetaMethod::fromSignal(&Socket::eventSent);
    if (!m_listeners.hasAny(EventListeners::Direction::Outgoing) && !isSignalConnected(sentSignal))
        return;
    const QCborArray data = packet.data.toArray();
    if (data.isEmpty())
        return;
    const QString event = data.first().toString();
    const QCborArray args = withoutEventName(data);
    m_listeners.runAny(EventListeners::Direction::Outgoing, event, args);
    Q_EMIT eventSent(event, args);
}

void Socket::timerEvent(QTimerEvent *event)
{
    const auto timer = m_ackTimers.find(event->timerId());
    if (timer == m_ackTimers.end()) {
        QObject::timerEvent(event);
        return;
    }
    const qint64 id = timer.value();
    killTimer(event->timerId());
    m_ackTimers.erase(timer);
    PendingAck pending = m_acks.take(id);
    m_sendBuffer.removeIf([id](const OutgoingPacket &outgoing) { return outgoing.packet.id == id; });
    if (pending.callback)
        pending.callback({false, TimeoutError, {}});
}

void Socket::addToQueue(const QString &event, const QCborArray &args, AckCallback callback)
{
    QueuedPacket queued;
    queued.id = m_nextQueueId++;
    queued.event = event;
    queued.args = args;
    queued.callback = std::move(callback);
    queued.flags = m_flags;
    queued.flags.fromQueue = true;
    m_queue.append(std::move(queued));
    drainQueue();
}

void Socket::drainQueue(bool force)
{
    if (!m_connected || m_queue.isEmpty())
        return;
    QueuedPacket &packet = m_queue.first();
    if (packet.pending && !force)
        return;
    packet.pending = true;
    packet.tryCount++;
    const quint64 queueId = packet.id;
    m_flags = packet.flags;
    QPointer<Socket> self(this);
    emitPacket(packet.event, packet.args, [self, queueId](const AckResult &result) {
        if (!self || self->m_queue.isEmpty() || self->m_queue.first().id != queueId)
            return;
        QueuedPacket &head = self->m_queue.first();
        if (!result.ok && head.tryCount <= self->m_options.retries) {
            head.pending = false; // sent again below
        } else {
            QueuedPacket done = self->m_queue.takeFirst();
            if (done.callback)
                done.callback(result);
            if (!self)
                return;
        }
        self->drainQueue();
    }, false);
}

} // namespace Plugboard::Io
