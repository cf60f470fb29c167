// A Socket.IO server and a client of it in one Qt program, linked against the installed
// Plugboard libraries: the client says hello with an acknowledgement and the server answers.
// Exit 0 when the round trip completed, 1 (with the reason) otherwise.
#include <client/io.h>
#include <redis/redisadapter.h>
#include <sio/server.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <cstdio>

using namespace Plugboard;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Server io;
    QObject::connect(io.mainNamespace(), &Namespace::socketConnected, &io, [](Socket *socket) {
        socket->on(QStringLiteral("hello"), [](const QCborArray &args, const Ack &ack) {
            ack({QStringLiteral("hi ") + args.at(0).toString()});
        });
    });
    if (!io.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "consumer: cannot listen\n");
        return 1;
    }

    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(io.serverPort()));
    QObject clients; // owns the client's manager, so that it goes before the application
    Io::Socket *socket = Io::connect(url, {}, &clients);
    int status = 1;
    QObject::connect(socket, &Io::Socket::connected, socket, [socket, &status] {
        socket->timeout(5000)
            .emitWithAck(QStringLiteral("hello"), {QStringLiteral("consumer")})
            .then(socket, [&status](const AckResult &result) {
                const QString reply = result.args.at(0).toString();
                std::printf("consumer: %s\n", qPrintable(reply));
                status = reply == QLatin1String("hi consumer") ? 0 : 1;
                QCoreApplication::quit();
            });
    });
    // Linked from Plugboard::Redis, to show that its library resolves.
    if (Redis::randomId(8).size() != 8)
        return 1;
    QTimer::singleShot(10000, &app, [] {
        std::fprintf(stderr, "consumer: no acknowledgement within 10 s\n");
        QCoreApplication::quit();
    });
    app.exec();
    return status;
}
