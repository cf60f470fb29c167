#include "redisadapter.h"

#include "../adapter/adapterhost.h"
#include "redislogging.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimerEvent>

namespace Plugboard::Redis {

namespace {


QCborMap selector(const BroadcastOptions &options)
{
    QCborMap opts;
    opts.insert(QStringLiteral("rooms"), sortedArray(options.rooms));
    opts.insert(QStringLiteral("except"), sortedArray(options.except));
    return opts;
}

BroadcastOptions selectorFrom(const QCborValue &value)
{
    BroadcastOptions options;
    const QCborMap opts = value.toMap();
    options.rooms = stringSet(opts.value(QStringLiteral("rooms")));
    options.except = stringSet(opts.value(QStringLiteral("except")));
    return options;
}

int typeOf(const QCborMap &message)
{
    return intOf(message.value(QStringLiteral("type")));
}

QString timeoutMessage(RequestType type)
{
    switch (type) {
    case RequestType::Sockets:
        return QStringLiteral("timeout reached while waiting for sockets response");
    case RequestType::AllRooms:
        return QStringLiteral("timeout reached while waiting for allRooms response");
    case RequestType::RemoteFetch:
        return QStringLiteral("timeout reached while waiting for fetchSockets response");
    default:
        return QStringLiteral("timeout reached");
    }
}

} // namespace

QString randomId(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    id.reserve(length);
    for (int i = 0; i < length; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return id;
}

RedisAdapter::RedisAdapter(AdapterHost *host, QObject *parent, Client *client, const AdapterOptions &options)
    : InMemoryAdapter(host, parent), m_client(client), m_options(options), m_uid(randomId(6))
{
    m_channels = channelsFor(options.key, host->name(), m_uid);
    const auto handler = [this](const QByteArray &channel, const QByteArray &payload) { onMessage(channel, payload); };
    client->route(m_channels.broadcast, this, handler);
    client->route(m_channels.request, this, handler);
    client->route(m_channels.response, this, handler);
    Subscriber *sub = client->subscriber();
    sub->subscribe(Subscriber::Kind::Pattern, m_channels.broadcastPattern);
    sub->subscribe(Subscriber::Kind::Channel, m_channels.request);
    sub->subscribe(Subscriber::Kind::Channel, m_channels.response);
    sub->subscribe(Subscriber::Kind::Channel, m_channels.ownResponse);
}

RedisAdapter::~RedisAdapter()
{
    if (!m_client)
        return;
    for (const QByteArray &prefix : {m_channels.broadcast, m_channels.request, m_channels.response})
        m_client->unroute(prefix);
    Subscriber *sub = m_client->subscriber();
    sub->unsubscribe(Subscriber::Kind::Pattern, m_channels.broadcastPattern);
    sub->unsubscribe(Subscriber::Kind::Channel, m_channels.request);
    sub->unsubscribe(Subscriber::Kind::Channel, m_channels.response);
    sub->unsubscribe(Subscriber::Kind::Channel, m_channels.ownResponse);
}

void RedisAdapter::ignore(const char *what, const QString &detail) const
{
    if (m_client)
        ++m_client->mutableStats().ignored;
    qCDebug(lcRedis).noquote() << m_host->name() << "ignoring" << what << detail;
}

// ---- broadcasts

void RedisAdapter::broadcast(SocketIO::Packet packet, const BroadcastOptions &options)
{
    packet.nsp = m_host->name();
    if (!options.flags.local && m_client) {
        const QByteArray channel = options.rooms.size() == 1 ? m_channels.roomChannel(*options.rooms.cbegin())
                                                             : m_channels.broadcast;
        m_client->publish(channel, encodeBroadcast({m_uid, packet, options}));
    }
    broadcastLocally(std::move(packet), options);
}

void RedisAdapter::onBroadcastMessage(const QByteArray &channel, const QByteArray &payload)
{
    const qsizetype prefix = m_channels.broadcast.size();
    if (channel.size() > prefix) {
        // A single-room broadcast: socket.io#<nsp>#<room>#
        const QString room = QString::fromUtf8(channel.mid(prefix, channel.size() - prefix - 1));
        if (!channel.endsWith('#') || !rooms().contains(room))
            return; // nobody here is in that room
    }
    QString error;
    std::optional<BroadcastMessage> message = decodeBroadcast(payload, &error);
    if (!message)
        return ignore("malformed broadcast:", error);
    if (message->uid == m_uid)
        return;
    if (message->packet.nsp != m_host->name())
        return ignore("broadcast for namespace", message->packet.nsp);
    if (!message->packet.data.isArray())
        return ignore("broadcast without event data");
    message->options.flags.local = true;
    broadcastLocally(std::move(message->packet), message->options);
}

void RedisAdapter::broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                                    const std::function<void(int)> &clientCount,
                                    const std::function<void(const AckResponse &)> &ack)
{
    packet.nsp = m_host->name();
    if (!options.flags.local && m_client && m_client->isConnected()) {
        const QString requestId = randomId(6);
        QCborMap opts = optionsToObject(options);
        QCborMap request;
        request.insert(QStringLiteral("uid"), m_uid);
        request.insert(QStringLiteral("requestId"), requestId);
        request.insert(QStringLiteral("type"), int(RequestType::Broadcast));
        request.insert(QStringLiteral("packet"), packetToObject(packet));
        request.insert(QStringLiteral("opts"), opts);
        AckRequest pending{clientCount, ack, startTimer(options.flags.timeoutMs > 0 ? options.flags.timeoutMs : 10000)};
        m_timers.insert(pending.timerId, requestId);
        m_ackRequests.insert(requestId, pending);
        ++m_client->mutableStats().requests;
        m_client->publish(m_channels.request, encodeMsgpackMessage(request));
    }
    clientCount(broadcastWithAckLocally(std::move(packet), options, ack));
}

void RedisAdapter::serverCount(const std::function<void(int)> &done) const
{
    if (!m_client || !m_client->isConnected()) {
        done(1);
        return;
    }
    QPointer<Client> client = m_client;
    m_client->publisher()->command({"PUBSUB", "NUMSUB", m_channels.request}, [client, done](const Reply &reply) {
        int count = 1;
        if (reply.type == Reply::Type::Array && reply.elements.size() >= 2
            && reply.elements.at(1).type == Reply::Type::Integer)
            count = int(std::max<qint64>(1, reply.elements.at(1).integer));
        if (client)
            client->mutableStats().serverCount = count;
        done(count);
    });
}

// ---- requests this server makes

void RedisAdapter::publishRequest(const QCborMap &request)
{
    if (m_client)
        m_client->publish(m_channels.request, encodeJsonMessage(request));
}

void RedisAdapter::startRequest(QCborMap request, PendingRequest pending)
{
    const QString requestId = randomId(6);
    request.insert(QStringLiteral("uid"), m_uid);
    request.insert(QStringLiteral("requestId"), requestId);
    request.insert(QStringLiteral("type"), int(pending.type));
    // uid, requestId and type lead, as Node writes them.
    QCborMap ordered;
    for (const QString &key : {QStringLiteral("uid"), QStringLiteral("requestId"), QStringLiteral("type")})
        ordered.insert(key, request.value(key));
    for (auto it = request.cbegin(); it != request.cend(); ++it) {
        if (!ordered.contains(it.key()))
            ordered.insert(it.key(), it.value());
    }
    pending.timerId = startTimer(m_options.requestsTimeout);
    m_timers.insert(pending.timerId, requestId);
    m_requests.insert(requestId, std::move(pending));
    ++m_client->mutableStats().requests;
    publishRequest(ordered);
}

void RedisAdapter::fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done)
{
    QList<SocketDetails> local = localSocketDetails(options);
    if (options.flags.local || !m_client) {
        done({true, {}, local});
        return;
    }
    QPointer<RedisAdapter> self(this);
    serverCount([self, options, local, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        if (servers <= 1)
            return done({true, {}, local});
        PendingRequest pending;
        pending.type = RequestType::RemoteFetch;
        pending.expected = servers;
        pending.sockets = local;
        pending.fetchDone = done;
        QCborMap request;
        request.insert(QStringLiteral("opts"), selector(options));
        self->startRequest(request, std::move(pending));
    });
}

