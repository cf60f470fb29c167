#include "adminmirror.h"

#include <QtCore/QCborMap>
#include <QtCore/QDateTime>

#include <algorithm>

namespace Plugboard {

namespace {

QStringList sortedList(const QSet<QString> &set)
{
    QStringList list = set.values();
    std::sort(list.begin(), list.end());
    return list;
}

QString keyOf(const QString &nsp, const QString &id)
{
    return nsp + QLatin1Char('#') + id;
}

QDateTime timeOf(const QCborValue &timestamp)
{
    // The UI substitutes "now" when a server sends none; so do we, and for unreadable ones.
    if (timestamp.isString()) {
        const QDateTime parsed = QDateTime::fromString(timestamp.toString(), Qt::ISODateWithMs);
        if (parsed.isValid())
            return parsed.toUTC();
    }
    return QDateTime::currentDateTimeUtc();
}

} // namespace

bool AdminMirror::handle(const QString &event, const QCborArray &args)
{
    if (event == QLatin1String("server_stats"))
        return onServerStats(args);
    if (event == QLatin1String("config"))
        return onConfig(args);
    if (event == QLatin1String("all_sockets"))
        return args.at(0).isArray() && onAllSockets(args.at(0).toArray(), true);
    if (event == QLatin1String("all_sockets_page"))
        return args.at(0).isArray() && onAllSockets(args.at(0).toArray(), false);
    if (event == QLatin1String("socket_connected"))
        return onSocketConnected(args);
    if (event == QLatin1String("socket_updated"))
        return onSocketUpdated(args);
    if (event == QLatin1String("socket_disconnected"))
        return onSocketDisconnected(args);
    if (event == QLatin1String("room_joined"))
        return onRoom(args, true);
    if (event == QLatin1String("room_left"))
        return onRoom(args, false);
    if (event == QLatin1String("event_received"))
        return onEvent(args, EventRecord::Kind::Received);
    if (event == QLatin1String("event_sent"))
        return onEvent(args, EventRecord::Kind::Sent);
    if (event == QLatin1String("connection_error"))
        return onConnectionError(args);
    return true; // "session" and events of newer servers: nothing to mirror
}

void AdminMirror::reset()
{
    m_sockets.clear();
    m_rooms.clear();
    m_servers.clear();
    m_changedSockets.clear();
    m_removedSockets.clear();
    m_changedRooms.clear();
    m_events.clear();
    m_replaced = true;
    m_namespacesChanged = true;
}

bool AdminMirror::onConfig(const QCborArray &args)
{
    const QCborMap config = args.at(0).toMap();
    if (!args.at(0).isMap() || !config.value(QStringLiteral("supportedFeatures")).isArray())
        return false;
    m_features.clear();
    for (const QCborValue &feature : config.value(QStringLiteral("supportedFeatures")).toArray()) {
        if (feature.isString())
            m_features.append(feature.toString());
    }
    m_serverType = config.value(QStringLiteral("serverType")).toString();
    m_extensionsVersion = int(config.value(QStringLiteral("extensionsVersion")).toInteger(0));
    m_hasConfig = true;
    return true;
}

bool AdminMirror::addSocket(const QCborMap &serialized)
{
    const QString id = serialized.value(QStringLiteral("id")).toString();
    const QString nsp = serialized.value(QStringLiteral("nsp")).toString();
    if (id.isEmpty() || nsp.isEmpty())
        return false;
    if (hidden(nsp))
        return true;
    const QCborMap handshake = serialized.value(QStringLiteral("handshake")).toMap();
    SocketInfo info;
    info.nsp = nsp;
    info.id = id;
    info.clientId = serialized.value(QStringLiteral("clientId")).toString();
    info.transport = serialized.value(QStringLiteral("transport")).toString();
    info.address = handshake.value(QStringLiteral("address")).toString();
    const qint64 issued = handshake.value(QStringLiteral("issued")).toInteger(0);
    info.connectedAt = issued > 0 ? QDateTime::fromMSecsSinceEpoch(issued, Qt::UTC) : QDateTime::currentDateTimeUtc();
    info.data = serialized.value(QStringLiteral("data")).toMap();
    info.headers = handshake.value(QStringLiteral("headers")).toMap();
    info.query = handshake.value(QStringLiteral("query")).toMap();
    for (const QCborValue &room : serialized.value(QStringLiteral("rooms")).toArray()) {
        if (room.isString() && !room.toString().isEmpty()) {
            info.rooms.append(room.toString());
            setMembership(nsp, room.toString(), id, true);
        }
    }
    std::sort(info.rooms.begin(), info.rooms.end());
    const QString key = info.key();
    m_sockets.insert(key, info);
    m_changedSockets.insert(key);
    m_removedSockets.removeAll(key);
    m_namespacesChanged = true;
    return true;
}

bool AdminMirror::onAllSockets(const QCborArray &sockets, bool replace)
{
    if (replace) {
        m_sockets.clear();
        m_rooms.clear();
        m_changedSockets.clear();
        m_removedSockets.clear();
        m_changedRooms.clear();
        m_replaced = true;
    }
    bool ok = true;
    for (const QCborValue &socket : sockets)
        ok &= socket.isMap() && addSocket(socket.toMap());
    m_namespacesChanged = true;
    return ok;
}

bool AdminMirror::onSocketConnected(const QCborArray &args)
{
    if (!args.at(0).isMap() || !addSocket(args.at(0).toMap()))
        return false;
    const QCborMap socket = args.at(0).toMap();
    EventRecord r;
    r.kind = EventRecord::Kind::Connected;
    r.nsp = socket.value(QStringLiteral("nsp")).toString();
    r.socketId = socket.value(QStringLiteral("id")).toString();
    r.detail = socket.value(QStringLiteral("transport")).toString();
    record(r, args.at(1));
    return true;
}

bool AdminMirror::onSocketUpdated(const QCborArray &args)
{
    const QCborMap update = args.at(0).toMap();
    const QString key = keyOf(update.value(QStringLiteral("nsp")).toString(), update.value(QStringLiteral("id")).toString());
    if (!args.at(0).isMap())
        return false;
    const auto it = m_sockets.find(key);
    if (it == m_sockets.end())
        return true; // Node announces data set by a middleware before the socket itself
    if (update.value(QStringLiteral("transport")).isString())
        it->transport = update.value(QStringLiteral("transport")).toString();
    if (update.value(QStringLiteral("data")).isMap())
        it->data = update.value(QStringLiteral("data")).toMap();
    m_changedSockets.insert(key);
    return true;
}

bool AdminMirror::onSocketDisconnected(const QCborArray &args)
{
    if (!args.at(0).isString() || !args.at(1).isString())
        return false;
    const QString nsp = args.at(0).toString();
    const QString id = args.at(1).toString();
    const QString key = keyOf(nsp, id);
    if (m_sockets.remove(key)) {
        m_changedSockets.remove(key);
        m_removedSockets.append(key);
        m_namespacesChanged = true;
    }
    ++m_stats.disconnectsByReason[args.at(2).toString()];
    if (hidden(nsp))
        return true;
    EventRecord r;
    r.kind = EventRecord::Kind::Disconnected;
    r.nsp = nsp;
    r.socketId = id;
    r.detail = args.at(2).toString();
    if (args.at(4).isString())
        r.detail += QStringLiteral(": ") + args.at(4).toString();
    record(r, args.at(3));
    return true;
}

void AdminMirror::setMembership(const QString &nsp, const QString &room, const QString &id, bool member)
{
    const QPair<QString, QString> roomKey{nsp, room};
    if (member) {
        m_rooms[roomKey].insert(id);
    } else {
        const auto it = m_rooms.find(roomKey);
        if (it == m_rooms.end())
            return;
        it->remove(id);
        if (it->isEmpty())
            m_rooms.erase(it); // rooms exist only while occupied
    }
    m_changedRooms.insert(roomKey);
}

bool AdminMirror::onRoom(const QCborArray &args, bool joined)
{
    if (!args.at(0).isString() || !args.at(1).isString() || !args.at(2).isString())
        return false;
    const QString nsp = args.at(0).toString();
    const QString room = args.at(1).toString();
    const QString id = args.at(2).toString();
    if (hidden(nsp))
        return true;
    setMembership(nsp, room, id, joined);
    const QString key = keyOf(nsp, id);
    if (const auto it = m_sockets.find(key); it != m_sockets.end()) {
        if (joined && !it->rooms.contains(room)) {
            it->rooms.append(room);
            std::sort(it->rooms.begin(), it->rooms.end());
        } else if (!joined) {
            it->rooms.removeAll(room);
        }
        m_changedSockets.insert(key);
    }
    if (room == id)
        return true; // a socket's own room: implied, not worth a log line
    EventRecord r;
    r.kind = joined ? EventRecord::Kind::RoomJoined : EventRecord::Kind::RoomLeft;
    r.nsp = nsp;
    r.socketId = id;
    r.detail = room;
    record(r, args.at(3));
    return true;
}

bool AdminMirror::onEvent(const QCborArray &args, EventRecord::Kind kind)
{
    const QCborArray packet = args.at(2).toArray();
    if (!args.at(0).isString() || !args.at(1).isString() || !args.at(2).isArray() || packet.isEmpty())
        return false;
    if (hidden(args.at(0).toString()))
        return true;
    EventRecord r;
    r.kind = kind;
    r.nsp = args.at(0).toString();
    r.socketId = args.at(1).toString();
    r.event = packet.at(0).isString() ? packet.at(0).toString() : packet.at(0).toDiagnosticNotation();
    for (qsizetype i = 1; i < packet.size(); ++i)
        r.args.append(packet.at(i));
    record(r, args.at(3));
    return true;
}

bool AdminMirror::onConnectionError(const QCborArray &args)
{
    if (!args.at(0).isString() || !args.at(2).isString())
        return false;
    ++m_stats.connectErrors;
    EventRecord r;
    r.kind = EventRecord::Kind::ConnectRefused;
    r.nsp = args.at(0).toString();
    r.socketId = args.at(1).toString();
    r.detail = args.at(2).toString();
    record(r, args.at(3));
    return true;
}

bool AdminMirror::onServerStats(const QCborArray &args)
{
    const QCborMap stats = args.at(0).toMap();
    if (!args.at(0).isMap() || !stats.value(QStringLiteral("clientsCount")).isInteger())
        return false;
    const QString serverId = stats.value(QStringLiteral("serverId")).toString();
    ServerReport &report = m_servers[serverId];
    report.clients = int(stats.value(QStringLiteral("clientsCount")).toInteger());
    report.pollingClients = int(stats.value(QStringLiteral("pollingClientsCount")).toInteger());
    report.residentBytes = stats.value(QStringLiteral("memoryUsage")).toMap().value(QStringLiteral("rss")).toInteger();
    report.namespaces.clear();
    for (const QCborValue &entry : stats.value(QStringLiteral("namespaces")).toArray()) {
        const QCborMap nsp = entry.toMap();
        const QString name = nsp.value(QStringLiteral("name")).toString();
        if (!name.isEmpty() && !hidden(name))
            report.namespaces.append({name, int(nsp.value(QStringLiteral("socketsCount")).toInteger())});
    }
    for (const QCborValue &entry : stats.value(QStringLiteral("aggregatedEvents")).toArray()) {
        const QCborMap aggregated = entry.toMap();
        const QString type = aggregated.value(QStringLiteral("type")).toString();
        const qint64 count = std::max<qint64>(0, aggregated.value(QStringLiteral("count")).toInteger());
        if (type == QLatin1String("packetsIn"))
            m_stats.eventsIn += count;
        else if (type == QLatin1String("packetsOut"))
            m_stats.eventsOut += count;
        else if (type == QLatin1String("bytesIn"))
            m_stats.bytesIn += count;
        else if (type == QLatin1String("bytesOut"))
            m_stats.bytesOut += count;
        else if (type == QLatin1String("rawConnection"))
            m_stats.connectionsTotal += count;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!m_stats.startedAt.isValid()) {
        const double uptime = stats.value(QStringLiteral("uptime")).toDouble();
        m_stats.startedAt = now.addMSecs(-qint64(uptime * 1000));
    }
    m_stats.sampledAt = now;
    m_stats.clients = 0;
    m_stats.pollingClients = 0;
    m_stats.residentBytes = 0;
    for (const ServerReport &server : std::as_const(m_servers)) {
        m_stats.clients += server.clients;
        m_stats.pollingClients += server.pollingClients;
        m_stats.residentBytes += server.residentBytes;
    }
    m_stats.webSocketClients = m_stats.clients - m_stats.pollingClients;
    m_namespacesChanged = true;
    return true;
}

QList<NamespaceInfo> AdminMirror::namespaceList() const
{
    // With the per-socket stream the mirror's own count is the freshest; without it (a server in
    // production mode) the servers' reports are all there is.
    const bool streamed = m_features.contains(QStringLiteral("ALL_EVENTS"));
    QMap<QString, int> counts;
    for (const ServerReport &server : std::as_const(m_servers)) {
        for (const NamespaceInfo &nsp : server.namespaces)
            counts[nsp.name] += streamed ? 0 : nsp.sockets;
    }
    if (streamed) {
        for (const SocketInfo &socket : std::as_const(m_sockets))
            ++counts[socket.nsp];
    }
    QList<NamespaceInfo> list;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        list.append({it.key(), it.value()});
    return list;
}

RoomInfo AdminMirror::describeRoom(const QString &nsp, const QString &room) const
{
    RoomInfo info;
    info.nsp = nsp;
    info.name = room;
    info.members = sortedList(m_rooms.value({nsp, room}));
    info.isPrivate = m_sockets.contains(keyOf(nsp, room));
    return info;
}

void AdminMirror::record(EventRecord r, const QCborValue &timestamp)
{
    if (m_events.size() >= m_options.maxEventsPerBatch) {
        ++m_eventsDropped;
        return;
    }
    r.seq = ++m_seq;
    r.time = timeOf(timestamp);
    m_events.append(std::move(r));
}

bool AdminMirror::hasChanges() const
{
    return m_replaced || !m_changedSockets.isEmpty() || !m_removedSockets.isEmpty() || !m_changedRooms.isEmpty()
        || m_namespacesChanged || !m_events.isEmpty() || m_eventsDropped > 0;
}

MonitorBatch AdminMirror::snapshot() const
{
    MonitorBatch batch;
    batch.isSnapshot = true;
    batch.socketsAdded = m_sockets.values();
    for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it)
        batch.roomsChanged.append(describeRoom(it.key().first, it.key().second));
    batch.namespaces = namespaceList();
    batch.stats = m_stats;
    batch.stats.sockets = int(m_sockets.size());
    batch.stats.rooms = publicRoomCount();
    return batch;
}

