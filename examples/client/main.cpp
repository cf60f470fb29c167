// A Socket.IO client in a Qt program: connects to a server (Plugboard or Node's socket.io),
// says hello with an acknowledgement, prints the server's "chat" events and reconnects on its
// own when the connection is lost.  Usage: plugboard-example-client [URL]
#include <client/io.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>

using namespace Plugboard;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QUrl url(app.arguments().value(1, QStringLiteral("http://127.0.0.1:3000")));

    Io::ConnectOptions options;
    options.socket.auth = QCborMap{{QStringLiteral("token"), QStringLiteral("let-me-in")}};
    Io::Socket *socket = Io::connect(url, options);

    QObject::connect(socket, &Io::Socket::connected, socket, [socket] {
        qInfo() << "connected as" << socket->id();
        socket->timeout(5000).emitWithAck(QStringLiteral("hello"), {QStringLiteral("from Qt"), QByteArray("\x01\x02")})
            .then(socket, [](const AckResult &result) {
                if (result.ok)
                    qInfo() << "hello acknowledged:" << result.args.toCborValue().toDiagnosticNotation();
                else
                    qInfo() << "no acknowledgement:" << result.error;
            });
    });
    socket->on(QStringLiteral("chat"), [](const QCborArray &args, const Ack &ack) {
        qInfo() << "chat:" << args.toCborValue().toDiagnosticNotation();
        ack({QStringLiteral("thanks")}); // sent only if the server asked for it
    });
    QObject::connect(socket, &Io::Socket::disconnected, socket, [](const QString &reason) {
        qInfo() << "disconnected:" << reason;
    });
    return app.exec();
}
