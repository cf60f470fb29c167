// plugboard-featureapp: the API surface the conformance app does not cover, driven by
// tests/e2e/features-*.test.js. Dynamic namespaces (regex and predicate), namespace
// middlewares refusing with message + data, socket.use, onAny / onAnyOutgoing, broadcasts
// with acknowledgements, fetchSockets / socketsJoin / socketsLeave / disconnectSockets,
// parent-namespace emits, socket.data, server->client acks with timeout, volatile emits,
// compress(false).
//
// Every request is a small event answered through its ack. Selectors are maps
// {room?, except?} turned into a BroadcastOperator of the socket's namespace.
//
//     plugboard-featureapp --port 0 [--recovery-port 0] [--per-message-deflate]
//
// prints `plugboard-testapp listening on 127.0.0.1:<port>` (the readiness line of
// tests/e2e/lib/server.js); with --recovery-port a second instance with
// cleanupEmptyChildNamespaces on prints `plugboard-testapp recovery listening on ...`.

#include <engine/wsengine.h>
#include <sio/client.h>
#include <sio/namespace.h>
#include <sio/parentnamespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <processtuning.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace Plugboard;

namespace {

// One acknowledgement argument. (`ack({array})` would copy the array: its items would become
// the arguments.)
QCborArray single(const QCborValue &value)
{
    QCborArray args;
    args.append(value);
    return args;
}

QCborArray sortedArray(QStringList list)
{
    std::sort(list.begin(), list.end());
    QCborArray out;
    for (const QString &item : std::as_const(list))
        out.append(item);
    return out;
}

QCborArray sortedRooms(const Socket *socket)
{
    return sortedArray(socket->rooms().values());
}

QStringList stringList(const QCborValue &value)
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

// {room?: string|string[], except?: string|string[]} -> the namespace's operator.
BroadcastOperator selector(Namespace *nsp, const QCborMap &request)
{
    BroadcastOperator op = nsp->all();
    const QStringList rooms = stringList(request.value(QStringLiteral("room")));
    if (!rooms.isEmpty())
        op = op.to(rooms);
    const QStringList except = stringList(request.value(QStringLiteral("except")));
    if (!except.isEmpty())
        op = op.except(except);
    return op;
}

QCborMap describe(const Socket *socket)
{
    QCborMap info;
    info.insert(QStringLiteral("id"), socket->id());
    info.insert(QStringLiteral("nsp"), socket->nsp()->name());
    info.insert(QStringLiteral("data"), socket->data());
    info.insert(QStringLiteral("rooms"), sortedRooms(socket));
    return info;
}

QCborArray describeAll(QList<RemoteSocket> sockets, const QString &nsp)
{
    std::sort(sockets.begin(), sockets.end(),
              [](const RemoteSocket &a, const RemoteSocket &b) { return a.id() < b.id(); });
    QCborArray out;
    for (const RemoteSocket &socket : std::as_const(sockets)) {
        QCborMap info;
        info.insert(QStringLiteral("id"), socket.id());
        info.insert(QStringLiteral("nsp"), nsp);
        info.insert(QStringLiteral("data"), socket.data());
        info.insert(QStringLiteral("rooms"), sortedArray(socket.rooms()));
        out.append(info);
    }
    return out;
}

struct App
{
    Server *io = nullptr;
    ParentNamespace *regexParent = nullptr;
    ParentNamespace *predicateParent = nullptr;

