// plugboard: the Socket.IO server as a program. `--headless` runs it as a service (no display
// needed); the operator console is a separate program built on the same service library.

#include "commandline.h"
#include "logsink.h"
#include "service.h"
#include "servicelog.h"
#include "signalwatcher.h"

#include <processtuning.h>

#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Plugboard;

int main(int argc, char **argv)
{
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("plugboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PLUGBOARD_VERSION));

    CommandLine commandLine;
    commandLine.process(app);
    QString error;
    const std::optional<ServiceConfig> config = commandLine.config(&error);
    if (!config) {
        for (const QString &line : error.split(QLatin1Char('\n')))
            std::fprintf(stderr, "plugboard: %s\n", qPrintable(line));
        return 2;
    }
    if (commandLine.isCheckOnly()) {
        std::printf("plugboard: configuration OK\n");
        return 0;
    }
    LogSink::install(config->log);
    if (!commandLine.isHeadless())
        qCInfo(lcService) << "no console in this program; running headless";

    Service service(*config);
    if (!service.start(&error)) {
        qCCritical(lcService).noquote() << error;
        return 1;
    }
    if (config->api.keys.isEmpty())
        qCWarning(lcService) << "no API key configured: the HTTP API refuses every call";
    qCInfo(lcService).noquote() << QStringLiteral("plugboard %1 listening on %2:%3 (%4, Socket.IO at %5)")
                                       .arg(QCoreApplication::applicationVersion(), config->host.toString())
                                       .arg(service.port())
                                       .arg(config->tls.isEnabled() ? QStringLiteral("https") : QStringLiteral("http"),
                                            config->server.path);

    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, [&service](int number) {
        if (service.isStopping()) {
            qCInfo(lcService).noquote() << QStringLiteral("signal %1 again: stopping without waiting").arg(number);
            service.stopNow();
            return;
        }
        qCInfo(lcService).noquote() << QStringLiteral("signal %1: shutting down").arg(number);
        service.stop();
    });
    QObject::connect(&service, &Service::stopped, &app, [] {
        qCInfo(lcService) << "stopped";
        QCoreApplication::quit();
    });
    return app.exec();
}
