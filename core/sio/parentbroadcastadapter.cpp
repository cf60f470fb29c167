#include "parentbroadcastadapter.h"

#include "parentnamespace.h"

#include <memory>

namespace Plugboard {

ParentBroadcastAdapter::ParentBroadcastAdapter(ParentNamespace *parent)
    : Adapter(parent, parent), m_parent(parent)
{
}

QList<Adapter *> ParentBroadcastAdapter::childAdapters() const
{
    QList<Adapter *> adapters;
    for (Namespace *child : m_parent->children())
        adapters.append(child->adapter());
    return adapters;
}

template<typename T>
void ParentBroadcastAdapter::gather(const std::function<void(Adapter *, const ReplyCallback<T> &)> &query,
                                    const ReplyCallback<T> &done) const
{
    const QList<Adapter *> adapters = childAdapters();
    if (adapters.isEmpty()) {
        done({});
        return;
    }
    struct State
    {
        ClusterReply<T> reply;
        qsizetype pending = 0;
    };
    auto state = std::make_shared<State>();
    state->pending = adapters.size();
    for (Adapter *adapter : adapters) {
        query(adapter, [state, done](const ClusterReply<T> &reply) {
            state->reply.value.append(reply.value);
            if (!reply.ok && state->reply.ok) {
                state->reply.ok = false;
                state->reply.error = reply.error;
            }
            if (--state->pending == 0)
                done(state->reply);
        });
    }
}

QSet<QString> ParentBroadcastAdapter::socketRooms(const QString &socketId) const
{
    for (const Adapter *adapter : childAdapters()) {
        const QSet<QString> rooms = adapter->socketRooms(socketId);
        if (!rooms.isEmpty())
            return rooms;
    }
    return {};
}

QStringList ParentBroadcastAdapter::localSockets(const BroadcastOptions &options) const
{
    QStringList ids;
    for (const Adapter *adapter : childAdapters())
        ids.append(adapter->localSockets(options));
    return ids;
}

void ParentBroadcastAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    for (Adapter *adapter : childAdapters()) {
        packet.nsp = adapter->host()->name();
        adapter->broadcast(packet, options);
    }
}

void ParentBroadcastAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                              const std::function<void(int)> &clientCount,
                                              const std::function<void(const AckResponse &)> &ack)
{
    int total = 0;
    for (Adapter *adapter : childAdapters()) {
        packet.nsp = adapter->host()->name();
        adapter->broadcastWithAck(packet, options, [&total](int count) { total += count; }, ack);
    }
    clientCount(total);
}

void ParentBroadcastAdapter::fetchSockets(const BroadcastOptions &options,
                                          const ReplyCallback<QList<SocketDetails>> &done)
{
    gather<QList<SocketDetails>>(
        [options](Adapter *a, const ReplyCallback<QList<SocketDetails>> &cb) { a->fetchSockets(options, cb); }, done);
}

void ParentBroadcastAdapter::allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done)
{
    gather<QStringList>([rooms](Adapter *a, const ReplyCallback<QStringList> &cb) { a->allSockets(rooms, cb); },
                        done);
}

void ParentBroadcastAdapter::allRooms(const ReplyCallback<QStringList> &done)
{
    gather<QStringList>([](Adapter *a, const ReplyCallback<QStringList> &cb) { a->allRooms(cb); }, done);
}

void ParentBroadcastAdapter::addSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    for (Adapter *adapter : childAdapters())
        adapter->addSockets(options, rooms);
}

void ParentBroadcastAdapter::delSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    for (Adapter *adapter : childAdapters())
        adapter->delSockets(options, rooms);
}

void ParentBroadcastAdapter::disconnectSockets(const BroadcastOptions &options, bool close)
{
    for (Adapter *adapter : childAdapters())
        adapter->disconnectSockets(options, close);
}

} // namespace Plugboard