void RedisAdapter::allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done)
{
    const QStringList local = localSockets({rooms, {}, {}});
    if (!m_client) {
        done({true, {}, local});
        return;
    }
    QPointer<RedisAdapter> self(this);
    serverCount([self, rooms, local, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        if (servers <= 1)
            return done({true, {}, local});
        PendingRequest pending;
        pending.type = RequestType::Sockets;
        pending.expected = servers;
        pending.ids = local;
        pending.listDone = done;
        QCborMap request;
        request.insert(QStringLiteral("rooms"), sortedArray(rooms));
        self->startRequest(request, std::move(pending));
    });
}

void RedisAdapter::allRooms(const ReplyCallback<QStringList> &done)
{
    const QStringList local = localRoomNames();
    if (!m_client) {
        done({true, {}, local});
        return;
    }
    QPointer<RedisAdapter> self(this);
    serverCount([self, local, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        if (servers <= 1)
            return done({true, {}, local});
        PendingRequest pending;
        pending.type = RequestType::AllRooms;
        pending.expected = servers;
        pending.rooms = QSet<QString>(local.cbegin(), local.cend());
        pending.listDone = done;
        self->startRequest({}, std::move(pending));
    });
}

void RedisAdapter::addSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    InMemoryAdapter::addSockets(options, rooms);
    if (options.flags.local || !m_client)
        return;
    QCborMap request;
    request.insert(QStringLiteral("uid"), m_uid);
    request.insert(QStringLiteral("type"), int(RequestType::RemoteJoin));
    request.insert(QStringLiteral("opts"), selector(options));
    request.insert(QStringLiteral("rooms"), sortedArray(rooms));
    publishRequest(request);
}

