#include "socket.h"

#include "../adapter/adapter.h"
#include "../engine/enginesocket.h"
#include "../engine/sessionid.h"
#include "../logging.h"
#include "client.h"
#include "namespace.h"
#include "server.h"

#include <QtCore/QMetaMethod>
#include <QtCore/QPromise>
#include <QtCore/QTimerEvent>
#include <QtCore/QUrl>

namespace Plugboard {

namespace {

const QSet<QString> &recoverableReasons()
{
    static const QSet<QString> reasons{
        QStringLiteral("transport error"), QStringLiteral("transport close"),
        QStringLiteral("forced close"),    QStringLiteral("ping timeout"),
        QStringLiteral("server shutting down"), QStringLiteral("forced server close")};
    return reasons;
}

SocketHandshake makeHandshake(const EngineSocket *conn, const QCborMap &auth)
{
    SocketHandshake handshake;
    const HttpRequest &request = conn->request();
    for (const HttpHeader &header : request.headers) {
        const QString name = QString::fromLatin1(header.name);
        const QString value = QString::fromUtf8(header.value);
        const QCborValue existing = handshake.headers.value(name);
        // Node joins repeated headers with ", " (cookies with "; ").
        if (existing.isString())
            handshake.headers.insert(name, QString(existing.toString()
                                                   + (name == QLatin1String("cookie") ? QStringLiteral("; ")
                                                                                      : QStringLiteral(", "))
                                                   + value));
        else
            handshake.headers.insert(name, value);
    }
    handshake.time = conn->connectedAt();
    handshake.address = request.peerAddress.toString();
    if (handshake.address.startsWith(QLatin1String("::ffff:")))
        handshake.address = handshake.address.mid(7);
    handshake.xdomain = request.hasHeader("origin");
    handshake.secure = request.secure;
    handshake.issued = conn->connectedAt().toMSecsSinceEpoch();
    handshake.url = QString::fromUtf8(request.target);
    for (const auto &item : request.query) {
        if (!handshake.query.contains(item.first))
            handshake.query.insert(item.first, item.second);
    }
    handshake.auth = auth;
    return handshake;
}

} // namespace

Socket::Socket(Namespace *nsp, Client *client, const QCborMap &auth,
               const std::optional<RestoredSession> &previous)
    : QObject(nsp), m_nsp(nsp), m_client(client)
{
    m_handshake = makeHandshake(client->engine(), auth);
    if (previous) {
        m_id = previous->session.sid;
        m_pid = previous->session.pid;
        m_data = previous->session.data;
        m_missedPackets = previous->missedPackets;
        m_recovered = true;
        join(previous->session.rooms);
    } else {
        m_id = generateSessionId();
        if (nsp->server()->options().connectionStateRecovery.enabled)
            m_pid = generateSessionId();
    }
}

Socket::~Socket() = default;

Server *Socket::server() const
{
    return m_nsp->server();
}

EngineSocket *Socket::conn() const
{
    return m_client->engine();
}

const HttpRequest &Socket::request() const
{
    return conn()->request();
}

QString Socket::transportName() const
{
    return m_client->engine() ? m_client->engine()->transportName() : QString();
}

QSet<QString> Socket::rooms() const
{
    return m_nsp->adapter()->socketRooms(m_id);
}

void Socket::join(const QString &room)
{
    join(QSet<QString>{room});
}

void Socket::join(const QSet<QString> &rooms)
{
    const QSet<QString> before = m_nsp->adapter()->socketRooms(m_id);
    m_nsp->adapter()->addAll(m_id, rooms);
    for (const QString &room : rooms) {
        if (!before.contains(room))
            Q_EMIT roomJoined(room);
    }
}

void Socket::leave(const QString &room)
{
    const bool wasMember = m_nsp->adapter()->socketRooms(m_id).contains(room);
    m_nsp->adapter()->del(m_id, room);
    if (wasMember)
        Q_EMIT roomLeft(room);
}

bool Socket::acceptsListener(const QString &event) const
{
    // Of the reserved names, disconnecting and disconnect are called through on().
    if (SocketIO::isReservedEventName(event) && event != QLatin1String("disconnect")
        && event != QLatin1String("disconnecting")) {
        qCWarning(lcSocket).noquote() << "on(\"" + event + "\") is never called: use the signal"
                                      << (event == QLatin1String("connect") ? "Namespace::socketConnected"
                                                                            : "Namespace::connectionRefused")
                                      << "instead";
        return false;
    }
    return true;
}

void Socket::dispatch(const QString &event, const QCborArray &args, const Ack &ack)
{
    m_listeners.dispatch(event, args, ack, this);
}

void Socket::use(PacketMiddleware middleware)
{
    m_middlewares.append([middleware = std::move(middleware)](const QString &event, QCborArray &args, const PacketNext &next) {
        next(middleware(event, args));
    });
}

void Socket::use(AsyncPacketMiddleware middleware)
{
    m_middlewares.append(std::move(middleware));
}

void Socket::runMiddlewares(qsizetype index, const QString &event, const std::shared_ptr<QCborArray> &args,
                            const Ack &ack)
{
    if (index >= m_middlewares.size()) {
        dispatch(event, *args, ack);
        return;
    }
    auto called = std::make_shared<bool>(false);
    QPointer<Socket> self(this);
    const AsyncPacketMiddleware middleware = m_middlewares.at(index); // it may add others
    middleware(event, *args, [=](const std::optional<QString> &error) {
        if (*called || !self || !self->m_connected)
            return;
        *called = true;
        if (error) {
            Q_EMIT self->errorOccurred(*error);
            self->dispatch(QStringLiteral("error"), {*error}, {});
            return;
        }
        self->runMiddlewares(index + 1, event, args, ack);
    });
}

Socket &Socket::compress(bool compress)
{
    m_compressNext = compress;
    return *this;
}

void Socket::emitPacket(SocketIO::Packet packet, bool isVolatile)
{
    const bool compress = std::exchange(m_compressNext, true);
    if (!m_connected)
        return;
    if (server()->options().connectionStateRecovery.enabled && packet.id == SocketIO::NoAckId
        && !isVolatile) {
        // Through the adapter so the event is stored (with its offset) for replay.
        BroadcastOptions options;
        options.rooms.insert(m_id);
        options.flags.compress = compress;
        m_nsp->adapter()->broadcast(std::move(packet), options);
        return;
    }
    notifyOutgoing(packet);
    server()->countEventsOut(1);
    sendPacket(packet, isVolatile, compress);
}

void Socket::emitEvent(const QString &event, const QCborArray &args)
{
    if (SocketIO::isReservedEventName(event)) {
        qCWarning(lcSocket) << "refusing to emit reserved event" << event;
        return;
    }
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    emitPacket({SocketIO::PacketType::Event, m_nsp->name(), SocketIO::NoAckId, data}, false);
}

void Socket::emitVolatile(const QString &event, const QCborArray &args)
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    emitPacket({SocketIO::PacketType::Event, m_nsp->name(), SocketIO::NoAckId, data}, true);
}

