#pragma once

#include "../protocol/siopacket.h"
#include "../sio/ack.h"

#include <QtCore/QCborMap>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <functional>
#include <optional>

namespace Plugboard {

class Namespace;
class Socket;

struct BroadcastFlags
{
    bool isVolatile = false;
    bool local = false;
    int timeoutMs = -1; // for broadcasts with acknowledgements
};

// Who receives a broadcast: members of any of `rooms` (everyone when empty), minus members
// of any of `except`.
struct BroadcastOptions
{
    QSet<QString> rooms;
    QSet<QString> except;
    BroadcastFlags flags;
};

// What connection-state recovery keeps of a socket lost to a transport problem.
struct PersistedSession
{
    QString sid;
    QString pid;
    QSet<QString> rooms;
    QCborMap data;
    qint64 disconnectedAt = 0; // ms since epoch
};
struct RestoredSession
{
    PersistedSession session;
    QList<QCborArray> missedPackets; // event arguments, offsets included
};

// Rooms and fan-out of one namespace (Node's Adapter). The in-memory adapter serves one
// process; a cluster adapter implements the same calls across servers.
class Adapter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Adapter)

public:
    explicit Adapter(Namespace *nsp);
    Namespace *nsp() const { return m_nsp; }

    virtual void addAll(const QString &socketId, const QSet<QString> &rooms) = 0;
    virtual void del(const QString &socketId, const QString &room) = 0;
    virtual void delAll(const QString &socketId) = 0;

    // Encodes the packet once and writes the same frames to every recipient.
    virtual void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) = 0;
    // As broadcast, with an ack id; clientCount reports how many sockets were asked,
    // each reply arrives through ack.
    virtual void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                  const std::function<void(int clientCount)> &clientCount,
                                  const std::function<void(const AckResponse &)> &ack) = 0;
    virtual int serverCount() const { return 1; }

    virtual QSet<QString> sockets(const QSet<QString> &rooms) const = 0;
    virtual QSet<QString> socketRooms(const QString &socketId) const = 0;
    virtual QList<Socket *> fetchSockets(const BroadcastOptions &options) const = 0;
    virtual void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) = 0;
    virtual void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) = 0;
    virtual void disconnectSockets(const BroadcastOptions &options, bool close) = 0;
    // Emits to the other servers of a cluster; a single server has none.
    virtual void serverSideEmit(const QCborArray &args) { Q_UNUSED(args) }

    // Every room and its members.
    virtual QHash<QString, QSet<QString>> rooms() const = 0;

    virtual void persistSession(const PersistedSession &session) = 0;
    virtual std::optional<RestoredSession> restoreSession(const QString &pid, const QString &offset) = 0;

Q_SIGNALS:
    void roomCreated(const QString &room);
    void roomDeleted(const QString &room);
    void roomJoined(const QString &room, const QString &socketId);
    void roomLeft(const QString &room, const QString &socketId);
    // One broadcast went out (announced once, whatever the number of recipients).
    void eventBroadcast(const QString &event, const QCborArray &args,
                        const Plugboard::BroadcastOptions &options, int recipients);

protected:
    // For implementations: counts and announces a broadcast.
    void announceBroadcast(const SocketIO::Packet &packet, const BroadcastOptions &options, int recipients);

    Namespace *m_nsp;
};

} // namespace Plugboard
