#pragma once

#include <plugboard_core_export.h>

#include "../adapter/adapter.h"
#include "../engine/engineoptions.h"
#include "../protocol/siopacket.h"

namespace Plugboard {

// Socket.IO server options; names and defaults are Node's socket.io 4.8 ones. The engine
// options ride along (their `path` is replaced by this one).
struct PLUGBOARD_CORE_EXPORT ServerOptions
{
    QString path = QStringLiteral("/socket.io/");
    int connectTimeout = 45000;
    bool cleanupEmptyChildNamespaces = false;
    struct ConnectionStateRecovery
    {
        bool enabled = false;
        int maxDisconnectionDuration = 2 * 60 * 1000;
        bool skipMiddlewares = true;
        // Plugboard: at most this many packets are kept for replay (oldest dropped first).
        int maxBufferedPackets = 100000;
    } connectionStateRecovery;
    // Plugboard: binary attachments accepted in one packet (Node caps at 10 as well).
    int maxAttachments = SocketIO::DefaultMaxAttachments;
    // Node's `parser` option: socket.io-parser, or socket.io-msgpack-parser's format. Every
    // client of this server must use the same one.
    SocketIO::Parser parser = SocketIO::Parser::Default;
    EngineOptions engine;
    // Makes each namespace's adapter (Node's `adapter` option); empty: the in-memory adapter.
    // A cluster adapter, e.g. Plugboard::Redis::createAdapter(...), joins other servers.
    AdapterFactory adapter;
};

} // namespace Plugboard