void RedisAdapter::delSockets(const BroadcastOptions &options, const QSet<QString> &rooms)
{
    InMemoryAdapter::delSockets(options, rooms);
    if (options.flags.local || !m_client)
        return;
    QCborMap request;
    request.insert(QStringLiteral("uid"), m_uid);
    request.insert(QStringLiteral("type"), int(RequestType::RemoteLeave));
    request.insert(QStringLiteral("opts"), selector(options));
    request.insert(QStringLiteral("rooms"), sortedArray(rooms));
    publishRequest(request);
}

void RedisAdapter::disconnectSockets(const BroadcastOptions &options, bool close)
{
    if (!options.flags.local && m_client) {
        QCborMap request;
        request.insert(QStringLiteral("uid"), m_uid);
        request.insert(QStringLiteral("type"), int(RequestType::RemoteDisconnect));
        request.insert(QStringLiteral("opts"), selector(options));
        request.insert(QStringLiteral("close"), close);
        publishRequest(request);
    }
    InMemoryAdapter::disconnectSockets(options, close);
}

void RedisAdapter::serverSideEmit(const QCborArray &packet, const ReplyCallback<QCborArray> &done)
{
    if (!m_client) {
        if (done)
            done({});
        return;
    }
    if (!done) {
        QCborMap request;
        request.insert(QStringLiteral("uid"), m_uid);
        request.insert(QStringLiteral("type"), int(RequestType::ServerSideEmit));
        request.insert(QStringLiteral("data"), packet);
        publishRequest(request);
        return;
    }
    QPointer<RedisAdapter> self(this);
    serverCount([self, packet, done](int servers) {
        if (!self)
            return done({false, QStringLiteral("namespace is gone"), {}});
        const int others = servers - 1;
        if (others <= 0)
            return done({});
        // Answers come from the other servers only: none counts as this server's.
        PendingRequest pending;
        pending.type = RequestType::ServerSideEmit;
        pending.expected = others;
        pending.received = 0;
        pending.emitDone = done;
        QCborMap request;
        request.insert(QStringLiteral("data"), packet);
        self->startRequest(request, std::move(pending));
    });
}

