#include "inmemoryadapter.h"

#include "../engine/outboundmessage.h"
#include "../logging.h"
#include "../sio/client.h"
#include "../sio/namespace.h"
#include "../sio/server.h"
#include "../sio/socket.h"

#include <QtCore/QDateTime>
#include <QtCore/QMetaMethod>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimerEvent>

#include <algorithm>

namespace Plugboard {

Adapter::Adapter(Namespace *nsp) : QObject(nsp), m_nsp(nsp) {}

void Adapter::announceBroadcast(const SocketIO::Packet &packet, const BroadcastOptions &options,
                                int recipients)
{
    m_nsp->server()->countEventsOut(recipients);
    static const QMetaMethod broadcastSignal = QMetaMethod::fromSignal(&Adapter::eventBroadcast);
    if (!isSignalConnected(broadcastSignal))
        return;
    QCborArray args = packet.data.toArray();
    const QString event = args.isEmpty() ? QString() : args.first().toString();
    if (!args.isEmpty())
        args.removeFirst();
    Q_EMIT eventBroadcast(event, args, options, recipients);
}

InMemoryAdapter::InMemoryAdapter(Namespace *nsp) : Adapter(nsp)
{
    if (recoveryEnabled())
        m_purgeTimer.start(60 * 1000, this);
}

InMemoryAdapter::~InMemoryAdapter() = default;

bool InMemoryAdapter::recoveryEnabled() const
{
    return m_nsp->server()->options().connectionStateRecovery.enabled;
}

void InMemoryAdapter::addAll(const QString &socketId, const QSet<QString> &rooms)
{
    QStringList &socketRooms = m_sids[socketId];
    for (const QString &room : rooms) {
        const auto at = std::lower_bound(socketRooms.cbegin(), socketRooms.cend(), room);
        if (at != socketRooms.cend() && *at == room)
            continue;
        socketRooms.insert(at, room);
        auto it = m_rooms.find(room);
        if (it == m_rooms.end()) {
            it = m_rooms.insert(room, {});
            Q_EMIT roomCreated(room);
        }
        it->insert(socketId);
        Q_EMIT roomJoined(room, socketId);
    }
}

void InMemoryAdapter::removeFromRoom(const QString &socketId, const QString &room)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end() || !it->remove(socketId))
        return;
    Q_EMIT roomLeft(room, socketId);
    if (it->isEmpty()) {
        m_rooms.erase(it);
        Q_EMIT roomDeleted(room);
    }
}

void InMemoryAdapter::del(const QString &socketId, const QString &room)
{
    auto sid = m_sids.find(socketId);
    if (sid != m_sids.end()) {
        const auto at = std::lower_bound(sid->cbegin(), sid->cend(), room);
        if (at != sid->cend() && *at == room)
            sid->erase(at);
    }
    removeFromRoom(socketId, room);
}

void InMemoryAdapter::delAll(const QString &socketId)
{
    const QStringList rooms = m_sids.take(socketId);
    for (const QString &room : rooms)
        removeFromRoom(socketId, room);
}

void InMemoryAdapter::forEachSocket(const BroadcastOptions &options,
                                    const std::function<void(Socket *)> &fn) const
{
    QSet<QString> excluded;
    for (const QString &room : options.except) {
        const auto it = m_rooms.constFind(room);
        if (it != m_rooms.cend())
            excluded.unite(*it);
    }
    const auto visit = [&](const QString &id) {
        if (excluded.contains(id))
            return;
        if (Socket *socket = m_nsp->socket(id))
            fn(socket);
    };
    if (options.rooms.isEmpty()) {
        const auto sockets = m_nsp->sockets();
        for (auto it = sockets.cbegin(); it != sockets.cend(); ++it)
            visit(it.key());
        return;
    }
    if (options.rooms.size() == 1) {
        const auto it = m_rooms.constFind(*options.rooms.cbegin());
        if (it == m_rooms.cend())
            return;
        const QSet<QString> members = *it; // fn may change rooms
        for (const QString &id : members)
            visit(id);
        return;
    }
    QSet<QString> seen;
    for (const QString &room : options.rooms) {
        const auto it = m_rooms.constFind(room);
        if (it == m_rooms.cend())
            continue;
        const QSet<QString> members = *it;
        for (const QString &id : members) {
            if (seen.contains(id))
                continue;
            seen.insert(id);
            visit(id);
        }
    }
}

void InMemoryAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    const bool isEvent = packet.type == SocketIO::PacketType::Event
                      || packet.type == SocketIO::PacketType::BinaryEvent;
    if (recoveryEnabled() && isEvent && packet.id == SocketIO::NoAckId && !options.flags.isVolatile) {
        // Each stored event carries its offset as a last argument; the client reports the last
        // one it saw when it reconnects.
        const QString offset = QString::number(++m_nextOffset, 36);
        QCborArray data = packet.data.toArray();
        data.append(offset);
        packet.data = data;
        m_packets.push_back({offset, options, data, QDateTime::currentMSecsSinceEpoch()});
        const int cap = m_nsp->server()->options().connectionStateRecovery.maxBufferedPackets;
        while (int(m_packets.size()) > cap)
            m_packets.pop_front();
    }
    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet);
    const OutboundMessage message(encoded.text, encoded.attachments);
    const bool isVolatile = options.flags.isVolatile;
    int recipients = 0;
    forEachSocket(options, [&](Socket *socket) {
        ++recipients;
        socket->notifyOutgoing(packet, true);
        socket->client()->write(message, isVolatile);
    });
    announceBroadcast(packet, options, recipients);
}

void InMemoryAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                       const std::function<void(int)> &clientCount,
                                       const std::function<void(const AckResponse &)> &ack)
{
    packet.id = m_nsp->nextAckId();
    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet);
    const OutboundMessage message(encoded.text, encoded.attachments);
    int count = 0;
    const QDeadlineTimer expiry(options.flags.timeoutMs > 0 ? options.flags.timeoutMs : 10000);
    forEachSocket(options, [&](Socket *socket) {
        ++count;
        socket->registerBroadcastAck(
            packet.id,
            [ack, id = socket->id()](const AckResult &result) {
                if (result.ok)
                    ack({id, result.args});
            },
            expiry);
        socket->notifyOutgoing(packet, true);
        socket->client()->write(message, options.flags.isVolatile);
    });
    announceBroadcast(packet, options, count);
    clientCount(count);
}

QSet<QString> InMemoryAdapter::sockets(const QSet<QString> &rooms) const
{
    QSet<QString> ids;
    forEachSocket({rooms, {}, {}}, [&](Socket *socket) { ids.insert(socket->id()); });
    return ids;
}

QSet<QString> InMemoryAdapter::socketRooms(const QString &socketId) const
{
    const QStringList rooms = m_sids.value(socketId);
    return QSet<QString>(rooms.cbegin(), rooms.cend());
}

QList<Socket *> InMemoryAdapter::fetchSockets(const BroadcastOptions &options) const
{
    QList<Socket *> sockets;
    forEachSocket(options, [&](Socket *socket) { sockets.append(socket); });
    return sockets;
}

void InMemoryAdapter::addSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    forEachSocket(options, [&](Socket *socket) { socket->join(rooms); });
}

void InMemoryAdapter::delSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    forEachSocket(options, [&](Socket *socket) {
        for (const QString &room : rooms)
            socket->leave(room);
    });
}

void InMemoryAdapter::disconnectSockets(const BroadcastOptions &options, bool close)
{
    QList<QPointer<Socket>> targets;
    forEachSocket(options, [&](Socket *socket) { targets.append(socket); });
    for (const QPointer<Socket> &socket : targets) {
        if (socket)
            socket->disconnect(close);
    }
}

void InMemoryAdapter::persistSession(const PersistedSession &session)
{
    PersistedSession stored = session;
    stored.disconnectedAt = QDateTime::currentMSecsSinceEpoch();
    m_sessions.insert(session.pid, stored);
}

std::optional<RestoredSession> InMemoryAdapter::restoreSession(const QString &pid, const QString &offset)
{
    const auto it = m_sessions.constFind(pid);
    if (it == m_sessions.cend())
        return std::nullopt;
    const PersistedSession session = *it;
    m_sessions.erase(it);
    const qint64 maxAge = m_nsp->server()->options().connectionStateRecovery.maxDisconnectionDuration;
    if (QDateTime::currentMSecsSinceEpoch() - session.disconnectedAt > maxAge)
        return std::nullopt;
    auto packet = std::find_if(m_packets.begin(), m_packets.end(),
                               [&](const StoredPacket &p) { return p.offset == offset; });
    if (packet == m_packets.end())
        return std::nullopt;
    RestoredSession restored{session, {}};
    for (++packet; packet != m_packets.end(); ++packet) {
        const BroadcastOptions &options = packet->options;
        bool included = options.rooms.isEmpty();
        bool excluded = false;
        for (const QString &room : session.rooms) {
            included = included || options.rooms.contains(room);
            excluded = excluded || options.except.contains(room);
        }
        if (included && !excluded)
            restored.missedPackets.append(packet->data);
    }
    return restored;
}

void InMemoryAdapter::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_purgeTimer.timerId())
        return Adapter::timerEvent(event);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 maxAge = m_nsp->server()->options().connectionStateRecovery.maxDisconnectionDuration;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (now - it->disconnectedAt > maxAge)
            it = m_sessions.erase(it);
        else
            ++it;
    }
    while (!m_packets.empty() && now - m_packets.front().storedAt > maxAge)
        m_packets.pop_front();
}

} // namespace Plugboard
