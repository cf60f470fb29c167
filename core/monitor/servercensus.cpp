#include "servercensus.h"

#include "../adapter/adapter.h"
#include "../engine/engineserver.h"
#include "../engine/enginesocket.h"
#include "../sio/namespace.h"
#include "../sio/server.h"
#include "../sio/socket.h"

#include <algorithm>

namespace Plugboard {

namespace {

bool isWebSocket(const QString &transport)
{
    return transport == QLatin1String("websocket");
}

} // namespace

ServerCensus ServerCensus::of(const Server &server)
{
    ServerCensus census;
    for (const EngineSocket *session : server.engine()->sessions()) {
        ++census.clients;
        ++(isWebSocket(session->transportName()) ? census.webSocketClients : census.pollingClients);
    }
    QList<Namespace *> namespaces = server.namespaces();
    std::sort(namespaces.begin(), namespaces.end(), [](const Namespace *a, const Namespace *b) { return a->name() < b->name(); });
    for (const Namespace *nsp : std::as_const(namespaces)) {
        NamespaceCount count;
        count.name = nsp->name();
        for (const Socket *socket : nsp->sockets()) {
            ++count.sockets;
            ++(isWebSocket(socket->transportName()) ? count.webSocketSockets : count.pollingSockets);
        }
        const auto rooms = nsp->adapter()->rooms();
        for (auto it = rooms.cbegin(); it != rooms.cend(); ++it)
            count.rooms += nsp->sockets().contains(it.key()) ? 0 : 1;
        census.sockets += count.sockets;
        census.rooms += count.rooms;
        census.namespaces.append(count);
    }
    return census;
}

} // namespace Plugboard
