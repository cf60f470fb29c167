#include "parentbroadcastadapter.h"

#include "../sio/parentnamespace.h"

namespace Plugboard {

ParentBroadcastAdapter::ParentBroadcastAdapter(ParentNamespace *parent) : Adapter(parent), m_parent(parent) {}

QList<Adapter *> ParentBroadcastAdapter::childAdapters() const
{
    QList<Adapter *> adapters;
    for (Namespace *child : m_parent->children())
        adapters.append(child->adapter());
    return adapters;
}

void ParentBroadcastAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    for (Adapter *adapter : childAdapters()) {
        packet.nsp = adapter->nsp()->name();
        adapter->broadcast(packet, options);
    }
}

void ParentBroadcastAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                              const std::function<void(int)> &clientCount,
                                              const std::function<void(const AckResponse &)> &ack)
{
    int total = 0;
    for (Adapter *adapter : childAdapters()) {
        packet.nsp = adapter->nsp()->name();
        adapter->broadcastWithAck(packet, options, [&total](int count) { total += count; }, ack);
    }
    clientCount(total);
}

QSet<QString> ParentBroadcastAdapter::sockets(const QSet<QString> &rooms) const
{
    QSet<QString> ids;
    for (const Adapter *adapter : childAdapters())
        ids.unite(adapter->sockets(rooms));
    return ids;
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

QList<Socket *> ParentBroadcastAdapter::fetchSockets(const BroadcastOptions &options) const
{
    QList<Socket *> sockets;
    for (const Adapter *adapter : childAdapters())
        sockets.append(adapter->fetchSockets(options));
    return sockets;
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