    void observersEmit(const QString &event, const QCborValue &payload) const
    {
        io->mainNamespace()->to(QStringLiteral("observers")).emitEvent(event, {payload});
    }
};

void setUpSocket(const App &app, Socket *socket)
{
    Namespace *nsp = socket->nsp();
    auto incoming = std::make_shared<QCborArray>();
    auto outgoing = std::make_shared<QCborArray>();

    socket->onAny([incoming](const QString &event, const QCborArray &) { incoming->append(event); });
    socket->onAnyOutgoing([outgoing](const QString &event, const QCborArray &) { outgoing->append(event); });
    // Node: socket.use((packet, next) => ...); refused events reach socket.on("error").
    socket->use([](const QString &event, QCborArray &args) -> std::optional<QString> {
        if (event == QLatin1String("forbidden"))
            return QStringLiteral("event refused by socket.use");
        if (event == QLatin1String("shout")) {
            for (qsizetype i = 0; i < args.size(); ++i) {
                if (args.at(i).isString())
                    args[i] = args.at(i).toString().toUpper();
            }
        }
        return std::nullopt;
    });
    QObject::connect(socket, &Socket::errorOccurred, socket, [socket](const QString &message) {
        socket->emitEvent(QStringLiteral("use-error"), {message});
    });

    socket->on(QStringLiteral("echo"), [](const QCborArray &args, const Ack &ack) { ack(args); });
    socket->on(QStringLiteral("shout"), [](const QCborArray &args, const Ack &ack) { ack(args); });
    socket->on(QStringLiteral("forbidden"), [](const QCborArray &, const Ack &ack) {
        ack({QStringLiteral("the handler ran")});
    });
    socket->on(QStringLiteral("any-log"), [incoming](const QCborArray &, const Ack &ack) { ack(single(*incoming)); });
    socket->on(QStringLiteral("outgoing-log"), [outgoing](const QCborArray &, const Ack &ack) { ack(single(*outgoing)); });
    socket->on(QStringLiteral("emit-to-me"), [socket](const QCborArray &args, const Ack &ack) {
        for (const QCborValue &event : args.at(0).toArray())
            socket->emitEvent(event.toString(), {QStringLiteral("payload")});
        ack({true});
    });
    socket->on(QStringLiteral("whoami"), [socket](const QCborArray &, const Ack &ack) {
        QCborMap info = describe(socket);
        info.insert(QStringLiteral("engineId"), socket->client()->id());
        info.insert(QStringLiteral("transport"), socket->transportName());
        info.insert(QStringLiteral("auth"), socket->handshake().auth);
        ack({info});
    });
    socket->on(QStringLiteral("set-data"), [socket](const QCborArray &args, const Ack &ack) {
        const QCborMap patch = args.at(0).toMap();
        for (auto it = patch.cbegin(); it != patch.cend(); ++it)
            socket->data().insert(it.key(), it.value());
        ack({socket->data()});
    });
    socket->on(QStringLiteral("join"), [socket](const QCborArray &args, const Ack &ack) {
        const QStringList rooms = stringList(args.at(0));
        socket->join(QSet<QString>(rooms.cbegin(), rooms.cend()));
        ack(single(sortedRooms(socket)));
    });
    socket->on(QStringLiteral("leave"), [socket](const QCborArray &args, const Ack &ack) {
        socket->leave(args.at(0).toString());
        ack(single(sortedRooms(socket)));
    });

    // Node: io.of(nsp).to(room).except(x).timeout(ms).emit("ack-request", payload, (err, responses) => ...)
    socket->on(QStringLiteral("do-broadcast-with-ack"), [nsp](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        BroadcastOperator op = selector(nsp, request);
        const qint64 timeout = request.value(QStringLiteral("timeout")).toInteger(-1);
        if (timeout > 0)
            op = op.timeout(int(timeout));
        op.emitWithAck(QStringLiteral("ack-request"), {request.value(QStringLiteral("payload"))},
                       [ack](const BroadcastAckResult &result) {
                           QList<AckResponse> responses = result.responses;
                           std::sort(responses.begin(), responses.end(),
                                     [](const AckResponse &a, const AckResponse &b) { return a.socketId < b.socketId; });
                           QCborArray replies;
                           for (const AckResponse &response : std::as_const(responses)) {
                               QCborMap reply;
                               reply.insert(QStringLiteral("id"), response.socketId);
                               reply.insert(QStringLiteral("args"), response.args);
                               replies.append(reply);
                           }
                           QCborMap out;
                           out.insert(QStringLiteral("ok"), result.ok);
                           if (!result.ok)
                               out.insert(QStringLiteral("error"), result.error);
                           out.insert(QStringLiteral("responses"), replies);
                           ack({out});
                       });
    });
    socket->on(QStringLiteral("fetch"), [nsp](const QCborArray &args, const Ack &ack) {
        selector(nsp, args.at(0).toMap()).fetchSockets([ack, name = nsp->name()](const FetchSocketsResult &result) {
            ack(single(describeAll(result.sockets, name)));
        });
    });
    socket->on(QStringLiteral("make-join"), [nsp](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        const BroadcastOperator op = selector(nsp, request);
        const qsizetype count = op.localSockets().size();
        op.socketsJoin(stringList(request.value(QStringLiteral("rooms"))));
        ack({qint64(count)});
    });
    socket->on(QStringLiteral("make-leave"), [nsp](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        const BroadcastOperator op = selector(nsp, request);
        const qsizetype count = op.localSockets().size();
        op.socketsLeave(stringList(request.value(QStringLiteral("rooms"))));
        ack({qint64(count)});
    });
    // The ack goes out first, so the requester gets it even when it is among the targets.
    socket->on(QStringLiteral("make-disconnect"), [nsp](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        const BroadcastOperator op = selector(nsp, request);
        ack({qint64(op.localSockets().size())});
        op.disconnectSockets(request.value(QStringLiteral("close")).toBool());
    });
    // Node: socket.timeout(ms).emit(event, ...args, (err, ...reply) => ...)
    socket->on(QStringLiteral("ask"), [socket](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        socket->emitWithAck(request.value(QStringLiteral("event")).toString(),
                            request.value(QStringLiteral("args")).toArray(),
                            int(request.value(QStringLiteral("timeout")).toInteger(1000)),
                            [ack](const AckResult &result) {
                                QCborMap out;
                                out.insert(QStringLiteral("ok"), result.ok);
                                if (!result.ok)
                                    out.insert(QStringLiteral("error"), result.error);
                                out.insert(QStringLiteral("args"), result.args);
                                ack({out});
                            });
    });
    socket->on(QStringLiteral("volatile-burst"), [socket](const QCborArray &args, const Ack &ack) {
        const qint64 count = std::clamp<qint64>(args.at(0).toInteger(), 0, 100000);
        const QByteArray filler(qsizetype(args.at(1).toInteger(0)), 'x');
        for (qint64 i = 0; i < count; ++i)
            socket->emitVolatile(QStringLiteral("v-tick"), {i, QString::fromLatin1(filler)});
        socket->emitEvent(QStringLiteral("v-done"), {count});
        ack({qint64(count)});
    });
    // Node: io.of(/regex/).emit(...) reaches every child namespace.
    socket->on(QStringLiteral("parent-emit"), [app](const QCborArray &args, const Ack &ack) {
        const QCborMap request = args.at(0).toMap();
        ParentNamespace *parent = request.value(QStringLiteral("parent")).toString() == QLatin1String("predicate")
                                ? app.predicateParent : app.regexParent;
        const QString event = request.value(QStringLiteral("event")).toString();
        const QCborValue payload = request.value(QStringLiteral("payload"));
        const QStringList rooms = stringList(request.value(QStringLiteral("room")));
        if (rooms.isEmpty())
            parent->emitEvent(event, {payload});
        else
            parent->to(rooms).emitEvent(event, {payload});
        QStringList children;
        for (const Namespace *child : parent->children())
            children.append(child->name());
        ack(single(sortedArray(children)));
    });
    socket->on(QStringLiteral("namespaces"), [app](const QCborArray &, const Ack &ack) {
        QStringList names;
        for (const Namespace *ns : app.io->namespaces())
            names.append(ns->name());
        ack(single(sortedArray(names)));
    });
    socket->on(QStringLiteral("disconnect-me"), [socket](const QCborArray &args, const Ack &) {
        socket->disconnect(args.at(0).toBool());
    });
    // [size, compress, broadcast?]: an event "big" carrying `size` characters, sent with
    // compress(flag) to this socket or, broadcast, to its whole namespace.
    socket->on(QStringLiteral("emit-big"), [socket, nsp](const QCborArray &args, const Ack &ack) {
        const qsizetype size = std::clamp<qsizetype>(args.at(0).toInteger(), 0, 1 << 20);
        const bool compress = args.at(1).toBool(true);
        const QCborArray big{QString(size, u'x')};
        if (args.at(2).toBool(false))
            nsp->compress(compress).emitEvent(QStringLiteral("big"), big);
        else
            socket->compress(compress).emitEvent(QStringLiteral("big"), big);
        ack({true});
    });
    socket->on(QStringLiteral("drop-transport"), [socket](const QCborArray &, const Ack &) { socket->client()->close(); });

    QObject::connect(socket, &Socket::disconnected, app.io,
                     [app, nspName = nsp->name(), id = socket->id()](const QString &reason) {
                         QCborMap event;
                         event.insert(QStringLiteral("nsp"), nspName);
                         event.insert(QStringLiteral("id"), id);
                         event.insert(QStringLiteral("reason"), reason);
                         app.observersEmit(QStringLiteral("peer-disconnect"), event);
                     });
}

std::unique_ptr<Server> makeServer(bool cleanupChildren, EngineOptions::WebSocketEngine wsEngine, bool perMessageDeflate)
{
    ServerOptions options;
    options.engine.wsEngine = wsEngine;
    options.engine.perMessageDeflate.enabled = perMessageDeflate;
    options.connectTimeout = 2000;
    options.engine.pingInterval = 500;
    options.engine.pingTimeout = 400;
    options.engine.cors = CorsOptions::allowAny();
    options.cleanupEmptyChildNamespaces = cleanupChildren;
    auto io = std::make_unique<Server>(options);
    App app;
    app.io = io.get();

    // socket.data set by a middleware, visible through fetchSockets.
    io->use([](Socket *socket, const Namespace::Next &next) {
        const QString user = socket->handshake().auth.value(QStringLiteral("user")).toString();
        socket->data().insert(QStringLiteral("user"), user.isEmpty() ? QStringLiteral("anon") : user);
        socket->data().insert(QStringLiteral("via"), QStringLiteral("middleware"));
        next(std::nullopt);
    });

    // Refuses unless auth.token is "ok", with auth.message (default "not allowed") and,
    // when auth has a "data" key, that value as the error's data. A second, asynchronous
    // middleware runs only for admitted sockets.
    Namespace *mw = io->of(QStringLiteral("/mw"));
    mw->use([](Socket *socket, const Namespace::Next &next) {
        const QCborMap &auth = socket->handshake().auth;
        if (auth.value(QStringLiteral("token")).toString() == QLatin1String("ok"))
            return next(std::nullopt);
        ConnectError error{auth.value(QStringLiteral("message")).toString(), QCborValue(QCborValue::Undefined)};
        if (error.message.isEmpty())
            error.message = QStringLiteral("not allowed");
        if (auth.contains(QStringLiteral("data")))
            error.data = auth.value(QStringLiteral("data"));
        next(error);
    });
    mw->use([](Socket *socket, const Namespace::Next &next) {
        QTimer::singleShot(0, socket, [socket, next] {
            socket->data().insert(QStringLiteral("checked"), true);
            next(std::nullopt);
        });
    });

    app.regexParent = io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    app.regexParent->use([](Socket *socket, const Namespace::Next &next) {
        socket->data().insert(QStringLiteral("parent"), QStringLiteral("regex"));
        next(std::nullopt);
    });
    // Node: io.of((name, auth, next) => next(null, name.startsWith("/org-") && auth.org === name.slice(5)))
    app.predicateParent = io->of([](const QString &name, const QCborMap &auth) {
        return name.startsWith(QLatin1String("/org-"))
            && auth.value(QStringLiteral("org")).toString() == name.mid(5);
    });
    app.predicateParent->use([](Socket *socket, const Namespace::Next &next) {
        socket->data().insert(QStringLiteral("parent"), QStringLiteral("predicate"));
        next(std::nullopt);
    });

    for (Namespace *nsp : {io->mainNamespace(), mw, static_cast<Namespace *>(app.regexParent),
                           static_cast<Namespace *>(app.predicateParent)}) {
        QObject::connect(nsp, &Namespace::socketConnected, io.get(), [app](Socket *socket) { setUpSocket(app, socket); });
    }
    QObject::connect(io.get(), &Server::namespaceCreated, io.get(), [app](Namespace *nsp) {
        app.observersEmit(QStringLiteral("namespace-created"), nsp->name());
    });
    QObject::connect(io.get(), &Server::namespaceRemoved, io.get(), [app](const QString &name) {
        app.observersEmit(QStringLiteral("namespace-removed"), name);
    });
    return io;
}

} // namespace

