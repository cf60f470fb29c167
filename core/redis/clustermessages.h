#pragma once

#include <plugboard_redis_export.h>

#include "../adapter/adapter.h"
#include "../protocol/siopacket.h"

#include <QtCore/QByteArray>
#include <QtCore/QCborMap>

#include <climits>
#include <cstdint>
#include <optional>

namespace Plugboard::Redis {

// The messages of Node's classic Redis adapter (@socket.io/redis-adapter 8.3, `createAdapter`)
// and emitter, as values and bytes. Pure: no I/O.

enum class RequestType : int {
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
};

// A JSON/msgpack number as an integer when it is one (JavaScript has doubles only), within
// int32 for counts and types; nullopt otherwise.
PLUGBOARD_REDIS_EXPORT std::optional<qint64> integerOf(const QCborValue &value);
inline int intOf(const QCborValue &value, int fallback = -1)
{
    const std::optional<qint64> v = integerOf(value);
    return v && *v >= INT32_MIN && *v <= INT32_MAX ? int(*v) : fallback;
}

// Room lists on the wire: written sorted, read ignoring whatever is not a string.
PLUGBOARD_REDIS_EXPORT QCborArray sortedArray(const QSet<QString> &set);
PLUGBOARD_REDIS_EXPORT QSet<QString> stringSet(const QCborValue &value);

// socket.io-parser's in-memory packet {type, data, nsp[, id]}. An event stays type 2 even
// with binary inside: the receiver's encoder makes it a binary event.
PLUGBOARD_REDIS_EXPORT QCborMap packetToObject(const SocketIO::Packet &packet);
PLUGBOARD_REDIS_EXPORT std::optional<SocketIO::Packet> packetFromObject(const QCborValue &object);

// {rooms, except, flags}: flags volatile, compress, local, timeout as Node names them.
PLUGBOARD_REDIS_EXPORT QCborMap optionsToObject(const BroadcastOptions &options);
PLUGBOARD_REDIS_EXPORT BroadcastOptions optionsFromObject(const QCborValue &object);

// A socket as fetchSockets describes it: {id, handshake, rooms, data}, the handshake with
// Node's fields and types (time as Date#toString, issued in ms).
PLUGBOARD_REDIS_EXPORT QCborMap socketToObject(const SocketDetails &socket);
PLUGBOARD_REDIS_EXPORT std::optional<SocketDetails> socketFromObject(const QCborValue &object);
PLUGBOARD_REDIS_EXPORT QString javascriptDateString(const QDateTime &time);

// PUBLISH socket.io#<nsp>#[<room>#] msgpack([uid, packet, opts]).
struct PLUGBOARD_REDIS_EXPORT BroadcastMessage
{
    QString uid;
    SocketIO::Packet packet;
    BroadcastOptions options;
};
PLUGBOARD_REDIS_EXPORT QByteArray encodeBroadcast(const BroadcastMessage &message);
PLUGBOARD_REDIS_EXPORT std::optional<BroadcastMessage> decodeBroadcast(QByteArrayView bytes, QString *error = nullptr);

// Requests and responses are maps: JSON, except BROADCAST (7) requests and BROADCAST_ACK (9)
// responses, which are msgpack so binary survives. Readers tell them apart by the first
// byte, as Node does.
PLUGBOARD_REDIS_EXPORT QByteArray encodeJsonMessage(const QCborMap &message);
PLUGBOARD_REDIS_EXPORT QByteArray encodeMsgpackMessage(const QCborMap &message);
PLUGBOARD_REDIS_EXPORT std::optional<QCborMap> decodeMessage(QByteArrayView bytes, QString *error = nullptr);

// Channel names for key prefix `key` (default "socket.io").
struct PLUGBOARD_REDIS_EXPORT Channels
{
    QByteArray broadcast;        // key#nsp#
    QByteArray broadcastPattern; // key#nsp#*
    QByteArray request;          // key-request#nsp#
    QByteArray response;         // key-response#nsp#
    QByteArray ownResponse;      // key-response#nsp#uid#
    QByteArray roomChannel(const QString &room) const; // key#nsp#room#
};
PLUGBOARD_REDIS_EXPORT Channels channelsFor(const QString &key, const QString &nsp, const QString &uid);

} // namespace Plugboard::Redis