void Socket::emitWithAck(const QString &event, const QCborArray &args, int timeoutMs,
                         AckCallback callback)
{
    const bool compress = std::exchange(m_compressNext, true);
    if (!m_connected) {
        if (callback)
            callback({false, QStringLiteral("socket has been disconnected"), {}});
        return;
    }
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    const qint64 id = m_nsp->nextAckId();
    registerAck(id, std::move(callback), timeoutMs);
    const SocketIO::Packet packet{SocketIO::PacketType::Event, m_nsp->name(), id, data};
    notifyOutgoing(packet);
    server()->countEventsOut(1);
    sendPacket(packet, false, compress);
}

QFuture<AckResult> Socket::emitWithAck(const QString &event, const QCborArray &args, int timeoutMs)
{
    auto promise = std::make_shared<QPromise<AckResult>>();
    promise->start();
    QFuture<AckResult> future = promise->future();
    emitWithAck(event, args, timeoutMs, [promise](const AckResult &result) {
        promise->addResult(result);
        promise->finish();
    });
    return future;
}

void Socket::registerAck(qint64 id, AckCallback callback, int timeoutMs)
{
    PendingAck pending{std::move(callback), 0};
    if (timeoutMs > 0)
        pending.timerId = startTimer(timeoutMs);
    m_acks.insert(id, std::move(pending));
}

