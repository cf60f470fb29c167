// What other servers of a cluster publish through Redis (Node's @socket.io/redis-adapter and
// emitter): requests and responses (JSON or msgpack maps) and broadcasts (msgpack). Decoding
// never crashes; decode, encode, decode is stable (the second encoding is byte for byte the
// first); the packets, options and sockets inside come back the same through their objects.
#include "fuzzcheck.h"

#include <protocol/msgpackcodec.h>
#include <redis/clustermessages.h>

#include <QtCore/QCborArray>

using namespace Plugboard;
using namespace Plugboard::Redis;

namespace {

void checkSocket(const QCborValue &value)
{
    const std::optional<SocketDetails> socket = socketFromObject(value);
    if (!socket)
        return;
    const std::optional<SocketDetails> back = socketFromObject(socketToObject(*socket));
    FUZZ_CHECK(back);
    FUZZ_CHECK(back->id == socket->id && back->rooms == socket->rooms && back->data == socket->data);
    const SocketHandshake &a = socket->handshake;
    const SocketHandshake &b = back->handshake;
    FUZZ_CHECK(a.headers == b.headers && a.address == b.address && a.xdomain == b.xdomain && a.secure == b.secure
               && a.issued == b.issued && a.url == b.url && a.query == b.query && a.auth == b.auth);
}

void checkPacket(const QCborValue &value)
{
    const std::optional<SocketIO::Packet> packet = packetFromObject(value);
    if (!packet)
        return;
    FUZZ_CHECK(int(packet->type) >= 0 && int(packet->type) <= 6);
    const std::optional<SocketIO::Packet> back = packetFromObject(packetToObject(*packet));
    FUZZ_CHECK(back);
    const auto plain = [](SocketIO::PacketType type) {
        return type == SocketIO::PacketType::BinaryEvent ? SocketIO::PacketType::Event
             : type == SocketIO::PacketType::BinaryAck   ? SocketIO::PacketType::Ack
                                                         : type;
    };
    FUZZ_CHECK(plain(back->type) == plain(packet->type) && back->nsp == packet->nsp && back->id == packet->id);
    // An undefined data is left out of the object, and so absent it reads as undefined again.
    FUZZ_CHECK(back->data == packet->data);
}

void checkMessage(QByteArrayView input)
{
    QString error;
    const std::optional<QCborMap> first = decodeMessage(input, &error);
    if (!first) {
        FUZZ_CHECK(!error.isEmpty());
        return;
    }
    const bool json = input.front() == '{';
    const auto encode = [json](const QCborMap &map) { return json ? encodeJsonMessage(map) : encodeMsgpackMessage(map); };
    const QByteArray once = encode(*first);
    const std::optional<QCborMap> second = decodeMessage(once, &error);
    FUZZ_CHECK(second);
    const QByteArray twice = encode(*second);
    FUZZ_CHECK(twice == once);
    const std::optional<QCborMap> third = decodeMessage(twice);
    FUZZ_CHECK(third && *third == *second);

    // The parts the adapter reads out of requests and responses.
    checkPacket(second->value(QStringLiteral("packet")));
    checkSocket(second->value(QStringLiteral("socket")));
    for (const QCborValue &socket : second->value(QStringLiteral("sockets")).toArray())
        checkSocket(socket);
    const BroadcastOptions options = optionsFromObject(second->value(QStringLiteral("opts")));
    const BroadcastOptions optionsBack = optionsFromObject(optionsToObject(options));
    FUZZ_CHECK(optionsBack.rooms == options.rooms && optionsBack.except == options.except
               && optionsBack.flags.isVolatile == options.flags.isVolatile
               && optionsBack.flags.compress == options.flags.compress
               && optionsBack.flags.timeoutMs == options.flags.timeoutMs);
}

void checkBroadcast(QByteArrayView input)
{
    QString error;
    const std::optional<BroadcastMessage> first = decodeBroadcast(input, &error);
    if (!first) {
        FUZZ_CHECK(!error.isEmpty());
        return;
    }
    const QByteArray once = encodeBroadcast(*first);
    const std::optional<BroadcastMessage> second = decodeBroadcast(once, &error);
    FUZZ_CHECK(second);
    FUZZ_CHECK(second->uid == first->uid && second->packet.nsp == first->packet.nsp
               && second->packet.id == first->packet.id);
    // JavaScript has one number type: an integral double comes back as an integer.
    FUZZ_CHECK(encodeMsgpack(second->packet.data) == encodeMsgpack(first->packet.data));
    FUZZ_CHECK(second->options.rooms == first->options.rooms && second->options.except == first->options.except);
    FUZZ_CHECK(encodeBroadcast(*second) == once);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    checkMessage(input);
    checkBroadcast(input);
    return 0;
}
