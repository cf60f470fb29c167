// plugboard-redis-emitter: Plugboard::Redis::Emitter driven from stdin, for tests and scripts.
// One JSON object a line: {"op": "emit"|"socketsJoin"|"socketsLeave"|"disconnectSockets"|
// "serverSideEmit", "nsp", "rooms", "except", "volatile", "event", "args", "join"|"leave",
// "close"}; answers one line each: {"ok": true} or {"ok": false, "error": "..."}.
// Binary: {"$bin": "<hex>"} anywhere in args. Env REDIS_URL.

#include <protocol/jsoncodec.h>
#include <redis/redisclient.h>
#include <redis/redisemitter.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

using namespace Plugboard;

namespace {

QCborValue withBinary(const QCborValue &value)
{
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        if (map.size() == 1 && map.value(QStringLiteral("$bin")).isString())
            return QByteArray::fromHex(map.value(QStringLiteral("$bin")).toString().toLatin1());
        QCborMap out;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), withBinary(it.value()));
        return out;
    }
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(withBinary(item));
        return out;
    }
    return value;
}

QStringList strings(const QCborValue &value)
{
    QStringList out;
    for (const QCborValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

void answer(bool ok, const QString &error = {})
{
    QCborMap reply;
    reply.insert(QStringLiteral("ok"), ok);
    if (!ok)
        reply.insert(QStringLiteral("error"), error);
    std::printf("%s\n", Json::write(reply).constData());
    std::fflush(stdout);
}

void run(Redis::Client *client, const QByteArray &line)
{
    const Json::ParseResult parsed = Json::parse(line);
    if (!parsed.ok || !parsed.value.isMap())
        return answer(false, QStringLiteral("not a JSON object: %1").arg(parsed.error));
    const QCborMap command = parsed.value.toMap();
    const QCborValue nsp = command.value(QStringLiteral("nsp"));
    Redis::Emitter emitter = Redis::Emitter(client).of(nsp.isString() ? nsp.toString() : QStringLiteral("/"));
    emitter = emitter.to(strings(command.value(QStringLiteral("rooms"))))
                  .except(strings(command.value(QStringLiteral("except"))));
    if (command.value(QStringLiteral("volatile")).toBool())
        emitter = emitter.asVolatile();
    const QString op = command.value(QStringLiteral("op")).toString();
    const QString event = command.value(QStringLiteral("event")).toString();
    const QCborArray args = withBinary(command.value(QStringLiteral("args"))).toArray();
    bool sent = false;
    if (op == QLatin1String("emit"))
        sent = emitter.emitEvent(event, args);
    else if (op == QLatin1String("socketsJoin"))
        sent = emitter.socketsJoin(strings(command.value(QStringLiteral("join"))));
    else if (op == QLatin1String("socketsLeave"))
        sent = emitter.socketsLeave(strings(command.value(QStringLiteral("leave"))));
    else if (op == QLatin1String("disconnectSockets"))
        sent = emitter.disconnectSockets(command.value(QStringLiteral("close")).toBool());
    else if (op == QLatin1String("serverSideEmit"))
        sent = emitter.serverSideEmit(event, args);
    else
        return answer(false, QStringLiteral("unknown op \"%1\"").arg(op));
    // PUBLISH's own reply tells that Redis took it.
    if (!sent)
        return answer(false, QStringLiteral("Redis is unreachable"));
    client->publisher()->command({"PING"}, [](const Redis::Reply &reply) {
        answer(!reply.isError(), QString::fromUtf8(reply.string));
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString error;
    const auto endpoint =
        Redis::Endpoint::fromUrl(qEnvironmentVariable("REDIS_URL", QStringLiteral("redis://127.0.0.1:6379")), &error);
    if (!endpoint) {
        std::fprintf(stderr, "plugboard-redis-emitter: %s\n", qPrintable(error));
        return 2;
    }
    Redis::Client client(*endpoint);
    client.publisher()->open();
    // Lines are read once the connection is up, so the first command is not refused.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    input.setEnabled(false);
    QObject::connect(client.publisher(), &Redis::Connection::connected, &app, [&input] {
        input.setEnabled(true);
        std::printf("ready\n");
        std::fflush(stdout);
    });
    QByteArray buffer;
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char chunk[65536];
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n <= 0) {
            input.setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        buffer.append(chunk, n);
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(newline).trimmed();
            buffer.remove(0, newline + 1);
            if (!line.isEmpty())
                run(&client, line);
        }
    });
    return app.exec();
}
