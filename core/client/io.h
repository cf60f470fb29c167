#pragma once

#include <plugboard_client_export.h>

#include "clientoptions.h"
#include "clientsocket.h"
#include "manager.h"

#include <QtCore/QUrl>

namespace Plugboard::Io {

struct PLUGBOARD_CLIENT_EXPORT ConnectOptions
{
    ManagerOptions manager;
    SocketOptions socket;
    // A Manager of its own even when one for the same server exists (socket.io-client's
    // forceNew; multiplex=false is the same).
    bool forceNew = false;
    bool multiplex = true;
};

// socket.io-client's io(url, options): the socket of the URL's namespace ("/" for no path),
// on the Manager already connected to that server unless forceNew or that Manager has the
// namespace already. Managers made here are children of parent (the application without one).
PLUGBOARD_CLIENT_EXPORT Socket *connect(const QUrl &url, const ConnectOptions &options = {}, QObject *parent = nullptr);

} // namespace Plugboard::Io
