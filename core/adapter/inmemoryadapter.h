#pragma once

#include <plugboard_core_export.h>

#include "adapter.h"

#include <QtCore/QBasicTimer>

#include <deque>

namespace Plugboard {

// Rooms in memory; with connection-state recovery on it also keeps sent events (with their
// offsets) and the sessions of sockets lost to transport problems (Node's SessionAwareAdapter).
// Every cluster call is answered by this server alone. Cluster adapters build on it for
// their local half.
class PLUGBOARD_CORE_EXPORT InMemoryAdapter : public Adapter
{
    Q_OBJECT

public:
    InMemoryAdapter(AdapterHost *host, QObject *parent);
    ~InMemoryAdapter() override;

    void addAll(const QString &socketId, const QSet<QString> &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QSet<QString> socketRooms(const QString &socketId) const override;
    QHash<QString, QSet<QString>> rooms() const override { return m_rooms; }
    QStringList localSockets(const BroadcastOptions &options) const override;

    void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) override;
    void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                          const std::function<void(int)> &clientCount,
                          const std::function<void(const AckResponse &)> &ack) override;
    void fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done) override;
    void allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done) override;
    void allRooms(const ReplyCallback<QStringList> &done) override;
    void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void disconnectSockets(const BroadcastOptions &options, bool close) override;
    void persistSession(const PersistedSession &session) override;
    std::optional<RestoredSession> restoreSession(const QString &pid, const QString &offset) override;

    // This server's half of each call, for cluster adapters.
    int broadcastLocally(SocketIO::Packet packet, const BroadcastOptions &options);
    int broadcastWithAckLocally(SocketIO::Packet packet, const BroadcastOptions &options,
                                const std::function<void(const AckResponse &)> &ack);
    QList<SocketDetails> localSocketDetails(const BroadcastOptions &options) const;
    QStringList localRoomNames() const;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void removeFromRoom(const QString &socketId, const QString &room);

    QHash<QString, QSet<QString>> m_rooms; // room -> socket ids
    // socket id -> its rooms, sorted: a socket is in a few rooms, and a one-entry QSet would
    // cost each connection a whole hash span (over a kilobyte).
    QHash<QString, QStringList> m_sids;

    struct StoredPacket
    {
        QString offset;
        BroadcastOptions options;
        QCborArray data;
        qint64 storedAt = 0;
    };
    std::deque<StoredPacket> m_packets;
    QHash<QString, PersistedSession> m_sessions; // by pid
    quint64 m_nextOffset = 0;
    QBasicTimer m_purgeTimer;
};

} // namespace Plugboard
