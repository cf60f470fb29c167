#include "redisemitter.h"

#include "clustermessages.h"
#include "../protocol/msgpackcodec.h"

namespace Plugboard::Redis {

namespace {

QCborArray toArray(const QStringList &list)
{
    QCborArray array;
    for (const QString &item : list)
        array.append(item);
    return array;
}

void appendUnique(QStringList &list, const QStringList &items)
{
    for (const QString &item : items) {
        if (!list.contains(item))
            list.append(item);
    }
}

} // namespace

Emitter::Emitter(Client *client, const QString &key, const QString &nsp)
    : m_client(client), m_key(key), m_nsp(nsp.startsWith(u'/') ? nsp : u'/' + nsp)
{
}

Emitter Emitter::of(const QString &nsp) const
{
    return Emitter(m_client, m_key, nsp);
}

Emitter Emitter::to(const QString &room) const
{
    return to(QStringList{room});
}

Emitter Emitter::to(const QStringList &rooms) const
{
    Emitter copy = *this;
    appendUnique(copy.m_rooms, rooms);
    return copy;
}

Emitter Emitter::except(const QString &room) const
{
    return except(QStringList{room});
}

Emitter Emitter::except(const QStringList &rooms) const
{
    Emitter copy = *this;
    appendUnique(copy.m_except, rooms);
    return copy;
}

Emitter Emitter::asVolatile() const
{
    Emitter copy = *this;
    copy.m_volatile = true;
    return copy;
}

Emitter Emitter::compress(bool compress) const
{
    Emitter copy = *this;
    copy.m_compress = compress;
    return copy;
}

QByteArray Emitter::broadcastChannel() const
{
    const Channels channels = channelsFor(m_key, m_nsp, {});
    return m_rooms.size() == 1 ? channels.roomChannel(m_rooms.first()) : channels.broadcast;
}

QByteArray Emitter::broadcastMessage(const QString &event, const QCborArray &args) const
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    QCborMap packet;
    packet.insert(QStringLiteral("type"), int(SocketIO::PacketType::Event));
    packet.insert(QStringLiteral("data"), data);
    packet.insert(QStringLiteral("nsp"), m_nsp);
    QCborMap flags;
    if (m_volatile)
        flags.insert(QStringLiteral("volatile"), true);
    if (m_compress)
        flags.insert(QStringLiteral("compress"), *m_compress);
    // The emitter writes {rooms, flags, except}, in that order.
    QCborMap opts;
    opts.insert(QStringLiteral("rooms"), toArray(m_rooms));
    opts.insert(QStringLiteral("flags"), flags);
    opts.insert(QStringLiteral("except"), toArray(m_except));
    return encodeMsgpack(QCborArray{QStringLiteral("emitter"), packet, opts});
}

bool Emitter::emitEvent(const QString &event, const QCborArray &args) const
{
    return m_client && m_client->publish(broadcastChannel(), broadcastMessage(event, args));
}

QCborMap Emitter::selector() const
{
    QCborMap opts;
    opts.insert(QStringLiteral("rooms"), toArray(m_rooms));
    opts.insert(QStringLiteral("except"), toArray(m_except));
    return opts;
}

bool Emitter::publishRequest(const QCborMap &request) const
{
    return m_client && m_client->publish(channelsFor(m_key, m_nsp, {}).request, encodeJsonMessage(request));
}

bool Emitter::socketsJoin(const QStringList &rooms) const
{
    QCborMap request;
    request.insert(QStringLiteral("type"), int(RequestType::RemoteJoin));
    request.insert(QStringLiteral("opts"), selector());
    request.insert(QStringLiteral("rooms"), toArray(rooms));
    return publishRequest(request);
}

bool Emitter::socketsLeave(const QStringList &rooms) const
{
    QCborMap request;
    request.insert(QStringLiteral("type"), int(RequestType::RemoteLeave));
    request.insert(QStringLiteral("opts"), selector());
    request.insert(QStringLiteral("rooms"), toArray(rooms));
    return publishRequest(request);
}

bool Emitter::disconnectSockets(bool close) const
{
    QCborMap request;
    request.insert(QStringLiteral("type"), int(RequestType::RemoteDisconnect));
    request.insert(QStringLiteral("opts"), selector());
    request.insert(QStringLiteral("close"), close);
    return publishRequest(request);
}

bool Emitter::serverSideEmit(const QString &event, const QCborArray &args) const
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    QCborMap request;
    request.insert(QStringLiteral("uid"), QStringLiteral("emitter"));
    request.insert(QStringLiteral("type"), int(RequestType::ServerSideEmit));
    request.insert(QStringLiteral("data"), data);
    return publishRequest(request);
}

} // namespace Plugboard::Redis
