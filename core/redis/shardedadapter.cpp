#include "shardedadapter.h"

#include "../adapter/adapterhost.h"
#include "../protocol/jsoncodec.h"
#include "../protocol/msgpackcodec.h"
#include "redisadapter.h"
#include "redislogging.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimerEvent>

namespace Plugboard::Redis {

namespace {

bool hasBinary(const QCborValue &value)
{
    if (value.isByteArray())
        return true;
    if (value.isArray()) {
        for (const QCborValue &item : value.toArray()) {
            if (hasBinary(item))
                return true;
        }
    } else if (value.isMap()) {
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (hasBinary(it.value()))
                return true;
        }
    }
    return false;
}

QString hexId()
{
    quint32 words[2];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

// The packet as Node's ClusterAdapter publishes it: {type, data}, the namespace being the
// channel's.
QCborMap clusterPacket(const SocketIO::Packet &packet)
{
    QCborMap object = packetToObject(packet);
    object.remove(QStringLiteral("nsp"));
    return object;
}

// Socket ids are 20 characters: Node's "dynamic" mode keeps them off room channels by length.
bool looksLikeASocketId(const QString &room)
{
    return room.size() == 20;
}

} // namespace

ShardedRedisAdapter::ShardedRedisAdapter(AdapterHost *host, QObject *parent, Client *client,
                                         const ShardedAdapterOptions &options)
    : InMemoryAdapter(host, parent), m_client(client), m_options(options), m_uid(hexId())
{
    m_channel = options.channelPrefix.toUtf8() + '#' + host->name().toUtf8() + '#';
    m_responseChannel = m_channel + m_uid.toUtf8() + '#';
    client->route(m_channel, this, [this](const QByteArray &channel, const QByteArray &payload) {
        onMessage(channel, payload);
    });
    Subscriber *sub = client->subscriber();
    sub->subscribe(Subscriber::Kind::Shard, m_channel);
    sub->subscribe(Subscriber::Kind::Shard, m_responseChannel);
    if (options.subscriptionMode != ShardedAdapterOptions::SubscriptionMode::Static) {
        connect(this, &Adapter::roomCreated, this, [this](const QString &room) {
            if (usesRoomChannel(room) && m_client)
                m_client->subscriber()->subscribe(Subscriber::Kind::Shard, m_channel + room.toUtf8() + '#');
        });
        connect(this, &Adapter::roomDeleted, this, [this](const QString &room) {
            if (m_client)
                m_client->subscriber()->unsubscribe(Subscriber::Kind::Shard, m_channel + room.toUtf8() + '#');
        });
    }
}

ShardedRedisAdapter::~ShardedRedisAdapter()
{
    if (!m_client)
        return;
    m_client->unroute(m_channel);
    Subscriber *sub = m_client->subscriber();
    sub->unsubscribe(Subscriber::Kind::Shard, m_channel);
    sub->unsubscribe(Subscriber::Kind::Shard, m_responseChannel);
    for (const QString &room : localRoomNames())
        sub->unsubscribe(Subscriber::Kind::Shard, m_channel + room.toUtf8() + '#');
}

bool ShardedRedisAdapter::usesRoomChannel(const QString &room) const
{
    switch (m_options.subscriptionMode) {
    case ShardedAdapterOptions::SubscriptionMode::Static:
        return false;
    case ShardedAdapterOptions::SubscriptionMode::Dynamic:
        return !socketRooms(room).contains(room); // not a socket's own room
    case ShardedAdapterOptions::SubscriptionMode::DynamicPrivate:
        return true;
    }
    return false;
}

void ShardedRedisAdapter::ignore(const char *what, const QString &detail) const
{
    if (m_client)
        ++m_client->mutableStats().ignored;
    qCDebug(lcRedis).noquote() << m_host->name() << "ignoring" << what << detail;
}

void ShardedRedisAdapter::publish(MessageType type, const QCborMap &data, const QByteArray &channel)
{
    if (!m_client)
        return;
    QCborMap message;
    message.insert(QStringLiteral("type"), int(type));
    message.insert(QStringLiteral("data"), data);
    message.insert(QStringLiteral("uid"), m_uid);
    message.insert(QStringLiteral("nsp"), m_host->name());
    const bool mayContainBinary = type == Broadcast || type == BroadcastAck || type == FetchSocketsResponse
                               || type == ServerSideEmit || type == ServerSideEmitResponse;
    m_client->publish(channel, mayContainBinary && hasBinary(data) ? encodeMsgpack(message) : Json::write(message),
                      Client::PubSub::Sharded);
}

void ShardedRedisAdapter::publishResponse(const QString &requesterUid, MessageType type, const QCborMap &data)
{
    publish(type, data, m_channel + requesterUid.toUtf8() + '#');
}

// ---- this server's calls

void ShardedRedisAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    packet.nsp = m_host->name();
    if (!options.flags.local) {
        QCborMap data;
        data.insert(QStringLiteral("packet"), clusterPacket(packet));
        data.insert(QStringLiteral("opts"), optionsToObject(options));
        const bool roomChannel = options.rooms.size() == 1
                              && ((m_options.subscriptionMode == ShardedAdapterOptions::SubscriptionMode::Dynamic
                                   && !looksLikeASocketId(*options.rooms.cbegin()))
                                  || m_options.subscriptionMode == ShardedAdapterOptions::SubscriptionMode::DynamicPrivate);
        publish(Broadcast, data, roomChannel ? m_channel + options.rooms.cbegin()->toUtf8() + '#' : m_channel);
    }
    broadcastLocally(std::move(packet), options);
}

void ShardedRedisAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                           const std::function<void(int)> &clientCount,
                                           const std::function<void(const AckResponse &)> &ack)
{
    packet.nsp = m_host->name();
    if (!options.flags.local && m_client && m_client->isConnected()) {
        const QString requestId = hexId();
        AckRequest pending{clientCount, ack, startTimer(options.flags.timeoutMs > 0 ? options.flags.timeoutMs : 10000)};
        m_timers.insert(pending.timerId, requestId);
        m_ackRequests.insert(requestId, pending);
        ++m_client->mutableStats().requests;
        QCborMap data;
        data.insert(QStringLiteral("packet"), clusterPacket(packet));
        data.insert(QStringLiteral("requestId"), requestId);
        data.insert(QStringLiteral("opts"), optionsToObject(options));
        publish(Broadcast, data, m_channel);
    }
    clientCount(broadcastWithAckLocally(std::move(packet), options, ack));
}

void ShardedRedisAdapter::serverCount(const std::function<void(int)> &done) const
{
    if (!m_client || !m_client->isConnected()) {
        done(1);
        return;
    }
    QPointer<Client> client = m_client;
    m_client->publisher()->command({"PUBSUB", "SHARDNUMSUB", m_channel}, [client, done](const Reply &reply) {
        int count = 1;
        if (reply.type == Reply::Type::Array && reply.elements.size() >= 2
            && reply.elements.at(1).type == Reply::Type::Integer)
            count = int(std::max<qint64>(1, reply.elements.at(1).integer));
        if (client)
            client->mutableStats().serverCount = count;
        done(count);
    });
}

void ShardedRedisAdapter::startRequest(PendingRequest pending, QCborMap data)
{
    const QString requestId = hexId();
    data.insert(QStringLiteral("requestId"), requestId);
    pending.timerId = startTimer(m_options.requestsTimeout);
    m_timers.insert(pending.timerId, requestId);
    const MessageType type = pending.type;
    m_requests.insert(requestId, std::move(pending));
    ++m_client->mutableStats().requests;
    publish(type, data, m_channel);
}

void ShardedRedisAdapter::fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done)
{
    const QList<SocketDetails> local = localSocketDetails(options);
    if (options.flags.local || !m_client) {
        done({true, {}, local});
        return;
    }
    QPointer<ShardedRedisAdapter> self(this);
    serverCount([self, options, local, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        if (servers <= 1)
            return done({true, {}, local});
        PendingRequest pending;
        pending.type = FetchSockets;
        pending.expected = servers - 1;
        pending.sockets = local;
        pending.fetchDone = done;
        QCborMap opts = optionsToObject(options);
        QCborMap data;
        data.insert(QStringLiteral("opts"), opts);
        self->startRequest(std::move(pending), data);
    });
}

void ShardedRedisAdapter::publishRooms(MessageType type, const BroadcastOptions &options, const QSet<QString> &rooms)
{
    if (options.flags.local)
        return;
    QCborMap data;
    data.insert(QStringLiteral("opts"), optionsToObject(options));
    data.insert(QStringLiteral("rooms"), sortedArray(rooms));
    publish(type, data, m_channel);
}

