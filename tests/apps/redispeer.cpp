// plugboard-redis-peer: a cluster node for mixed Plugboard/Node clusters through Redis, as
// tests/data/redis-interop/CONTRACT.md describes it (env PORT, REDIS_URL, NODE_NAME,
// REQUESTS_TIMEOUT_MS; namespaces "/" and "/chat" for clients, "/ctl" for the harness).
// REDIS_ADAPTER_MODE=sharded uses the sharded adapter (REDIS_SUBSCRIPTION_MODE static,
// dynamic or dynamic-private) instead of the classic one.

#include <processtuning.h>
#include <redis/clustermessages.h>
#include <redis/redisadapter.h>
#include <redis/shardedadapter.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace Plugboard;

namespace {

const QStringList ClientNamespaces{QStringLiteral("/"), QStringLiteral("/chat")};

QCborArray sorted(QStringList list)
{
    std::sort(list.begin(), list.end());
    QCborArray out;
    for (const QString &item : std::as_const(list))
        out.append(item);
    return out;
}

QStringList strings(const QCborValue &value)
{
    QStringList out;
    if (value.isArray()) {
        for (const QCborValue &item : value.toArray())
            out.append(item.toString());
    } else if (value.isString()) {
        out.append(value.toString());
    }
    return out;
}

QCborMap failure(const QString &error)
{
    QCborMap reply;
    reply.insert(QStringLiteral("ok"), false);
    reply.insert(QStringLiteral("error"), error);
    return reply;
}

QCborMap success(const QCborMap &fields = {})
{
    QCborMap reply;
    reply.insert(QStringLiteral("ok"), true);
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        reply.insert(it.key(), it.value());
    return reply;
}

QCborValue firstOrNull(const QCborArray &args)
{
    return args.isEmpty() ? QCborValue(nullptr) : args.first();
}

class Peer
{
public:
    Peer(Server *io, const QString &node, int requestsTimeout)
        : m_io(io), m_node(node), m_requestsTimeout(requestsTimeout)
    {
        for (const QString &name : ClientNamespaces)
            setUpClientNamespace(io->of(name));
        QObject::connect(io->of(QStringLiteral("/ctl")), &Namespace::socketConnected, io,
                         [this](Socket *socket) { setUpControl(socket); });
    }

private:
    void setUpClientNamespace(Namespace *nsp)
    {
        QObject::connect(nsp, &Namespace::socketConnected, m_io, [this](Socket *socket) { setUpClient(socket); });
        QObject::connect(nsp, &Namespace::serverSideEventReceived, m_io,
                         [this, name = nsp->name()](const QString &event, const QCborArray &args, const Ack &ack) {
                             if (event != QLatin1String("peer-hello") && event != QLatin1String("peer-ask"))
                                 return;
                             const bool withAck = event == QLatin1String("peer-ask") && ack.isRequested();
                             QCborMap entry;
                             entry.insert(QStringLiteral("event"), event);
                             entry.insert(QStringLiteral("args"), args);
                             entry.insert(QStringLiteral("withAck"), withAck);
                             m_sseLog[name].append(entry);
                             if (withAck) {
                                 QCborMap answer;
                                 answer.insert(QStringLiteral("node"), m_node);
                                 answer.insert(QStringLiteral("args"), args);
                                 ack({answer});
                             }
                         });
    }

