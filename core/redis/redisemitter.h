#pragma once

#include <plugboard_redis_export.h>

#include "../adapter/adapter.h"
#include "redisclient.h"

#include <QtCore/QCborArray>
#include <QtCore/QPointer>

namespace Plugboard::Redis {

// Publishes to a cluster without running a server (Node's @socket.io/redis-emitter 5.1):
// a backend emits to rooms, makes sockets join or leave, disconnects them and reaches the
// servers' serverSideEmit handlers. The messages are the emitter's own, byte for byte, so
// Node servers and Plugboard servers alike act on them. Value type, like Node's:
//
//     Redis::Client redis(*Redis::Endpoint::fromUrl("redis://127.0.0.1:6379"));
//     redis.open();
//     Redis::Emitter(&redis).of("/chat").to("room1").emitEvent("news", {"hello"});
//
// Only the publishing connection is used. While Redis is unreachable nothing is sent (each
// call returns false).
class PLUGBOARD_REDIS_EXPORT Emitter
{
public:
    explicit Emitter(Client *client, const QString &key = QStringLiteral("socket.io"),
                     const QString &nsp = QStringLiteral("/"));

    Emitter of(const QString &nsp) const;
    Emitter to(const QString &room) const;
    Emitter to(const QStringList &rooms) const;
    Emitter in(const QString &room) const { return to(room); }
    Emitter except(const QString &room) const;
    Emitter except(const QStringList &rooms) const;
    Emitter asVolatile() const;
    Emitter compress(bool compress) const;

    bool emitEvent(const QString &event, const QCborArray &args = {}) const;
    bool socketsJoin(const QStringList &rooms) const;
    bool socketsLeave(const QStringList &rooms) const;
    bool disconnectSockets(bool close = false) const;
    // Node's emitter has no acknowledgements for this.
    bool serverSideEmit(const QString &event, const QCborArray &args = {}) const;

    // The bytes emitEvent publishes, and where (for tests and for other transports).
    QByteArray broadcastChannel() const;
    QByteArray broadcastMessage(const QString &event, const QCborArray &args) const;

private:
    QCborMap selector() const;
    bool publishRequest(const QCborMap &request) const;

    QPointer<Client> m_client;
    QString m_key;
    QString m_nsp;
    QStringList m_rooms;  // in the order given, as Node's Set keeps them
    QStringList m_except;
    bool m_volatile = false;
    std::optional<bool> m_compress;
};

} // namespace Plugboard::Redis