void RedisAdapter::finishRequest(const QString &requestId, bool timedOut)
{
    auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return;
    PendingRequest pending = std::move(*it);
    m_requests.erase(it);
    killTimer(pending.timerId);
    m_timers.remove(pending.timerId);
    if (timedOut && m_client)
        ++m_client->mutableStats().requestTimeouts;
    switch (pending.type) {
    case RequestType::RemoteFetch:
        if (timedOut)
            pending.fetchDone({false, timeoutMessage(pending.type), {}});
        else
            pending.fetchDone({true, {}, pending.sockets});
        return;
    case RequestType::Sockets:
        if (timedOut)
            pending.listDone({false, timeoutMessage(pending.type), {}});
        else
            pending.listDone({true, {}, pending.ids});
        return;
    case RequestType::AllRooms:
        if (timedOut)
            pending.listDone({false, timeoutMessage(pending.type), {}});
        else
            pending.listDone({true, {}, pending.rooms.values()});
        return;
    case RequestType::ServerSideEmit:
        if (timedOut)
            pending.emitDone({false,
                              QStringLiteral("timeout reached: only %1 responses received out of %2")
                                  .arg(pending.responses.size())
                                  .arg(pending.expected),
                              pending.responses});
        else
            pending.emitDone({true, {}, pending.responses});
        return;
    default:
        return;
    }
}

void RedisAdapter::timerEvent(QTimerEvent *event)
{
    const auto timer = m_timers.constFind(event->timerId());
    if (timer == m_timers.cend())
        return InMemoryAdapter::timerEvent(event);
    const QString requestId = *timer;
    if (m_requests.contains(requestId)) {
        finishRequest(requestId, true);
        return;
    }
    // A broadcast with acks: replies after its timeout are of no use to anyone.
    killTimer(event->timerId());
    m_timers.remove(event->timerId());
    m_ackRequests.remove(requestId);
}

// ---- messages from the other servers

void RedisAdapter::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel.startsWith(m_channels.response))
        onResponse(payload);
    else if (channel == m_channels.request)
        onRequest(payload);
    else if (channel.startsWith(m_channels.broadcast))
        onBroadcastMessage(channel, payload);
}

void RedisAdapter::publishResponse(const QCborMap &request, const QByteArray &response)
{
    if (!m_client)
        return;
    const QString uid = request.value(QStringLiteral("uid")).toString();
    const QByteArray channel = m_options.publishOnSpecificResponseChannel && !uid.isEmpty()
                                 ? m_channels.response + uid.toUtf8() + '#'
                                 : m_channels.response;
    m_client->publish(channel, response);
}

