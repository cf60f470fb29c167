#pragma once

#include "adapter.h"

#include <QtCore/QBasicTimer>

#include <deque>

namespace Plugboard {

class OutboundMessage;

// Rooms in memory; with connection-state recovery on it also keeps sent events (with their
// offsets) and the sessions of sockets lost to transport problems (Node's SessionAwareAdapter).
class InMemoryAdapter : public Adapter
{
    Q_OBJECT

public:
    explicit InMemoryAdapter(Namespace *nsp);
    ~InMemoryAdapter() override;

    void addAll(const QString &socketId, const QSet<QString> &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) override;
    void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                          const std::function<void(int)> &clientCount,
                          const std::function<void(const AckResponse &)> &ack) override;
    QSet<QString> sockets(const QSet<QString> &rooms) const override;
    QSet<QString> socketRooms(const QString &socketId) const override;
    QList<Socket *> fetchSockets(const BroadcastOptions &options) const override;
    void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void disconnectSockets(const BroadcastOptions &options, bool close) override;
    QHash<QString, QSet<QString>> rooms() const override { return m_rooms; }
    void persistSession(const PersistedSession &session) override;
    std::optional<RestoredSession> restoreSession(const QString &pid, const QString &offset) override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // Calls fn for every local socket the options select, each once.
    void forEachSocket(const BroadcastOptions &options, const std::function<void(Socket *)> &fn) const;
    void removeFromRoom(const QString &socketId, const QString &room);
    bool recoveryEnabled() const;

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
