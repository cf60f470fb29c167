// The conformance test app: the fixed application that the official Engine.IO / Socket.IO
// suites and the scenario suite run against (docs: test-app-contract.md).

#include <processtuning.h>
#include <engine/engineserver.h>
#include <engine/enginesocket.h>
#include <engine/wsengine.h>
#include <http/httpserver.h>
#include <sio/client.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <algorithm>
#include <cstdio>

using namespace Plugboard;

namespace {

QCborArray sortedRooms(const Socket *socket)
{
    QStringList rooms = socket->rooms().values();
    std::sort(rooms.begin(), rooms.end());
    QCborArray out;
    for (const QString &room : rooms)
        out.append(room);
    return out;
}

QStringList roomList(const QCborValue &value)
{
    QStringList rooms;
    if (value.isArray()) {
        for (const QCborValue &room : value.toArray())
            rooms.append(room.toString());
    } else {
        rooms.append(value.toString());
    }
    return rooms;
}

void setUpSocket(Socket *socket)
{
    Namespace *nsp = socket->nsp();
    socket->emitEvent(QStringLiteral("auth"), {socket->handshake().auth});

    socket->on(QStringLiteral("message"), [socket](const QCborArray &args, const Ack &) {
        socket->emitEvent(QStringLiteral("message-back"), args);
    });
    socket->on(QStringLiteral("message-with-ack"), [](const QCborArray &args, const Ack &ack) { ack(args); });
    socket->on(QStringLiteral("whoami"), [socket](const QCborArray &, const Ack &ack) {
        QCborMap info;
        info.insert(QStringLiteral("nsp"), socket->nsp()->name());
        info.insert(QStringLiteral("id"), socket->id());
        info.insert(QStringLiteral("engineId"), socket->client()->id());
        info.insert(QStringLiteral("transport"), socket->transportName());
        info.insert(QStringLiteral("auth"), socket->handshake().auth);
        info.insert(QStringLiteral("query"), socket->handshake().query);
        info.insert(QStringLiteral("rooms"), sortedRooms(socket));
        info.insert(QStringLiteral("recovered"), socket->isRecovered());
        ack({info});
    });
    socket->on(QStringLiteral("join"), [socket](const QCborArray &args, const Ack &ack) {
        const QStringList rooms = roomList(args.at(0));
        socket->join(QSet<QString>(rooms.cbegin(), rooms.cend()));
        ack(QCborArray{QCborValue(sortedRooms(socket))});
    });
    socket->on(QStringLiteral("leave"), [socket](const QCborArray &args, const Ack &ack) {
        socket->leave(args.at(0).toString());
        ack(QCborArray{QCborValue(sortedRooms(socket))});
    });
    const auto roomEvent = [socket](const QCborArray &args, bool includeSender) {
        QCborMap event;
        const QStringList rooms = roomList(args.at(0));
        event.insert(QStringLiteral("room"), args.at(0));
        event.insert(QStringLiteral("from"), socket->id());
        event.insert(QStringLiteral("payload"), args.at(1));
        BroadcastOperator op = includeSender ? socket->nsp()->to(rooms) : socket->to(rooms);
        op.emitEvent(QStringLiteral("room-event"), {event});
    };
    socket->on(QStringLiteral("room-emit"), [roomEvent](const QCborArray &args, const Ack &ack) {
        roomEvent(args, true);
        ack({QStringLiteral("ok")});
    });
    socket->on(QStringLiteral("room-broadcast"), [roomEvent](const QCborArray &args, const Ack &ack) {
        roomEvent(args, false);
        ack({QStringLiteral("ok")});
    });
    socket->on(QStringLiteral("broadcast"), [socket](const QCborArray &args, const Ack &ack) {
        QCborMap event;
        event.insert(QStringLiteral("from"), socket->id());
        event.insert(QStringLiteral("payload"), args.at(0));
        socket->broadcast().emitEvent(QStringLiteral("broadcast-event"), {event});
        ack({QStringLiteral("ok")});
    });
    socket->on(QStringLiteral("ask"), [socket](const QCborArray &args, const Ack &ack) {
        socket->emitWithAck(QStringLiteral("question"), {args.at(0)}, 500, [ack](const AckResult &result) {
            QCborMap reply;
            reply.insert(QStringLiteral("ok"), result.ok);
            if (result.ok)
                reply.insert(QStringLiteral("answer"), result.args.at(0));
            else
                reply.insert(QStringLiteral("error"), QStringLiteral("timeout"));
            ack({reply});
        });
    });
    socket->on(QStringLiteral("disconnect-me"), [socket](const QCborArray &, const Ack &) { socket->disconnect(); });
    socket->on(QStringLiteral("drop-transport"), [socket](const QCborArray &, const Ack &) { socket->client()->close(); });
    socket->on(QStringLiteral("volatile-burst"), [socket](const QCborArray &args, const Ack &) {
        const qint64 count = std::clamp<qint64>(args.at(0).toInteger(), 0, 100000);
        for (qint64 i = 0; i < count; ++i)
            socket->emitVolatile(QStringLiteral("volatile-tick"), {i});
        socket->emitEvent(QStringLiteral("volatile-done"), {count});
    });
    QObject::connect(socket, &Socket::disconnected, nsp, [nsp, id = socket->id()](const QString &reason) {
        QCborMap event;
        event.insert(QStringLiteral("id"), id);
        event.insert(QStringLiteral("reason"), reason);
        nsp->to(QStringLiteral("observers")).emitEvent(QStringLiteral("peer-disconnect"), {event});
    });
}

void setUpServer(Server *io)
{
    for (const QString &name : {QStringLiteral("/"), QStringLiteral("/custom"), QStringLiteral("/private")}) {
        Namespace *nsp = io->of(name);
        QObject::connect(nsp, &Namespace::socketConnected, nsp, &setUpSocket);
    }
    io->of(QStringLiteral("/private"))->use([](Socket *socket, const Namespace::Next &next) {
        if (socket->handshake().auth.value(QStringLiteral("token")).toString() == QLatin1String("let-me-in")) {
            next(std::nullopt);
            return;
        }
        QCborMap data;
        data.insert(QStringLiteral("code"), QStringLiteral("E_AUTH"));
        data.insert(QStringLiteral("reason"), QStringLiteral("auth.token must be \"let-me-in\""));
        next(ConnectError{QStringLiteral("not authorized"), data});
    });
}

// What the command line and PLUGBOARD_WS_ENGINE change in the contract's options.
struct Variant
{
    SocketIO::Parser parser = SocketIO::Parser::Default;
    bool allowEIO3 = false;
    EngineOptions::WebSocketEngine wsEngine = EngineOptions::WebSocketEngine::Qt;
    bool perMessageDeflate = false;
    int pingInterval = 300;
    int pingTimeout = 200;
};

ServerOptions contractOptions(bool recovery, const Variant &variant)
{
    ServerOptions options;
    options.parser = variant.parser;
    options.engine.allowEIO3 = variant.allowEIO3;
    options.engine.wsEngine = variant.wsEngine;
    options.engine.perMessageDeflate.enabled = variant.perMessageDeflate;
    options.connectTimeout = 1000;
    options.engine.pingInterval = variant.pingInterval;
    options.engine.pingTimeout = variant.pingTimeout;
    options.engine.maxHttpBufferSize = 1000000;
    options.engine.cors = CorsOptions::allowAny();
    options.connectionStateRecovery.enabled = recovery;
    return options;
}

void attachRawEcho(EngineServer *engine)
{
    QObject::connect(engine, &EngineServer::newConnection, engine, [](EngineSocket *socket) {
        QObject::connect(socket, &EngineSocket::messageReceived, socket,
                         [socket](const QByteArray &data, bool binary) {
                             socket->send(binary ? OutboundMessage::binary(data) : OutboundMessage(data));
                         });
    });
}

} // namespace