void RedisAdapter::onRequest(const QByteArray &payload)
{
    QString error;
    const std::optional<QCborMap> decoded = decodeMessage(payload, &error);
    if (!decoded)
        return ignore("malformed request:", error);
    const QCborMap &request = *decoded;
    const QCborValue requestIdValue = request.value(QStringLiteral("requestId"));
    const QString requestId = requestIdValue.toString();
    const bool ownRequest = m_requests.contains(requestId) || m_ackRequests.contains(requestId);
    const bool ownUid = request.value(QStringLiteral("uid")).toString() == m_uid;
    const auto reply = [&](QCborMap response) {
        QCborMap ordered;
        ordered.insert(QStringLiteral("requestId"), requestId);
        for (auto it = response.cbegin(); it != response.cend(); ++it)
            ordered.insert(it.key(), it.value());
        publishResponse(request, encodeJsonMessage(ordered));
    };

    switch (RequestType(typeOf(request))) {
    case RequestType::Sockets: {
        if (ownRequest || !requestIdValue.isString())
            return;
        QCborMap response;
        response.insert(QStringLiteral("sockets"), QCborArray::fromStringList(localSockets({stringSet(request.value(QStringLiteral("rooms"))), {}, {}})));
        return reply(response);
    }
    case RequestType::AllRooms: {
        if (ownRequest || !requestIdValue.isString())
            return;
        QCborMap response;
        response.insert(QStringLiteral("rooms"), QCborArray::fromStringList(localRoomNames()));
        return reply(response);
    }
    case RequestType::RemoteJoin:
    case RequestType::RemoteLeave: {
        const bool join = typeOf(request) == int(RequestType::RemoteJoin);
        if (request.contains(QStringLiteral("opts"))) {
            if (ownUid)
                return; // applied here when it was made
            const BroadcastOptions options = selectorFrom(request.value(QStringLiteral("opts")));
            const QSet<QString> rooms = stringSet(request.value(QStringLiteral("rooms")));
            if (join)
                InMemoryAdapter::addSockets(options, rooms);
            else
                InMemoryAdapter::delSockets(options, rooms);
            return;
        }
        const QString sid = request.value(QStringLiteral("sid")).toString();
        const QCborValue room = request.value(QStringLiteral("room"));
        if (!m_host->hasLocalSocket(sid) || !room.isString())
            return;
        if (join)
            m_host->joinLocalSockets({sid}, {room.toString()});
        else
            m_host->leaveLocalSockets({sid}, {room.toString()});
        return reply({});
    }
    case RequestType::RemoteDisconnect: {
        const bool close = request.value(QStringLiteral("close")).toBool();
        if (request.contains(QStringLiteral("opts"))) {
            if (ownUid)
                return;
            InMemoryAdapter::disconnectSockets(selectorFrom(request.value(QStringLiteral("opts"))), close);
            return;
        }
        const QString sid = request.value(QStringLiteral("sid")).toString();
        if (!m_host->hasLocalSocket(sid))
            return;
        m_host->disconnectLocalSockets({sid}, close);
        return reply({});
    }
    case RequestType::RemoteFetch: {
        if (ownRequest || !requestIdValue.isString())
            return;
        QCborArray sockets;
        for (const SocketDetails &socket : localSocketDetails(selectorFrom(request.value(QStringLiteral("opts")))))
            sockets.append(socketToObject(socket));
        QCborMap response;
        response.insert(QStringLiteral("sockets"), sockets);
        return reply(response);
    }
    case RequestType::ServerSideEmit: {
        if (ownUid)
            return;
        const QCborValue data = request.value(QStringLiteral("data"));
        if (!data.isArray() || data.toArray().isEmpty() || !data.toArray().first().isString())
            return ignore("serverSideEmit without an event name");
        if (!requestIdValue.isString()) {
            m_host->receiveServerSideEmit(data.toArray(), {});
            return;
        }
        QPointer<RedisAdapter> self(this);
        const QCborMap requestCopy = request;
        m_host->receiveServerSideEmit(data.toArray(), [self, requestCopy, requestId](const QCborValue &value) {
            if (!self || !self->m_client)
                return;
            QCborMap response;
            response.insert(QStringLiteral("type"), int(RequestType::ServerSideEmit));
            response.insert(QStringLiteral("requestId"), requestId);
            response.insert(QStringLiteral("data"), value);
            // Node answers serverSideEmit on the shared response channel always.
            self->m_client->publish(self->m_channels.response, encodeJsonMessage(response));
        });
        return;
    }
    case RequestType::Broadcast: {
        if (ownRequest || ownUid || !requestIdValue.isString())
            return;
        std::optional<SocketIO::Packet> packet = packetFromObject(request.value(QStringLiteral("packet")));
        if (!packet || !packet->data.isArray())
            return ignore("broadcast request without a packet");
        if (packet->nsp != m_host->name())
            return ignore("broadcast request for namespace", packet->nsp);
        BroadcastOptions options = optionsFromObject(request.value(QStringLiteral("opts")));
        options.flags.local = true;
        QPointer<RedisAdapter> self(this);
        const QCborMap requestCopy = request;
        const int count = broadcastWithAckLocally(*packet, options, [self, requestCopy, requestId](const AckResponse &response) {
            if (!self)
                return;
            QCborMap ack;
            ack.insert(QStringLiteral("type"), int(RequestType::BroadcastAck));
            ack.insert(QStringLiteral("requestId"), requestId);
            ack.insert(QStringLiteral("packet"), response.args.isEmpty() ? QCborValue() : response.args.first());
            self->publishResponse(requestCopy, encodeMsgpackMessage(ack));
        });
        QCborMap response;
        response.insert(QStringLiteral("type"), int(RequestType::BroadcastClientCount));
        response.insert(QStringLiteral("requestId"), requestId);
        response.insert(QStringLiteral("clientCount"), count);
        publishResponse(request, encodeJsonMessage(response));
        return;
    }
    default:
        return ignore("request of unknown type", QString::number(typeOf(request)));
    }
}

