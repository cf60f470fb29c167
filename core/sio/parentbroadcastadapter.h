#pragma once

#include "../adapter/adapter.h"

namespace Plugboard {

class ParentNamespace;

// The adapter of a parent namespace (Node's ParentBroadcastAdapter): it has no sockets of its
// own; broadcasts and socket queries go to every child namespace's adapter.
class ParentBroadcastAdapter : public Adapter
{
    Q_OBJECT

public:
    explicit ParentBroadcastAdapter(ParentNamespace *parent);

    void addAll(const QString &, const QSet<QString> &) override {}
    void del(const QString &, const QString &) override {}
    void delAll(const QString &) override {}
    QSet<QString> socketRooms(const QString &socketId) const override;
    QHash<QString, QSet<QString>> rooms() const override { return {}; }
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
    void persistSession(const PersistedSession &) override {}
    std::optional<RestoredSession> restoreSession(const QString &, const QString &) override
    {
        return std::nullopt;
    }

private:
    QList<Adapter *> childAdapters() const;
    // Runs query on every child and hands done the concatenation once all have answered.
    template<typename T>
    void gather(const std::function<void(Adapter *, const ReplyCallback<T> &)> &query,
                const ReplyCallback<T> &done) const;

    ParentNamespace *m_parent;
};

} // namespace Plugboard
