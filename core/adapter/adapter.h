#pragma once

#include <plugboard_core_export.h>

#include "../protocol/siopacket.h"
#include "../sio/ack.h"
#include "../sio/handshake.h"

#include <QtCore/QCborMap>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <functional>
#include <optional>

namespace Plugboard {

class AdapterHost;

struct PLUGBOARD_CORE_EXPORT BroadcastFlags
{
    bool isVolatile = false;
    bool local = false; // this server only: nothing is sent to the other servers of a cluster
    std::optional<bool> compress;
    int timeoutMs = -1; // for broadcasts with acknowledgements
};

// Who receives a broadcast: members of any of `rooms` (everyone when empty), minus members
// of any of `except`.
struct PLUGBOARD_CORE_EXPORT BroadcastOptions
{
    QSet<QString> rooms;
    QSet<QString> except;
    BroadcastFlags flags;
};

// A socket as any server of a cluster describes it (Node's RemoteSocket data).
struct PLUGBOARD_CORE_EXPORT SocketDetails
{
    QString id;
    SocketHandshake handshake;
    QStringList rooms; // sorted
    QCborMap data;
    bool local = false; // held by this server
};

// How an adapter stands, for dashboards and health checks.
struct PLUGBOARD_CORE_EXPORT AdapterStatus
{
    QString type = QStringLiteral("memory"); // "memory", "redis"
    bool connected = true;                   // reaches the other servers (always, alone)
    int servers = 1;                         // in the cluster, this one included, as last counted
    QString endpoint;                        // where the cluster meets, e.g. redis://host:6379/0
};

// The answer of a request that may have to wait for the other servers of a cluster.
template<typename T>
struct ClusterReply
{
    bool ok = true;
    QString error; // e.g. "timeout reached while waiting for fetchSockets response"
    T value{};
};
using FetchSocketsReply = ClusterReply<QList<SocketDetails>>;
using AllRoomsReply = ClusterReply<QStringList>;
using SocketIdsReply = ClusterReply<QStringList>;
// One entry per other server that answered: the first argument its handler acknowledged with.
using ServerSideEmitReply = ClusterReply<QCborArray>;

template<typename T>
using ReplyCallback = std::function<void(const ClusterReply<T> &reply)>;

// What connection-state recovery keeps of a socket lost to a transport problem.
struct PLUGBOARD_CORE_EXPORT PersistedSession
{
    QString sid;
    QString pid;
    QSet<QString> rooms;
    QCborMap data;
    qint64 disconnectedAt = 0; // ms since epoch
};
struct PLUGBOARD_CORE_EXPORT RestoredSession
{
    PersistedSession session;
    QList<QCborArray> missedPackets; // event arguments, offsets included
};

// Rooms and fan-out of one namespace (Node's Adapter). The in-memory adapter serves one
// process; a cluster adapter (Redis, ...) answers the same calls across servers. Calls that
// may need other servers report through callbacks, run once, never before the call returns
// when a request went out, and always within the adapter's request timeout.
class PLUGBOARD_CORE_EXPORT Adapter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Adapter)

public:
    Adapter(AdapterHost *host, QObject *parent);
    AdapterHost *host() const { return m_host; }

    // This server's rooms.
    virtual void addAll(const QString &socketId, const QSet<QString> &rooms) = 0;
    virtual void del(const QString &socketId, const QString &room) = 0;
    virtual void delAll(const QString &socketId) = 0;
    virtual QSet<QString> socketRooms(const QString &socketId) const = 0;
    // Every room of this server and its members.
    virtual QHash<QString, QSet<QString>> rooms() const = 0;
    // Ids of this server's sockets that the options select.
    virtual QStringList localSockets(const BroadcastOptions &options) const = 0;

    // Cluster-wide unless options.flags.local. Encodes the packet once per server.
    virtual void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) = 0;
    // As broadcast, with an ack id. clientCount is called once per server that was asked
    // (with that server's recipient count), ack once per reply.
    virtual void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                  const std::function<void(int clientCount)> &clientCount,
                                  const std::function<void(const AckResponse &)> &ack) = 0;
    // Servers in the cluster, this one included.
    virtual void serverCount(const std::function<void(int)> &done) const { done(1); }

    virtual void fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done) = 0;
    virtual void allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done) = 0;
    virtual void allRooms(const ReplyCallback<QStringList> &done) = 0;
    virtual void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) = 0;
    virtual void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) = 0;
    virtual void disconnectSockets(const BroadcastOptions &options, bool close) = 0;
    // Sends [event, ...args] to the other servers' namespaces of this name. With a callback,
    // waits for one answer per other server (a single server has none: at once, empty).
    virtual void serverSideEmit(const QCborArray &packet, const ReplyCallback<QCborArray> &done)
    {
        Q_UNUSED(packet)
        if (done)
            done({});
    }

    virtual void persistSession(const PersistedSession &session) = 0;
    virtual std::optional<RestoredSession> restoreSession(const QString &pid, const QString &offset) = 0;

    virtual AdapterStatus status() const { return {}; }

Q_SIGNALS:
    void roomCreated(const QString &room);
    void roomDeleted(const QString &room);
    void roomJoined(const QString &room, const QString &socketId);
    void roomLeft(const QString &room, const QString &socketId);
    // One broadcast went out to this server's sockets (announced once, whatever the number
    // of recipients).
    void eventBroadcast(const QString &event, const QCborArray &args,
                        const Plugboard::BroadcastOptions &options, int recipients);

protected:
    // For implementations: announces a broadcast delivered here.
    void announceBroadcast(const SocketIO::Packet &packet, const BroadcastOptions &options, int recipients);

    AdapterHost *m_host;
};

// Makes the adapter of each namespace (Node's `adapter` option); the namespace owns it.
using AdapterFactory = std::function<Adapter *(AdapterHost *host, QObject *parent)>;

} // namespace Plugboard
