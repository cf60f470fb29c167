// A small chat server written against Plugboard's API (shown in the README).
// Clients: socket.emit("join", "lobby", ack); socket.emit("say", "lobby", "hi", ack).
#include <processtuning.h>
#include <sio/server.h>

#include <QtCore/QCoreApplication>

using namespace Plugboard;

int main(int argc, char **argv)
{
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    useServingEventDispatcherOnMainThread();
    QCoreApplication app(argc, argv);

    ServerOptions options;
    options.engine.cors = CorsOptions::allowAny();
    Server io(options);

    // Only clients that send a nickname may connect.
    io.use([](Socket *socket, const Namespace::Next &next) {
        const QString nick = socket->handshake().auth.value(QStringLiteral("nick")).toString();
        if (nick.isEmpty())
            return next(ConnectError{QStringLiteral("nickname required"), {}});
        socket->data().insert(QStringLiteral("nick"), nick);
        next(std::nullopt);
    });

    QObject::connect(io.mainNamespace(), &Namespace::socketConnected, &io, [](Socket *socket) {
        const QString nick = socket->data().value(QStringLiteral("nick")).toString();

        socket->on(QStringLiteral("join"), [socket, nick](const QCborArray &args, const Ack &ack) {
            const QString room = args.at(0).toString();
            socket->join(room);
            socket->to(room).emitEvent(QStringLiteral("joined"), {nick, room});
            ack({true});
        });
        socket->on(QStringLiteral("say"), [socket, nick](const QCborArray &args, const Ack &ack) {
            const QString room = args.at(0).toString();
            if (!socket->rooms().contains(room))
                return ack({false, QStringLiteral("not in room")});
            socket->nsp()->to(room).emitEvent(QStringLiteral("message"), {nick, args.at(1)});
            ack({true});
        });
        QObject::connect(socket, &Socket::disconnected, socket, [nick](const QString &reason) {
            qInfo("%s left (%s)", qPrintable(nick), qPrintable(reason));
        });
    });

    if (!io.listen(QHostAddress::LocalHost, 3000)) {
        qCritical("cannot listen: %s", qPrintable(io.errorString()));
        return 1;
    }
    return app.exec();
}