void ShardedRedisAdapter::addSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    publishRooms(SocketsJoin, options, rooms);
    InMemoryAdapter::addSockets(options, rooms);
}

void ShardedRedisAdapter::delSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    publishRooms(SocketsLeave, options, rooms);
    InMemoryAdapter::delSockets(options, rooms);
}

void ShardedRedisAdapter::disconnectSockets(const BroadcastOptions &options, bool close)
{
    if (!options.flags.local) {
        QCborMap data;
        data.insert(QStringLiteral("opts"), optionsToObject(options));
        data.insert(QStringLiteral("close"), close);
        publish(DisconnectSockets, data, m_channel);
    }
    InMemoryAdapter::disconnectSockets(options, close);
}

void ShardedRedisAdapter::serverSideEmit(const QCborArray &packet, const ReplyCallback<QCborArray> &done)
{
    if (!m_client) {
        if (done)
            done({});
        return;
    }
    QCborMap data;
    data.insert(QStringLiteral("packet"), packet);
    if (!done) {
        publish(ServerSideEmit, data, m_channel);
        return;
    }
    QPointer<ShardedRedisAdapter> self(this);
    serverCount([self, data, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        if (servers <= 1)
            return done({});
        PendingRequest pending;
        pending.type = ServerSideEmit;
        pending.expected = servers - 1;
        pending.emitDone = done;
        self->startRequest(std::move(pending), data);
    });
}

void ShardedRedisAdapter::finishRequest(const QString &requestId, bool timedOut)
{
    auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return;
    PendingRequest pending = std::move(*it);
    m_requests.erase(it);
    killTimer(pending.timerId);
    m_timers.remove(pending.timerId);
    const QString error = QStringLiteral("timeout reached: only %1 responses received out of %2")
                              .arg(pending.current)
                              .arg(pending.expected);
    if (timedOut && m_client)
        ++m_client->mutableStats().requestTimeouts;
    if (pending.type == FetchSockets)
        pending.fetchDone(timedOut ? FetchSocketsReply{false, error, {}} : FetchSocketsReply{true, {}, pending.sockets});
    else
        pending.emitDone({!timedOut, timedOut ? error : QString(), pending.responses});
}

void ShardedRedisAdapter::timerEvent(QTimerEvent *event)
{
    const auto timer = m_timers.constFind(event->timerId());
    if (timer == m_timers.cend())
        return InMemoryAdapter::timerEvent(event);
    const QString requestId = *timer;
    if (m_requests.contains(requestId))
        return finishRequest(requestId, true);
    killTimer(event->timerId());
    m_timers.remove(event->timerId());
    m_ackRequests.remove(requestId);
}

// ---- messages from the other servers

void ShardedRedisAdapter::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    QString error;
    const std::optional<QCborMap> message = decodeMessage(payload, &error);
    if (!message)
        return ignore("malformed message:", error);
    if (channel == m_responseChannel)
        onResponse(*message);
    else if (channel == m_channel || (channel.startsWith(m_channel) && channel.endsWith('#')))
        onClusterMessage(*message);
}

