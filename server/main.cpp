// plugboard: the Socket.IO server as a program. `--headless` runs it as a service; without it
// the operator console opens with the server inside (the console is not built yet, so the
// program says so and runs headless).

#include "service.h"
#include "signalwatcher.h"

#include <http/httpserver.h>
#include <logging.h>
#include <sio/server.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QTimer>

#include <cstdio>

using namespace Plugboard;

namespace {

using Settings = ServiceConfig;

bool parseInt(const QCommandLineParser &parser, const QCommandLineOption &option, int min, int max,
              int *out, QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("--%1: expected an integer from %2 to %3, got \"%4\"")
                     .arg(option.names().constFirst())
                     .arg(min)
                     .arg(max)
                     .arg(parser.value(option));
        return false;
    }
    *out = int(value);
    return true;
}

void logLine(const char *level, const QString &message)
{
    std::fprintf(stderr, "%s %s %s\n",
                 qPrintable(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)), level,
                 qPrintable(message));
    std::fflush(stderr);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1"); // Qt's own event dispatcher scales with many sockets
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("plugboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PLUGBOARD_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Plugboard: a Socket.IO v4 server."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run as a service, without the console."));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("address"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (default 3000)."), QStringLiteral("port"));
    const QCommandLineOption path(QStringLiteral("path"), QStringLiteral("Socket.IO path (default /socket.io/)."), QStringLiteral("path"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"), QStringLiteral("pingInterval in ms (default 25000)."), QStringLiteral("ms"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), QStringLiteral("pingTimeout in ms (default 20000)."), QStringLiteral("ms"));
    const QCommandLineOption maxBuffer(QStringLiteral("max-http-buffer-size"), QStringLiteral("maxHttpBufferSize in bytes (default 1000000)."), QStringLiteral("bytes"));
    const QCommandLineOption connectTimeout(QStringLiteral("connect-timeout"), QStringLiteral("connectTimeout in ms (default 45000)."), QStringLiteral("ms"));
    const QCommandLineOption corsOrigin(QStringLiteral("cors-origin"), QStringLiteral("Allowed CORS origin (\"*\" for any; repeatable)."), QStringLiteral("origin"));
    const QCommandLineOption recovery(QStringLiteral("recovery"), QStringLiteral("Enable connection-state recovery."));
    parser.addOptions({headless, host, port, path, pingInterval, pingTimeout, maxBuffer, connectTimeout, corsOrigin, recovery});
    parser.process(app);

    Settings settings;
    QString error;
    if (parser.isSet(host) && !settings.host.setAddress(parser.value(host)))
        error = QStringLiteral("--host: \"%1\" is not an IP address").arg(parser.value(host));
    int value = settings.port;
    if (error.isEmpty() && parseInt(parser, port, 0, 65535, &value, &error))
        settings.port = quint16(value);
    EngineOptions &engine = settings.server.engine;
    if (error.isEmpty())
        parseInt(parser, pingInterval, 1, 3600000, &engine.pingInterval, &error);
    if (error.isEmpty())
        parseInt(parser, pingTimeout, 1, 3600000, &engine.pingTimeout, &error);
    int bufferSize = int(engine.maxHttpBufferSize);
    if (error.isEmpty() && parseInt(parser, maxBuffer, 1, 1 << 30, &bufferSize, &error))
        engine.maxHttpBufferSize = bufferSize;
    if (error.isEmpty())
        parseInt(parser, connectTimeout, 1, 3600000, &settings.server.connectTimeout, &error);
    if (error.isEmpty() && parser.isSet(path)) {
        if (!parser.value(path).startsWith(QLatin1Char('/')))
            error = QStringLiteral("--path: must start with '/'");
        else
            settings.server.path = parser.value(path);
    }
    if (!error.isEmpty()) {
        std::fprintf(stderr, "plugboard: %s\n", qPrintable(error));
        return 2;
    }
    if (parser.isSet(corsOrigin)) {
        const QStringList origins = parser.values(corsOrigin);
        CorsOptions cors;
        if (origins.contains(QStringLiteral("*"))) {
            cors.mode = CorsOptions::OriginMode::Any;
        } else {
            cors.mode = CorsOptions::OriginMode::List;
            cors.allowedOrigins = origins;
        }
        engine.cors = cors;
    }
    settings.server.connectionStateRecovery.enabled = parser.isSet(recovery);

    if (!parser.isSet(headless))
        logLine("INFO", QStringLiteral("the operator console is not built yet; running headless"));

    Service service(settings);
    QString startError;
    if (!service.start(&startError)) {
        logLine("ERROR", startError);
        return 1;
    }
    logLine("INFO", QStringLiteral("plugboard %1 listening on %2:%3 (Socket.IO at %4)")
                        .arg(QCoreApplication::applicationVersion(), settings.host.toString())
                        .arg(service.port())
                        .arg(settings.server.path));

    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, [&](int number) {
        logLine("INFO", QStringLiteral("signal %1: shutting down").arg(number));
        service.stop();
    });
    QObject::connect(&service, &Service::stopped, &app, &QCoreApplication::quit);
    return app.exec();
}
