#include "inmemoryadapter.h"

#include "adapterhost.h"

#include <QtCore/QDateTime>
#include <QtCore/QMetaMethod>
#include <QtCore/QTimerEvent>

#include <algorithm>

namespace Plugboard {

namespace {
constexpr int DefaultBroadcastAckTimeout = 10000;
}

Adapter::Adapter(AdapterHost *host, QObject *parent) : QObject(parent), m_host(host) {}

void Adapter::announceBroadcast(const SocketIO::Packet &packet, const BroadcastOptions &options,
                                int recipients)
{
    static const QMetaMethod broadcastSignal = QMetaMethod::fromSignal(&Adapter::eventBroadcast);
    if (!isSignalConnected(broadcastSignal))
        return;
    QCborArray args = packet.data.toArray();
    const QString event = args.isEmpty() ? QString() : args.first().toString();
    if (!args.isEmpty())
        args.removeFirst();
    Q_EMIT eventBroadcast(event, args, options, recipients);
}

InMemoryAdapter::InMemoryAdapter(AdapterHost *host, QObject *parent) : Adapter(host, parent)
{
    if (m_host->recoveryOptions().enabled)
        m_purgeTimer.start(60 * 1000, this);
}

InMemoryAdapter::~InMemoryAdapter() = default;

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

QSet<QString> InMemoryAdapter::socketRooms(const QString &socketId) const
{
    const QStringList rooms = m_sids.value(socketId);
    return QSet<QString>(rooms.cbegin(), rooms.cend());
}

QStringList InMemoryAdapter::localSockets(const BroadcastOptions &options) const
{
    QSet<QString> excluded;
    for (const QString &room : options.except) {
        const auto it = m_rooms.constFind(room);
        if (it != m_rooms.cend())
            excluded.unite(*it);
    }
    QStringList ids;
    if (options.rooms.isEmpty()) {
        ids = m_host->localSocketIds();
        if (!excluded.isEmpty())
            ids.removeIf([&](const QString &id) { return excluded.contains(id); });
        return ids;
    }
    if (options.rooms.size() == 1) {
        const auto it = m_rooms.constFind(*options.rooms.cbegin());
        if (it == m_rooms.cend())
            return ids;
        ids.reserve(it->size());
        for (const QString &id : *it) {
            if (!excluded.contains(id) && m_host->hasLocalSocket(id))
                ids.append(id);
        }
        return ids;
    }
    QSet<QString> seen;
    for (const QString &room : options.rooms) {
        const auto it = m_rooms.constFind(room);
        if (it == m_rooms.cend())
            continue;
        for (const QString &id : *it) {
            if (excluded.contains(id) || seen.contains(id) || !m_host->hasLocalSocket(id))
                continue;
            seen.insert(id);
            ids.append(id);
        }
    }
    return ids;
}

int InMemoryAdapter::broadcastLocally(SocketIO::Packet packet, const BroadcastOptions &options)
{
    const bool isEvent = packet.type == SocketIO::PacketType::Event
                      || packet.type == SocketIO::PacketType::BinaryEvent;
    const AdapterHost::Recovery recovery = m_host->recoveryOptions();
    if (recovery.enabled && isEvent && packet.id == SocketIO::NoAckId && !options.flags.isVolatile) {
        // Each stored event carries its offset as a last argument; the client reports the last
        // one it saw when it reconnects.
        const QString offset = QString::number(++m_nextOffset, 36);
        QCborArray data = packet.data.toArray();
        data.append(offset);
        packet.data = data;
        m_packets.push_back({offset, options, data, QDateTime::currentMSecsSinceEpoch()});
        while (int(m_packets.size()) > recovery.maxBufferedPackets)
            m_packets.pop_front();
    }
    const int recipients = m_host->deliverToLocalSockets(packet, localSockets(options), options.flags);
    announceBroadcast(packet, options, recipients);
    return recipients;
}

void InMemoryAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    broadcastLocally(std::move(packet), options);
}

int InMemoryAdapter::broadcastWithAckLocally(SocketIO::Packet packet, const BroadcastOptions &options,
                                             const std::function<void(const AckResponse &)> &ack)
{
    packet.id = m_host->nextAckId();
    const QDeadlineTimer expiry(options.flags.timeoutMs > 0 ? options.flags.timeoutMs : DefaultBroadcastAckTimeout);
    const int count = m_host->deliverToLocalSocketsWithAck(packet, localSockets(options),
                                                           options.flags, expiry, ack);
    announceBroadcast(packet, options, count);
    return count;
}

void InMemoryAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                       const std::function<void(int)> &clientCount,
                                       const std::function<void(const AckResponse &)> &ack)
{
    clientCount(broadcastWithAckLocally(std::move(packet), options, ack));
}

QList<SocketDetails> InMemoryAdapter::localSocketDetails(const BroadcastOptions &options) const
{
    QList<SocketDetails> sockets;
    for (const QString &id : localSockets(options)) {
        if (std::optional<SocketDetails> details = m_host->localSocketDetails(id))
            sockets.append(std::move(*details));
    }
    return sockets;
}

QStringList InMemoryAdapter::localRoomNames() const
{
    return m_rooms.keys();
}

void InMemoryAdapter::fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done)
{
    done({true, {}, localSocketDetails(options)});
}

void InMemoryAdapter::allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done)
{
    done({true, {}, localSockets({rooms, {}, {}})});
}

void InMemoryAdapter::allRooms(const ReplyCallback<QStringList> &done)
{
    done({true, {}, localRoomNames()});
}

void InMemoryAdapter::addSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    m_host->joinLocalSockets(localSockets(options), rooms);
}

void InMemoryAdapter::delSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    m_host->leaveLocalSockets(localSockets(options), rooms);
}

void InMemoryAdapter::disconnectSockets(const BroadcastOptions &options, bool close)
{
    m_host->disconnectLocalSockets(localSockets(options), close);
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
    const qint64 maxAge = m_host->recoveryOptions().maxDisconnectionDuration;
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
    const qint64 maxAge = m_host->recoveryOptions().maxDisconnectionDuration;
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
