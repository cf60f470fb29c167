#include <engine/engineserver.h>
#include <engine/enginesocket.h>
#include <http/httpserver.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Plugboard;

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port"), QStringLiteral("port"), QStringLiteral("3000"));
    parser.addOption(portOption);
    parser.process(app);

    HttpServer http;
    EngineOptions options;
    options.pingInterval = 300;
    options.pingTimeout = 200;
    options.cors = CorsOptions::allowAny();
    options.path = QStringLiteral("/engine.io/");
    EngineServer engine(options);
    engine.attach(&http);
    QObject::connect(&engine, &EngineServer::newConnection, &engine, [](EngineSocket *socket) {
        QObject::connect(socket, &EngineSocket::messageReceived, socket,
                         [socket](const QByteArray &data, bool binary) {
                             if (binary)
                                 socket->send(OutboundMessage::binary(data));
                             else
                                 socket->send(OutboundMessage(data));
                         });
    });
    if (!http.listen(QHostAddress::LocalHost, parser.value(portOption).toUShort())) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(http.errorString()));
        return 1;
    }
    std::printf("plugboard-testapp listening on 127.0.0.1:%u\n", http.serverPort());
    std::fflush(stdout);
    return app.exec();
}