int AdminMirror::publicRoomCount() const
{
    // As ServerCensus counts them: a socket's own room is not a room worth counting.
    int count = 0;
    for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it)
        count += m_sockets.contains(keyOf(it.key().first, it.key().second)) ? 0 : 1;
    return count;
}

MonitorBatch AdminMirror::takeBatch()
{
    if (m_replaced) {
        m_replaced = false;
        MonitorBatch batch = snapshot();
        batch.events = std::exchange(m_events, {});
        batch.eventsDropped = std::exchange(m_eventsDropped, 0);
        m_changedSockets.clear();
        m_removedSockets.clear();
        m_changedRooms.clear();
        m_namespacesChanged = false;
        return batch;
    }
    MonitorBatch batch;
    for (const QString &key : std::as_const(m_changedSockets)) {
        if (const auto it = m_sockets.constFind(key); it != m_sockets.cend())
            batch.socketsAdded.append(*it);
    }
    m_changedSockets.clear();
    batch.socketsRemoved = std::exchange(m_removedSockets, {});
    for (const auto &room : std::as_const(m_changedRooms)) {
        if (m_rooms.contains(room))
            batch.roomsChanged.append(describeRoom(room.first, room.second));
        else
            batch.roomsRemoved.append(room);
    }
    m_changedRooms.clear();
    if (m_namespacesChanged) {
        batch.namespaces = namespaceList();
        m_namespacesChanged = false;
    }
    batch.events = std::exchange(m_events, {});
    batch.eventsDropped = std::exchange(m_eventsDropped, 0);
    batch.stats = m_stats;
    batch.stats.sockets = int(m_sockets.size());
    batch.stats.rooms = publicRoomCount();
    return batch;
}

} // namespace Plugboard