void ShardedRedisAdapter::onClusterMessage(const QCborMap &message)
{
    const QString uid = message.value(QStringLiteral("uid")).toString();
    if (uid == m_uid)
        return;
    const QCborMap data = message.value(QStringLiteral("data")).toMap();
    const QCborValue requestId = data.value(QStringLiteral("requestId"));
    switch (intOf(message.value(QStringLiteral("type")))) {
    case Broadcast: {
        std::optional<SocketIO::Packet> packet = packetFromObject(data.value(QStringLiteral("packet")));
        if (!packet || !packet->data.isArray())
            return ignore("broadcast without a packet");
        // The channel names the namespace: Node leaves the packet's nsp out here.
        packet->nsp = m_host->name();
        BroadcastOptions options = optionsFromObject(data.value(QStringLiteral("opts")));
        options.flags.local = true;
        if (!requestId.isString()) {
            broadcastLocally(std::move(*packet), options);
            return;
        }
        QPointer<ShardedRedisAdapter> self(this);
        const QString id = requestId.toString();
        const int count = broadcastWithAckLocally(*packet, options, [self, uid, id](const AckResponse &response) {
            if (!self)
                return;
            QCborMap ack;
            ack.insert(QStringLiteral("requestId"), id);
            ack.insert(QStringLiteral("packet"), response.args.isEmpty() ? QCborValue() : response.args.first());
            self->publishResponse(uid, BroadcastAck, ack);
        });
        QCborMap reply;
        reply.insert(QStringLiteral("requestId"), id);
        reply.insert(QStringLiteral("clientCount"), count);
        publishResponse(uid, BroadcastClientCount, reply);
        return;
    }
    case SocketsJoin:
        return InMemoryAdapter::addSockets(optionsFromObject(data.value(QStringLiteral("opts"))),
                                           stringSet(data.value(QStringLiteral("rooms"))));
    case SocketsLeave:
        return InMemoryAdapter::delSockets(optionsFromObject(data.value(QStringLiteral("opts"))),
                                           stringSet(data.value(QStringLiteral("rooms"))));
    case DisconnectSockets:
        return InMemoryAdapter::disconnectSockets(optionsFromObject(data.value(QStringLiteral("opts"))),
                                                  data.value(QStringLiteral("close")).toBool());
    case FetchSockets: {
        if (!requestId.isString())
            return ignore("fetchSockets without a request id");
        QCborArray sockets;
        for (const SocketDetails &socket : localSocketDetails(optionsFromObject(data.value(QStringLiteral("opts")))))
            sockets.append(socketToObject(socket));
        QCborMap reply;
        reply.insert(QStringLiteral("requestId"), requestId);
        reply.insert(QStringLiteral("sockets"), sockets);
        return publishResponse(uid, FetchSocketsResponse, reply);
    }
    case ServerSideEmit: {
        const QCborValue packet = data.value(QStringLiteral("packet"));
        if (!packet.isArray() || packet.toArray().isEmpty() || !packet.toArray().first().isString())
            return ignore("serverSideEmit without an event name");
        if (!requestId.isString()) {
            m_host->receiveServerSideEmit(packet.toArray(), {});
            return;
        }
        QPointer<ShardedRedisAdapter> self(this);
        const QString id = requestId.toString();
        m_host->receiveServerSideEmit(packet.toArray(), [self, uid, id](const QCborValue &value) {
            if (!self)
                return;
            QCborMap reply;
            reply.insert(QStringLiteral("requestId"), id);
            reply.insert(QStringLiteral("packet"), value);
            self->publishResponse(uid, ServerSideEmitResponse, reply);
        });
        return;
    }
    case FetchSocketsResponse:
    case ServerSideEmitResponse:
    case BroadcastClientCount:
    case BroadcastAck:
        return onResponse(message);
    default:
        return ignore("message of unknown type", message.value(QStringLiteral("type")).toDiagnosticNotation());
    }
}

void ShardedRedisAdapter::onResponse(const QCborMap &message)
{
    const QCborMap data = message.value(QStringLiteral("data")).toMap();
    const QString requestId = data.value(QStringLiteral("requestId")).toString();
    const int type = intOf(message.value(QStringLiteral("type")));
    if (type == BroadcastClientCount || type == BroadcastAck) {
        const auto it = m_ackRequests.constFind(requestId);
        if (it == m_ackRequests.cend())
            return;
        const AckRequest handlers = *it;
        if (type == BroadcastClientCount)
            handlers.clientCount(std::max(0, intOf(data.value(QStringLiteral("clientCount")), 0)));
        else
            handlers.ack({QString(), QCborArray{data.value(QStringLiteral("packet"))}});
        return;
    }
    const auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return;
    PendingRequest &pending = *it;
    if (type == FetchSocketsResponse && pending.type == FetchSockets) {
        for (const QCborValue &item : data.value(QStringLiteral("sockets")).toArray()) {
            if (std::optional<SocketDetails> socket = socketFromObject(item))
                pending.sockets.append(std::move(*socket));
        }
    } else if (type == ServerSideEmitResponse && pending.type == ServerSideEmit) {
        pending.responses.append(data.value(QStringLiteral("packet")));
    } else {
        return ignore("response of the wrong type");
    }
    if (++pending.current >= pending.expected)
        finishRequest(requestId, false);
}

AdapterStatus ShardedRedisAdapter::status() const
{
    return Client::adapterStatus(m_client, QStringLiteral("redis-sharded"));
}

AdapterFactory createShardedAdapter(Client *client, const ShardedAdapterOptions &options)
{
    return adapterFactory<ShardedRedisAdapter>(client, options);
}

} // namespace Plugboard::Redis