int main(int argc, char **argv)
{
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    useServingEventDispatcherOnMainThread();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("plugboard-testapp"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Plugboard conformance test app"));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption recoveryOption(QStringLiteral("recovery-port"),
                                            QStringLiteral("Port of the instance with connection-state recovery."),
                                            QStringLiteral("port"));
    const QCommandLineOption parserOption(QStringLiteral("parser"),
                                          QStringLiteral("Packet format: default or msgpack."),
                                          QStringLiteral("name"), QStringLiteral("default"));
    parser.addOption(portOption);
    parser.addOption(recoveryOption);
    const QCommandLineOption eio3Option(QStringLiteral("allow-eio3"),
                                        QStringLiteral("Accept Engine.IO v3 / Socket.IO v2 clients."));
    const QCommandLineOption deflateOption(QStringLiteral("per-message-deflate"),
                                           QStringLiteral("Offer permessage-deflate (native WebSocket engine)."));
    parser.addOption(parserOption);
    parser.addOption(eio3Option);
    parser.addOption(deflateOption);
    // The contract's heartbeat is tight on purpose; load tests with many clients relax it.
    const QCommandLineOption pingIntervalOption(QStringLiteral("ping-interval"), QStringLiteral("pingInterval in ms (300)."),
                                                QStringLiteral("ms"), QStringLiteral("300"));
    const QCommandLineOption pingTimeoutOption(QStringLiteral("ping-timeout"), QStringLiteral("pingTimeout in ms (200)."),
                                               QStringLiteral("ms"), QStringLiteral("200"));
    parser.addOption(pingIntervalOption);
    parser.addOption(pingTimeoutOption);
    parser.process(app);
    Variant variant;
    variant.allowEIO3 = parser.isSet(eio3Option);
    variant.perMessageDeflate = parser.isSet(deflateOption);
    variant.pingInterval = parser.value(pingIntervalOption).toInt();
    variant.pingTimeout = parser.value(pingTimeoutOption).toInt();
    if (variant.pingInterval <= 0 || variant.pingTimeout <= 0) {
        std::fprintf(stderr, "plugboard-testapp: --ping-interval and --ping-timeout need milliseconds > 0\n");
        return 2;
    }
    if (!readWebSocketEngineFromEnvironment(&variant.wsEngine, "plugboard-testapp"))
        return 2;

    if (parser.value(parserOption) == QLatin1String("msgpack")) {
        variant.parser = SocketIO::Parser::Msgpack;
    } else if (parser.value(parserOption) != QLatin1String("default")) {
        std::fprintf(stderr, "plugboard-testapp: --parser must be default or msgpack\n");
        return 2;
    }

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "plugboard-testapp: invalid --port\n");
        return 2;
    }

    HttpServer http;
    Server io(contractOptions(false, variant));
    io.attach(&http);
    setUpServer(&io);
    EngineOptions rawOptions = contractOptions(false, variant).engine;
    rawOptions.path = QStringLiteral("/engine.io/");
    EngineServer raw(rawOptions);
    raw.attach(&http);
    attachRawEcho(&raw);
    if (!http.listen(QHostAddress::LocalHost, quint16(port))) {
        std::fprintf(stderr, "plugboard-testapp: cannot listen on 127.0.0.1:%u: %s\n", port,
                     qPrintable(http.errorString()));
        return 1;
    }
    std::printf("plugboard-testapp listening on 127.0.0.1:%u\n", http.serverPort());

    std::unique_ptr<Server> recovery;
    if (parser.isSet(recoveryOption)) {
        const uint recoveryPort = parser.value(recoveryOption).toUInt(&ok);
        recovery = std::make_unique<Server>(contractOptions(true, variant));
        setUpServer(recovery.get());
        if (!ok || recoveryPort > 65535 || !recovery->listen(QHostAddress::LocalHost, quint16(recoveryPort))) {
            std::fprintf(stderr, "plugboard-testapp: cannot listen on recovery port\n");
            return 1;
        }
        std::printf("plugboard-testapp recovery listening on 127.0.0.1:%u\n", recovery->serverPort());
    }
    std::fflush(stdout);
    return app.exec();
}
