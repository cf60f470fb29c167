#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QList>
#include <QtCore/QString>

namespace Plugboard {

class Server;

// How many of everything a server has right now, counted in one place for /metrics, the
// console's monitor and the admin-ui protocol's server_stats. Rooms never count the sockets'
// own rooms.
struct PLUGBOARD_CORE_EXPORT ServerCensus
{
    struct NamespaceCount
    {
        QString name;
        int sockets = 0;
        int pollingSockets = 0;
        int webSocketSockets = 0;
        int rooms = 0;
    };

    int clients = 0; // Engine.IO connections, in a namespace or not
    int pollingClients = 0;
    int webSocketClients = 0;
    int sockets = 0;
    int rooms = 0;
    QList<NamespaceCount> namespaces; // sorted by name

    static ServerCensus of(const Server &server);
};

} // namespace Plugboard