    void setUpClient(Socket *socket)
    {
        const QCborValue label = socket->handshake().auth.value(QStringLiteral("label"));
        socket->data().insert(QStringLiteral("node"), m_node);
        socket->data().insert(QStringLiteral("label"), label.isString() ? label : QCborValue(nullptr));
        const auto rooms = [socket] { return sorted(socket->rooms().values()); };
        socket->on(QStringLiteral("join"), [socket, rooms](const QCborArray &args, const Ack &ack) {
            const QStringList list = strings(args.at(0));
            socket->join(QSet<QString>(list.cbegin(), list.cend()));
            ack({rooms()});
        });
        socket->on(QStringLiteral("leave"), [socket, rooms](const QCborArray &args, const Ack &ack) {
            for (const QString &room : strings(args.at(0)))
                socket->leave(room);
            ack({rooms()});
        });
        socket->on(QStringLiteral("whoami"), [this, socket, rooms](const QCborArray &, const Ack &ack) {
            QCborMap info;
            info.insert(QStringLiteral("id"), socket->id());
            info.insert(QStringLiteral("node"), m_node);
            info.insert(QStringLiteral("nsp"), socket->nsp()->name());
            info.insert(QStringLiteral("rooms"), rooms());
            info.insert(QStringLiteral("data"), socket->data());
            ack({info});
        });
        socket->on(QStringLiteral("relay"), [socket](const QCborArray &args, const Ack &ack) {
            const QCborMap request = args.at(0).toMap();
            const QString event = request.value(QStringLiteral("event")).toString();
            const QCborArray relayed = request.value(QStringLiteral("args")).toArray();
            const QCborValue roomList = request.value(QStringLiteral("rooms"));
            if (roomList.isUndefined() || roomList.isNull())
                socket->broadcast().emitEvent(event, relayed);
            else
                socket->to(strings(roomList)).emitEvent(event, relayed);
            ack({QStringLiteral("ok")});
        });
    }

    // The contract's selector: nsp, rooms, except, local (+ volatile, compress for emit).
    std::optional<BroadcastOperator> select(const QCborMap &params, Namespace **nspOut = nullptr) const
    {
        Namespace *nsp = clientNamespace(params);
        if (!nsp)
            return std::nullopt;
        if (nspOut)
            *nspOut = nsp;
        BroadcastOperator op = nsp->to(strings(params.value(QStringLiteral("rooms"))))
                                   .except(strings(params.value(QStringLiteral("except"))));
        if (params.value(QStringLiteral("local")).toBool())
            op = op.local();
        return op;
    }

    Namespace *clientNamespace(const QCborMap &params) const
    {
        const QCborValue name = params.value(QStringLiteral("nsp"));
        const QString nsp = name.isString() ? name.toString() : QStringLiteral("/");
        return ClientNamespaces.contains(nsp) ? m_io->of(nsp) : nullptr;
    }