void Socket::registerBroadcastAck(qint64 id, AckCallback callback, QDeadlineTimer expiry)
{
    dropExpiredBroadcastAcks();
    m_acks.insert(id, PendingAck{std::move(callback), 0, expiry});
}

void Socket::dropExpiredBroadcastAcks()
{
    m_acks.removeIf([](const auto &entry) { return entry.value().timerId == 0 && entry.value().expiry.hasExpired(); });
}

void Socket::timerEvent(QTimerEvent *event)
{
    for (auto it = m_acks.begin(); it != m_acks.end(); ++it) {
        if (it->timerId == event->timerId()) {
            killTimer(it->timerId);
            const AckCallback callback = std::move(it->callback);
            m_acks.erase(it);
            if (callback)
                callback({false, QStringLiteral("operation has timed out"), {}});
            return;
        }
    }
    QObject::timerEvent(event);
}

void Socket::failPendingAcks(const QString &error)
{
    const auto acks = std::exchange(m_acks, {});
    for (const PendingAck &pending : acks) {
        if (pending.timerId)
            killTimer(pending.timerId);
        if (pending.callback)
            pending.callback({false, error, {}});
    }
}

BroadcastOperator Socket::to(const QString &room) const
{
    return broadcast().to(room);
}

BroadcastOperator Socket::to(const QStringList &rooms) const
{
    return broadcast().to(rooms);
}

BroadcastOperator Socket::except(const QString &room) const
{
    return broadcast().except(room);
}

BroadcastOperator Socket::broadcast() const
{
    return BroadcastOperator(m_nsp).except(m_id);
}

void Socket::setData(const QCborMap &data)
{
    m_data = data;
    Q_EMIT dataChanged();
}

void Socket::setDataValue(const QString &key, const QCborValue &value)
{
    m_data.insert(key, value);
    Q_EMIT dataChanged();
}

void Socket::notifyOutgoing(const SocketIO::Packet &packet, bool broadcast)
{
    static const QMetaMethod sentSignal = QMetaMethod::fromSignal(&Socket::eventSent);
    const bool announce = !broadcast && isSignalConnected(sentSignal);
    if (!m_listeners.hasAny(EventListeners::Direction::Outgoing) && !announce)
        return;
    QCborArray args = packet.data.toArray();
    if (args.isEmpty())
        return;
    const QString event = eventName(args.first());
    args.removeFirst();
    m_listeners.runAny(EventListeners::Direction::Outgoing, event, args);
    if (announce)
        Q_EMIT eventSent(event, args);
}

void Socket::sendPacket(const SocketIO::Packet &packet, bool isVolatile, bool compress)
{
    m_client->writePacket(packet, isVolatile, compress);
}

void Socket::onConnect()
{
    m_connected = true;
    join(m_id);
    if (m_client->isLegacy()) {
        sendPacket({SocketIO::PacketType::Connect, m_nsp->name(), SocketIO::NoAckId, {}});
        return;
    }
    QCborMap reply;
    reply.insert(QStringLiteral("sid"), m_id);
    if (!m_pid.isEmpty())
        reply.insert(QStringLiteral("pid"), m_pid);
    sendPacket({SocketIO::PacketType::Connect, m_nsp->name(), SocketIO::NoAckId, reply});
    const auto missed = std::exchange(m_missedPackets, {});
    for (const QCborArray &data : missed)
        sendPacket({SocketIO::PacketType::Event, m_nsp->name(), SocketIO::NoAckId, data});
}