int main(int argc, char **argv)
{
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    useServingEventDispatcherOnMainThread();
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("plugboard-featureapp"));
    auto wsEngine = EngineOptions::WebSocketEngine::Qt;
    if (!readWebSocketEngineFromEnvironment(&wsEngine, "plugboard-featureapp"))
        return 2;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Plugboard feature test app"));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption secondOption(QStringLiteral("recovery-port"),
                                          QStringLiteral("Port of the second instance (cleanupEmptyChildNamespaces on)."),
                                          QStringLiteral("port"));
    const QCommandLineOption deflateOption(QStringLiteral("per-message-deflate"),
                                           QStringLiteral("Offer permessage-deflate (native WebSocket engine)."));
    parser.addOption(portOption);
    parser.addOption(secondOption);
    parser.addOption(deflateOption);
    parser.process(application);
    const bool perMessageDeflate = parser.isSet(deflateOption);

    const auto parsePort = [](const QString &text, quint16 *port) {
        bool ok = false;
        const uint value = text.toUInt(&ok);
        *port = quint16(value);
        return ok && value <= 65535;
    };
    quint16 port = 0;
    if (!parsePort(parser.value(portOption), &port)) {
        std::fprintf(stderr, "plugboard-featureapp: invalid --port\n");
        return 2;
    }
    std::unique_ptr<Server> io = makeServer(false, wsEngine, perMessageDeflate);
    if (!io->listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "plugboard-featureapp: cannot listen on 127.0.0.1:%u: %s\n", unsigned(port),
                     qPrintable(io->errorString()));
        return 1;
    }
    std::printf("plugboard-testapp listening on 127.0.0.1:%u\n", unsigned(io->serverPort()));

    std::unique_ptr<Server> second;
    if (parser.isSet(secondOption)) {
        quint16 secondPort = 0;
        if (!parsePort(parser.value(secondOption), &secondPort)) {
            std::fprintf(stderr, "plugboard-featureapp: invalid --recovery-port\n");
            return 2;
        }
        second = makeServer(true, wsEngine, perMessageDeflate);
        if (!second->listen(QHostAddress::LocalHost, secondPort)) {
            std::fprintf(stderr, "plugboard-featureapp: cannot listen on the second port\n");
            return 1;
        }
        std::printf("plugboard-testapp recovery listening on 127.0.0.1:%u\n", unsigned(second->serverPort()));
    }
    std::fflush(stdout);
    return application.exec();
}
