#include "servermonitor.h"

#include "processusage.h"
#include "servercensus.h"

#include "../adapter/adapter.h"
#include "../engine/engineserver.h"
#include "../engine/enginesocket.h"
#include "../sio/client.h"
#include "../sio/namespace.h"
#include "../sio/server.h"
#include "../sio/socket.h"

#include <QtCore/QTimerEvent>

#include <algorithm>

namespace Plugboard {

namespace {

QStringList sorted(QStringList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

bool isSecretKey(const QString &key)
{
    static const QStringList markers{QStringLiteral("token"),  QStringLiteral("password"),
                                     QStringLiteral("secret"), QStringLiteral("key"),
                                     QStringLiteral("authorization"), QStringLiteral("cookie"),
                                     QStringLiteral("passwd"), QStringLiteral("credential")};
    const QString lower = key.toLower();
    return std::any_of(markers.cbegin(), markers.cend(),
                       [&](const QString &marker) { return lower.contains(marker); });
}

} // namespace

ServerMonitor::ServerMonitor(Server *server, QObject *parent) : ServerMonitor(server, Options(), parent) {}

ServerMonitor::ServerMonitor(Server *server, Options options, QObject *parent)
    : QObject(parent), m_server(server), m_options(options), m_startedAt(QDateTime::currentDateTimeUtc())
{
    qRegisterMetaType<Plugboard::MonitorBatch>();
    for (Namespace *nsp : server->namespaces())
        watchNamespace(nsp);
    connect(server, &Server::namespaceCreated, this, &ServerMonitor::watchNamespace);
    connect(server, &Server::namespaceRemoved, this, [this] { m_namespacesChanged = true; });
    m_timer.start(m_options.batchIntervalMs, this);
}

ServerMonitor::~ServerMonitor() = default;

QCborMap ServerMonitor::maskSecrets(const QCborMap &map)
{
    QCborMap masked;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const QString key = it.key().toString();
        if (isSecretKey(key) && !it.value().isMap())
            masked.insert(it.key(), QStringLiteral("••••••"));
        else if (it.value().isMap())
            masked.insert(it.key(), maskSecrets(it.value().toMap()));
        else
            masked.insert(it.key(), it.value());
    }
    return masked;
}

void ServerMonitor::watchNamespace(Namespace *nsp)
{
    m_namespacesChanged = true;
    if (m_options.hiddenNamespaces.contains(nsp->name()))
        return;
    for (Socket *socket : nsp->sockets())
        watchSocket(socket);
    connect(nsp, &Namespace::socketConnected, this, [this](Socket *socket) {
        watchSocket(socket);
        EventRecord r;
        r.kind = EventRecord::Kind::Connected;
        r.nsp = socket->nsp()->name();
        r.socketId = socket->id();
        r.detail = socket->transportName();
        record(r);
        m_namespacesChanged = true;
    });
    connect(nsp, &Namespace::connectionRefused, this, [this, nsp](const QString &clientId, const ConnectError &error) {
        EventRecord r;
        r.kind = EventRecord::Kind::ConnectRefused;
        r.nsp = nsp->name();
        r.socketId = clientId;
        r.detail = error.message;
        record(r);
    });
    Adapter *adapter = nsp->adapter();
    connect(adapter, &Adapter::roomJoined, this, [this, nsp](const QString &room, const QString &id) {
        markRoomChanged(nsp, room);
        if (Socket *socket = nsp->socket(id))
            markSocketChanged(socket);
    });
    connect(adapter, &Adapter::roomLeft, this, [this, nsp](const QString &room, const QString &id) {
        markRoomChanged(nsp, room);
        if (Socket *socket = nsp->socket(id))
            markSocketChanged(socket);
    });
    connect(adapter, &Adapter::eventBroadcast, this,
            [this, nsp](const QString &event, const QCborArray &args, const BroadcastOptions &options, int recipients) {
                EventRecord r;
                r.kind = EventRecord::Kind::Broadcast;
                r.nsp = nsp->name();
                // With recovery on, a socket's own emits travel as a broadcast to its room.
                if (options.rooms.size() == 1 && options.except.isEmpty()
                    && nsp->socket(*options.rooms.cbegin())) {
                    r.kind = EventRecord::Kind::Sent;
                    r.socketId = *options.rooms.cbegin();
                }
                r.rooms = sorted(options.rooms.values());
                r.except = sorted(options.except.values());
                r.recipients = recipients;
                r.event = event;
                if (m_options.recordArguments)
                    r.args = args;
                record(r);
            });
}

void ServerMonitor::watchSocket(Socket *socket)
{
    const QString key = socket->nsp()->name() + QLatin1Char('#') + socket->id();
    m_socketsByKey.insert(key, socket);
    m_changedSockets.insert(key);
    m_removedSockets.removeAll(key);
    const QString nsp = socket->nsp()->name();
    const QString id = socket->id();
    if (EngineSocket *conn = socket->conn()) {
        // The transport column changes when the connection upgrades to WebSocket.
        connect(conn, &EngineSocket::upgraded, this, [this, guard = QPointer<Socket>(socket)] {
            if (guard)
                markSocketChanged(guard);
        });
    }
    connect(socket, &Socket::eventReceived, this,
            [this, nsp, id](const QString &event, const QCborArray &args, bool ackRequested) {
                EventRecord r;
                r.kind = EventRecord::Kind::Received;
                r.nsp = nsp;
                r.socketId = id;
                r.event = event;
                if (m_options.recordArguments)
                    r.args = args;
                r.ackRequested = ackRequested;
                record(r);
            });
    connect(socket, &Socket::eventSent, this, [this, nsp, id](const QString &event, const QCborArray &args) {
        EventRecord r;
        r.kind = EventRecord::Kind::Sent;
        r.nsp = nsp;
        r.socketId = id;
        r.event = event;
        if (m_options.recordArguments)
            r.args = args;
        record(r);
    });
    // A socket's own room is implied by its id; only other rooms are worth a log line.
    const auto roomRecorder = [this, nsp, id](EventRecord::Kind kind) {
        return [this, nsp, id, kind](const QString &room) {
            if (room == id)
                return;
            EventRecord r;
            r.kind = kind;
            r.nsp = nsp;
            r.socketId = id;
            r.detail = room;
            record(r);
        };
    };
    connect(socket, &Socket::roomJoined, this, roomRecorder(EventRecord::Kind::RoomJoined));
    connect(socket, &Socket::roomLeft, this, roomRecorder(EventRecord::Kind::RoomLeft));
    connect(socket, &Socket::disconnected, this, [this, key, nsp, id](const QString &reason) {
        m_socketsByKey.remove(key);
        m_changedSockets.remove(key);
        m_removedSockets.append(key);
        m_namespacesChanged = true;
        ++m_disconnectsByReason[reason];
        EventRecord r;
        r.kind = EventRecord::Kind::Disconnected;
        r.nsp = nsp;
        r.socketId = id;
        r.detail = reason;
        record(r);
    });
}

void ServerMonitor::record(EventRecord r)
{
    if (!m_options.recordEvents)
        return;
    if (m_events.size() >= m_options.maxEventsPerBatch) {
        ++m_eventsDropped;
        return;
    }
    r.seq = ++m_seq;
    r.time = QDateTime::currentDateTimeUtc();
    m_events.append(std::move(r));
}

void ServerMonitor::markSocketChanged(const Socket *socket)
{
    const QString key = socket->nsp()->name() + QLatin1Char('#') + socket->id();
    if (m_socketsByKey.contains(key))
        m_changedSockets.insert(key);
}

void ServerMonitor::markRoomChanged(const Namespace *nsp, const QString &room)
{
    m_changedRooms.insert({nsp->name(), room});
}

SocketInfo ServerMonitor::describe(const Socket *socket) const
{
    SocketInfo info;
    info.nsp = socket->nsp()->name();
    info.id = socket->id();
    info.clientId = socket->client()->id();
    info.transport = socket->transportName();
    const SocketHandshake &handshake = socket->handshake();
    info.address = handshake.address;
    info.connectedAt = handshake.time;
    info.rooms = sorted(socket->rooms().values());
    info.data = socket->data();
    info.headers = maskSecrets(handshake.headers);
    info.query = handshake.query;
    info.auth = maskSecrets(handshake.auth);
    info.recovered = socket->isRecovered();
    return info;
}

RoomInfo ServerMonitor::describeRoom(const Namespace *nsp, const QString &room) const
{
    RoomInfo info;
    info.nsp = nsp->name();
    info.name = room;
    info.members = sorted(nsp->adapter()->rooms().value(room).values());
    info.isPrivate = nsp->socket(room) != nullptr || (info.members.size() == 1 && info.members.first() == room);
    return info;
}

ServerStats ServerMonitor::stats() const
{
    ServerStats s;
    s.sampledAt = QDateTime::currentDateTimeUtc();
    s.startedAt = m_startedAt;
    s.disconnectsByReason = m_disconnectsByReason;
    s.residentBytes = ProcessUsage::sample().residentBytes;
    if (!m_server)
        return s;
    const ServerCensus census = ServerCensus::of(*m_server);
    s.clients = census.clients;
    s.pollingClients = census.pollingClients;
    s.webSocketClients = census.webSocketClients;
    s.sockets = census.sockets;
    s.rooms = census.rooms;
    const auto &engine = m_server->engine()->counters();
    s.bytesIn = engine.bytesIn;
    s.bytesOut = engine.bytesOut;
    const auto &sio = m_server->counters();
    s.eventsIn = sio.eventsIn;
    s.eventsOut = sio.eventsOut;
    s.connectionsTotal = sio.connections;
    s.connectErrors = sio.connectErrors;
    s.adapter = m_server->mainNamespace()->adapter()->status();
    return s;
}

MonitorBatch ServerMonitor::snapshot() const
{
    MonitorBatch batch;
    batch.isSnapshot = true;
    if (!m_server)
        return batch;
    for (const Namespace *nsp : m_server->namespaces()) {
        if (m_options.hiddenNamespaces.contains(nsp->name()))
            continue;
        batch.namespaces.append({nsp->name(), int(nsp->sockets().size())});
        for (const Socket *socket : nsp->sockets())
            batch.socketsAdded.append(describe(socket));
        const auto rooms = nsp->adapter()->rooms();
        for (auto it = rooms.cbegin(); it != rooms.cend(); ++it)
            batch.roomsChanged.append(describeRoom(nsp, it.key()));
    }
    batch.stats = stats();
    return batch;
}

void ServerMonitor::requestSnapshot()
{
    Q_EMIT snapshotReady(snapshot());
}

void ServerMonitor::flush()
{
    if (!m_server)
        return;
    MonitorBatch batch;
    for (const QString &key : std::as_const(m_changedSockets)) {
        if (const Socket *socket = m_socketsByKey.value(key))
            batch.socketsAdded.append(describe(socket));
    }
    m_changedSockets.clear();
    batch.socketsRemoved = std::exchange(m_removedSockets, {});
    for (const auto &room : std::as_const(m_changedRooms)) {
        const Namespace *nsp = m_server->existingNamespace(room.first);
        if (nsp && nsp->adapter()->rooms().contains(room.second))
            batch.roomsChanged.append(describeRoom(nsp, room.second));
        else
            batch.roomsRemoved.append(room);
    }
    m_changedRooms.clear();
    if (m_namespacesChanged) {
        for (const Namespace *nsp : m_server->namespaces()) {
            if (!m_options.hiddenNamespaces.contains(nsp->name()))
                batch.namespaces.append({nsp->name(), int(nsp->sockets().size())});
        }
        m_namespacesChanged = false;
    }
    batch.events = std::exchange(m_events, {});
    batch.eventsDropped = std::exchange(m_eventsDropped, 0);
    batch.stats = stats();
    Q_EMIT batchReady(batch);
}

void ServerMonitor::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId())
        return QObject::timerEvent(event);
    flush();
}

} // namespace Plugboard