void Socket::onConnectError(const ConnectError &error)
{
    if (m_client->isLegacy()) {
        const QCborValue bare = error.data.isUndefined() ? QCborValue(error.message) : error.data;
        sendPacket({SocketIO::PacketType::ConnectError, m_nsp->name(), SocketIO::NoAckId, bare});
        return;
    }
    QCborMap payload;
    payload.insert(QStringLiteral("message"), error.message);
    if (!error.data.isUndefined())
        payload.insert(QStringLiteral("data"), error.data);
    sendPacket({SocketIO::PacketType::ConnectError, m_nsp->name(), SocketIO::NoAckId, payload});
}

void Socket::onPacket(const SocketIO::Packet &packet)
{
    switch (packet.type) {
    case SocketIO::PacketType::Event:
    case SocketIO::PacketType::BinaryEvent:
        onEvent(packet);
        break;
    case SocketIO::PacketType::Ack:
    case SocketIO::PacketType::BinaryAck:
        onAck(packet);
        break;
    case SocketIO::PacketType::Disconnect:
        onClose(QStringLiteral("client namespace disconnect"));
        break;
    default:
        break;
    }
}

QString Socket::eventName(const QCborValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isInteger())
        return QString::number(value.toInteger());
    if (value.isDouble())
        return QString::number(value.toDouble());
    return {};
}

void Socket::onEvent(const SocketIO::Packet &packet)
{
    QCborArray args = packet.data.toArray();
    const QString event = eventName(args.first());
    args.removeFirst();
    Ack ack;
    if (packet.id != SocketIO::NoAckId) {
        QPointer<Socket> self(this);
        const qint64 id = packet.id;
        ack = Ack([self, id](const QCborArray &reply) {
            if (!self || !self->m_connected)
                return;
            self->sendPacket({SocketIO::PacketType::Ack, self->m_nsp->name(), id, reply});
        });
    }
    server()->countEventIn();
    Q_EMIT eventReceived(event, args, ack.isRequested());
    m_listeners.runAny(EventListeners::Direction::Incoming, event, args);
    runMiddlewares(0, event, std::make_shared<QCborArray>(std::move(args)), ack);
}

void Socket::onAck(const SocketIO::Packet &packet)
{
    const auto it = m_acks.find(packet.id);
    if (it == m_acks.end() || (it->timerId == 0 && it->expiry.hasExpired())) {
        dropExpiredBroadcastAcks();
        return; // unknown or already timed out
    }
    PendingAck pending = std::move(*it);
    m_acks.erase(it);
    if (pending.timerId)
        killTimer(pending.timerId);
    if (pending.callback)
        pending.callback({true, {}, packet.data.toArray()});
}

void Socket::disconnect(bool close)
{
    if (!m_connected)
        return;
    if (close) {
        m_client->disconnectAll();
        return;
    }
    sendPacket({SocketIO::PacketType::Disconnect, m_nsp->name(), SocketIO::NoAckId, {}});
    onClose(QStringLiteral("server namespace disconnect"));
}

void Socket::onClose(const QString &reason)
{
    if (!m_connected)
        return;
    Q_EMIT disconnecting(reason);
    dispatch(QStringLiteral("disconnecting"), {reason}, {});
    if (!m_pid.isEmpty() && recoverableReasons().contains(reason)) {
        PersistedSession session;
        session.sid = m_id;
        session.pid = m_pid;
        session.rooms = rooms();
        session.data = m_data;
        m_nsp->adapter()->persistSession(session);
    }
    m_nsp->adapter()->delAll(m_id);
    m_connected = false;
    failPendingAcks(QStringLiteral("socket has been disconnected"));
    m_client->removeSocket(this);
    m_nsp->removeSocket(this, reason);
    Q_EMIT disconnected(reason);
    dispatch(QStringLiteral("disconnect"), {reason}, {});
    deleteLater();
}

} // namespace Plugboard