    void setUpControl(Socket *socket)
    {
        const auto handle = [this, socket](const QString &op, std::function<void(const QCborMap &, const Ack &)> fn) {
            socket->on(op, [fn](const QCborArray &args, const Ack &ack) { fn(args.at(0).toMap(), ack); });
        };
        const auto badNamespace = [](const Ack &ack) { ack({failure(QStringLiteral("unknown namespace"))}); };

        handle(QStringLiteral("info"), [this](const QCborMap &, const Ack &ack) {
            QCborMap uids;
            for (const QString &name : ClientNamespaces) {
                if (auto *adapter = qobject_cast<Redis::RedisAdapter *>(m_io->of(name)->adapter()))
                    uids.insert(name, adapter->uid());
                else if (auto *sharded = qobject_cast<Redis::ShardedRedisAdapter *>(m_io->of(name)->adapter()))
                    uids.insert(name, sharded->uid());
            }
            QCborMap fields;
            fields.insert(QStringLiteral("node"), m_node);
            fields.insert(QStringLiteral("nsps"), QCborArray{QStringLiteral("/"), QStringLiteral("/chat")});
            fields.insert(QStringLiteral("uids"), uids);
            fields.insert(QStringLiteral("requestsTimeout"), m_requestsTimeout);
            fields.insert(QStringLiteral("pid"), qint64(::getpid()));
            ack({success(fields)});
        });
        handle(QStringLiteral("emit"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            if (params.value(QStringLiteral("volatile")).toBool())
                op = op->asVolatile();
            const QCborValue compress = params.value(QStringLiteral("compress"));
            if (compress.isBool())
                op = op->compress(compress.toBool());
            op->emitEvent(params.value(QStringLiteral("event")).toString(), params.value(QStringLiteral("args")).toArray());
            ack({success()});
        });
        handle(QStringLiteral("emitWithAck"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            QElapsedTimer clock;
            clock.start();
            op->timeout(int(params.value(QStringLiteral("timeout")).toInteger(5000)))
                .emitWithAck(params.value(QStringLiteral("event")).toString(), params.value(QStringLiteral("args")).toArray(),
                             [ack, clock](const BroadcastAckResult &result) {
                                 QCborArray responses;
                                 for (const AckResponse &response : result.responses)
                                     responses.append(firstOrNull(response.args));
                                 QCborMap fields;
                                 fields.insert(QStringLiteral("err"), result.ok ? QCborValue(nullptr) : QCborValue(result.error));
                                 fields.insert(QStringLiteral("responses"), responses);
                                 fields.insert(QStringLiteral("ms"), clock.elapsed());
                                 ack({success(fields)});
                             });
        });
        handle(QStringLiteral("serverSideEmit"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            nsp->serverSideEmit(params.value(QStringLiteral("event")).toString(), params.value(QStringLiteral("args")).toArray());
            ack({success()});
        });
        handle(QStringLiteral("serverSideEmitWithAck"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            QElapsedTimer clock;
            clock.start();
            nsp->serverSideEmitWithAck(params.value(QStringLiteral("event")).toString(),
                                       params.value(QStringLiteral("args")).toArray(),
                                       [ack, clock](const ServerSideEmitReply &reply) {
                                           QCborMap fields;
                                           fields.insert(QStringLiteral("err"), reply.ok ? QCborValue(nullptr) : QCborValue(reply.error));
                                           fields.insert(QStringLiteral("responses"), reply.value);
                                           fields.insert(QStringLiteral("ms"), clock.elapsed());
                                           ack({success(fields)});
                                       });
        });
        handle(QStringLiteral("sseLog"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            QCborMap fields;
            fields.insert(QStringLiteral("events"), m_sseLog.value(nsp->name()));
            if (params.value(QStringLiteral("clear")).toBool())
                m_sseLog.remove(nsp->name());
            ack({success(fields)});
        });
        handle(QStringLiteral("fetchSockets"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            QElapsedTimer clock;
            clock.start();
            op->fetchSockets([ack, clock](const FetchSocketsResult &result) {
                if (!result.ok) {
                    QCborMap reply = failure(result.error);
                    reply.insert(QStringLiteral("ms"), clock.elapsed());
                    return ack({reply});
                }
                QCborArray sockets;
                for (const RemoteSocket &socket : result.sockets)
                    sockets.append(Redis::socketToObject(socket.details()));
                QCborMap fields;
                fields.insert(QStringLiteral("sockets"), sockets);
                fields.insert(QStringLiteral("ms"), clock.elapsed());
                ack({success(fields)});
            });
        });
        handle(QStringLiteral("socketsJoin"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            op->socketsJoin(strings(params.value(QStringLiteral("join"))));
            ack({success()});
        });
        handle(QStringLiteral("socketsLeave"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            op->socketsLeave(strings(params.value(QStringLiteral("leave"))));
            ack({success()});
        });
        handle(QStringLiteral("disconnectSockets"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            std::optional<BroadcastOperator> op = select(params);
            if (!op)
                return badNamespace(ack);
            // The reply goes first: the harness's own socket is never among the targets.
            ack({success()});
            op->disconnectSockets(params.value(QStringLiteral("close")).toBool());
        });
        handle(QStringLiteral("serverCount"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            nsp->serverCount([ack](int count) {
                QCborMap fields;
                fields.insert(QStringLiteral("count"), count);
                ack({success(fields)});
            });
        });
        handle(QStringLiteral("allRooms"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            QElapsedTimer clock;
            clock.start();
            nsp->allRooms([ack, clock](const AllRoomsReply &reply) {
                if (!reply.ok) {
                    QCborMap out = failure(reply.error);
                    out.insert(QStringLiteral("ms"), clock.elapsed());
                    return ack({out});
                }
                QCborMap fields;
                fields.insert(QStringLiteral("rooms"), sorted(reply.value));
                fields.insert(QStringLiteral("ms"), clock.elapsed());
                ack({success(fields)});
            });
        });
        handle(QStringLiteral("localState"), [this, badNamespace](const QCborMap &params, const Ack &ack) {
            Namespace *nsp = clientNamespace(params);
            if (!nsp)
                return badNamespace(ack);
            QStringList ids = nsp->sockets().keys();
            std::sort(ids.begin(), ids.end());
            QCborArray sockets;
            for (const QString &id : std::as_const(ids)) {
                const Socket *socket = nsp->socket(id);
                QCborMap entry;
                entry.insert(QStringLiteral("id"), id);
                entry.insert(QStringLiteral("rooms"), sorted(socket->rooms().values()));
                entry.insert(QStringLiteral("data"), socket->data());
                sockets.append(entry);
            }
            QCborMap fields;
            fields.insert(QStringLiteral("sockets"), sockets);
            ack({success(fields)});
        });
    }

