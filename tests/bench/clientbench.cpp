// plugboard-client-bench: N Plugboard::Client sockets in one process against a server of the
// bench contract (tests/bench/node-server), measuring acked emits per second and connects per
// second. tests/bench/client.sh runs it beside the same load from socket.io-client in Node.
#include "client/engineclient.h"
#include "client/io.h"
#include "processtuning.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <cstdio>
#include <sys/resource.h>
#include <memory>
#include <vector>

using namespace Plugboard;

namespace {

struct Settings
{
    QUrl url;
    QString mode;
    int clients = 100;
    int inflight = 1;
    double seconds = 5;
    QStringList transports{QStringLiteral("websocket")};
};

Io::ManagerOptions managerOptions(const Settings &settings)
{
    Io::ManagerOptions options;
    options.engine.transports = settings.transports;
    options.reconnection = false;
    return options;
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The measured window: completions per second, and per second of this process's CPU time
// (steadier when the server, not the client, is the bottleneck).
struct Window
{
    bool measuring = false;
    qint64 count = 0;
    QElapsedTimer clock;
    double cpuAtStart = 0;

    void start()
    {
        measuring = true;
        count = 0;
        clock.start();
        cpuAtStart = cpuSeconds();
    }
};

void report(const Settings &settings, const char *metric, const Window &window)
{
    const double elapsed = double(window.clock.elapsed()) / 1000.0;
    const double cpu = cpuSeconds() - window.cpuAtStart;
    std::printf("{\"client\":\"plugboard\",\"mode\":\"%s\",\"transport\":\"%s\",\"clients\":%d,\"inflight\":%d,"
                "\"%s\":%.0f,\"per_client_cpu_s\":%.0f,\"client_cpu_pct\":%.0f}\n",
                qPrintable(settings.mode), qPrintable(settings.transports.join(QLatin1Char(','))), settings.clients,
                settings.inflight, metric, double(window.count) / elapsed, cpu > 0 ? double(window.count) / cpu : 0.0,
                100.0 * cpu / elapsed);
    std::fflush(stdout);
}

// Every client keeps `inflight` echo emits outstanding; each ack sends the next one.
int runAcks(const Settings &settings)
{
    std::vector<std::unique_ptr<Io::Manager>> managers;
    const QCborArray payload{QString(32, QLatin1Char('x'))};
    int connected = 0;
    Window window;
    std::function<void(Io::Socket *)> sendOne = [&](Io::Socket *socket) {
        socket->emitEvent(QStringLiteral("echo"), payload, [&, socket](const AckResult &result) {
            if (!result.ok)
                return;
            if (window.measuring)
                ++window.count;
            sendOne(socket);
        });
    };
    for (int i = 0; i < settings.clients; ++i) {
        managers.push_back(std::make_unique<Io::Manager>(settings.url, managerOptions(settings)));
        Io::Socket *socket = managers.back()->socket();
        QObject::connect(socket, &Io::Socket::connected, socket, [&, socket] {
            if (++connected < settings.clients)
                return;
            // All connected: start the load, then measure after a second of warm-up.
            for (const auto &manager : managers) {
                Io::Socket *s = manager->socket();
                for (int k = 0; k < settings.inflight; ++k)
                    sendOne(s);
            }
            QTimer::singleShot(1000, qApp, [&] {
                window.start();
                QTimer::singleShot(int(settings.seconds * 1000), qApp, [&] {
                    report(settings, "acks_per_s", window);
                    QCoreApplication::exit(0);
                });
            });
        });
        QObject::connect(socket, &Io::Socket::connectError, socket, [](const QString &message) {
            std::fprintf(stderr, "plugboard-client-bench: connect_error: %s\n", qPrintable(message));
            QCoreApplication::exit(1);
        });
    }
    const int code = QCoreApplication::exec();
    managers.clear();
    return code;
}

// `clients` connections at a time, each connected, then closed and replaced by a new one.
int runConnects(const Settings &settings)
{
    Window window;
    std::function<void()> startOne = [&] {
        auto *manager = new Io::Manager(settings.url, managerOptions(settings));
        Io::Socket *socket = manager->socket();
        QObject::connect(socket, &Io::Socket::connected, manager, [&, manager] {
            if (window.measuring)
                ++window.count;
            manager->close();
            manager->deleteLater();
            startOne();
        });
        QObject::connect(socket, &Io::Socket::connectError, manager, [manager, &startOne](const QString &message) {
            std::fprintf(stderr, "plugboard-client-bench: connect_error: %s\n", qPrintable(message));
            manager->deleteLater();
            startOne();
        });
    };
    for (int i = 0; i < settings.clients; ++i)
        startOne();
    QTimer::singleShot(1000, qApp, [&] {
        window.start();
        QTimer::singleShot(int(settings.seconds * 1000), qApp, [&] {
            report(settings, "connects_per_s", window);
            QCoreApplication::exit(0);
        });
    });
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    tuneProcessForServing();
    useServingEventDispatcherOnMainThread();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("Server URL."), QStringLiteral("url"),
                                       QStringLiteral("http://127.0.0.1:3000"));
    const QCommandLineOption modeOption(QStringLiteral("mode"), QStringLiteral("acks or connects."), QStringLiteral("mode"),
                                        QStringLiteral("acks"));
    const QCommandLineOption clientsOption(QStringLiteral("clients"), QStringLiteral("Sockets (acks) or concurrent connects."),
                                           QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption inflightOption(QStringLiteral("inflight"), QStringLiteral("Acked emits outstanding per socket."),
                                            QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Measured time."), QStringLiteral("s"),
                                           QStringLiteral("5"));
    const QCommandLineOption transportsOption(QStringLiteral("transports"), QStringLiteral("websocket, polling or polling,websocket."),
                                              QStringLiteral("list"), QStringLiteral("websocket"));
    parser.addOptions({urlOption, modeOption, clientsOption, inflightOption, secondsOption, transportsOption});
    parser.process(app);
    Settings settings;
    settings.url = QUrl(parser.value(urlOption));
    settings.mode = parser.value(modeOption);
    settings.clients = qMax(1, parser.value(clientsOption).toInt());
    settings.inflight = qMax(1, parser.value(inflightOption).toInt());
    settings.seconds = qMax(0.5, parser.value(secondsOption).toDouble());
    settings.transports = parser.value(transportsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (settings.mode == QLatin1String("acks"))
        return runAcks(settings);
    if (settings.mode == QLatin1String("connects"))
        return runConnects(settings);
    std::fprintf(stderr, "plugboard-client-bench: --mode is acks or connects\n");
    return 2;
}
