// plugboard-bench-server: the three events of the benchmark contract (docs: bench-contract.md),
// on 127.0.0.1:$PORT at /socket.io/. With REDIS_URL it joins a cluster through the Redis
// adapter (the cluster scenario of tests/bench/cluster.sh), sharded with REDIS_ADAPTER_MODE=sharded.

#include <engine/wsengine.h>
#include <processtuning.h>
#include <redis/redisadapter.h>
#include <redis/shardedadapter.h>
#include <sio/server.h>

#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Plugboard;

int main(int argc, char **argv)
{
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    useServingEventDispatcherOnMainThread();
    QCoreApplication app(argc, argv);

    bool ok = false;
    const uint port = qEnvironmentVariable("PORT", QStringLiteral("3000")).toUInt(&ok);
    QHostAddress host;
    if (!ok || port > 65535 || !host.setAddress(qEnvironmentVariable("HOST", QStringLiteral("127.0.0.1")))) {
        std::fprintf(stderr, "plugboard-bench-server: invalid PORT or HOST\n");
        return 2;
    }

    ServerOptions options;
    options.engine.maxHttpBufferSize = 1000000;
    if (!readWebSocketEngineFromEnvironment(&options.engine.wsEngine, "plugboard-bench-server"))
        return 2;
    std::unique_ptr<Redis::Client> redis;
    if (qEnvironmentVariableIsSet("REDIS_URL")) {
        QString error;
        const auto endpoint = Redis::Endpoint::fromUrl(qEnvironmentVariable("REDIS_URL"), &error);
        if (!endpoint) {
            std::fprintf(stderr, "plugboard-bench-server: REDIS_URL: %s\n", qPrintable(error));
            return 2;
        }
        redis = std::make_unique<Redis::Client>(*endpoint);
        redis->open();
        // REDIS_ADAPTER_MODE=sharded: SPUBLISH/SSUBSCRIBE (Node's createShardedAdapter).
        options.adapter = qEnvironmentVariable("REDIS_ADAPTER_MODE") == QLatin1String("sharded")
                            ? Redis::createShardedAdapter(redis.get())
                            : Redis::createAdapter(redis.get());
    }
    Server io(options);
    QObject::connect(io.mainNamespace(), &Namespace::socketConnected, &io, [](Socket *socket) {
        socket->on(QStringLiteral("echo"), [](const QCborArray &args, const Ack &ack) { ack(args); });
        socket->on(QStringLiteral("join"), [socket](const QCborArray &args, const Ack &ack) {
            const QString room = args.at(0).toString();
            socket->join(room);
            ack({room});
        });
        socket->on(QStringLiteral("broadcast"), [socket](const QCborArray &args, const Ack &ack) {
            socket->nsp()->to(args.at(0).toString()).emitEvent(QStringLiteral("bcast"), {args.at(1)});
            ack();
        });
    });
    if (!io.listen(host, quint16(port))) {
        std::fprintf(stderr, "plugboard-bench-server: cannot listen: %s\n", qPrintable(io.errorString()));
        return 1;
    }
    return app.exec();
}