void RedisAdapter::onResponse(const QByteArray &payload)
{
    QString error;
    const std::optional<QCborMap> decoded = decodeMessage(payload, &error);
    if (!decoded)
        return ignore("malformed response:", error);
    const QCborMap &response = *decoded;
    const QString requestId = response.value(QStringLiteral("requestId")).toString();

    const auto ackRequest = m_ackRequests.constFind(requestId);
    if (ackRequest != m_ackRequests.cend()) {
        const AckRequest handlers = *ackRequest; // a callback may end the request
        switch (RequestType(typeOf(response))) {
        case RequestType::BroadcastClientCount: {
            const int count = intOf(response.value(QStringLiteral("clientCount")));
            if (count >= 0)
                handlers.clientCount(count);
            return;
        }
        case RequestType::BroadcastAck:
            handlers.ack({QString(), QCborArray{response.value(QStringLiteral("packet"))}});
            return;
        default:
            return ignore("response of unknown type to a broadcast");
        }
    }

    const auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return; // another server's request, or one that is over
    PendingRequest &pending = *it;
    switch (pending.type) {
    case RequestType::RemoteFetch:
    case RequestType::Sockets: {
        ++pending.received;
        const QCborValue sockets = response.value(QStringLiteral("sockets"));
        if (!sockets.isArray())
            return;
        for (const QCborValue &item : sockets.toArray()) {
            if (pending.type == RequestType::Sockets) {
                if (item.isString() && !pending.ids.contains(item.toString()))
                    pending.ids.append(item.toString());
            } else if (std::optional<SocketDetails> socket = socketFromObject(item)) {
                pending.sockets.append(std::move(*socket));
            }
        }
        break;
    }
    case RequestType::AllRooms: {
        ++pending.received;
        const QCborValue rooms = response.value(QStringLiteral("rooms"));
        if (!rooms.isArray())
            return;
        pending.rooms.unite(stringSet(rooms));
        break;
    }
    case RequestType::ServerSideEmit:
        pending.responses.append(response.value(QStringLiteral("data")));
        ++pending.received;
        break;
    default:
        return;
    }
    if (pending.received >= pending.expected)
        finishRequest(requestId, false);
}

AdapterStatus RedisAdapter::status() const
{
    return Client::adapterStatus(m_client, QStringLiteral("redis"));
}

AdapterFactory createAdapter(Client *client, const AdapterOptions &options)
{
    return adapterFactory<RedisAdapter>(client, options);
}

} // namespace Plugboard::Redis