    Server *m_io;
    QString m_node;
    int m_requestsTimeout;
    QHash<QString, QCborArray> m_sseLog;
};

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    tuneProcessForServing();
    useServingEventDispatcherOnMainThread();
    QCoreApplication application(argc, argv);

    const int port = envInt("PORT", 3000);
    const QString node = qEnvironmentVariable("NODE_NAME", QStringLiteral("A"));
    const int requestsTimeout = envInt("REQUESTS_TIMEOUT_MS", 5000);
    QString error;
    const std::optional<Redis::Endpoint> endpoint =
        Redis::Endpoint::fromUrl(qEnvironmentVariable("REDIS_URL", QStringLiteral("redis://127.0.0.1:6379")), &error);
    if (!endpoint || port < 0 || port > 65535 || requestsTimeout <= 0) {
        std::fprintf(stderr, "plugboard-redis-peer: %s\n",
                     endpoint ? "invalid PORT or REQUESTS_TIMEOUT_MS" : qPrintable(error));
        return 2;
    }

    Redis::Client redis(*endpoint);
    redis.open();
    ServerOptions options;
    const QString mode = qEnvironmentVariable("REDIS_ADAPTER_MODE", QStringLiteral("classic"));
    if (mode == QLatin1String("sharded")) {
        Redis::ShardedAdapterOptions sharded;
        sharded.requestsTimeout = requestsTimeout;
        const QString subscription = qEnvironmentVariable("REDIS_SUBSCRIPTION_MODE", QStringLiteral("dynamic"));
        if (subscription == QLatin1String("static"))
            sharded.subscriptionMode = Redis::ShardedAdapterOptions::SubscriptionMode::Static;
        else if (subscription == QLatin1String("dynamic-private"))
            sharded.subscriptionMode = Redis::ShardedAdapterOptions::SubscriptionMode::DynamicPrivate;
        else if (subscription != QLatin1String("dynamic")) {
            std::fprintf(stderr, "plugboard-redis-peer: REDIS_SUBSCRIPTION_MODE: expected static, dynamic or dynamic-private\n");
            return 2;
        }
        options.adapter = Redis::createShardedAdapter(&redis, sharded);
    } else if (mode == QLatin1String("classic")) {
        Redis::AdapterOptions adapterOptions;
        adapterOptions.requestsTimeout = requestsTimeout;
        options.adapter = Redis::createAdapter(&redis, adapterOptions);
    } else {
        std::fprintf(stderr, "plugboard-redis-peer: REDIS_ADAPTER_MODE: expected classic or sharded\n");
        return 2;
    }
    Server io(options);
    Peer peer(&io, node, requestsTimeout);
    if (!io.listen(QHostAddress::LocalHost, quint16(port))) {
        std::fprintf(stderr, "plugboard-redis-peer: cannot listen on 127.0.0.1:%d: %s\n", port,
                     qPrintable(io.errorString()));
        return 1;
    }
    std::printf("plugboard-redis-peer %s listening on 127.0.0.1:%u\n", qPrintable(node), unsigned(io.serverPort()));
    std::fflush(stdout);
    return application.exec();
}
