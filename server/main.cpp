// plugboard: the Socket.IO server as a program. `--headless` runs it as a service (no display
// needed); without it the operator console opens with the server inside, when there is a display.

#include "commandline.h"
#include "hashpasswordcommand.h"
#include "logsink.h"
#include "service.h"
#include "servicelog.h"
#include "signalwatcher.h"
#include "systemdnotifier.h"

#include <processtuning.h>

#ifdef PLUGBOARD_HAS_GUI
#include <console.h>

#include <QtWidgets/QApplication>
#endif

#include <QtCore/QCoreApplication>

#include <cstdio>
#include <cstring>
#include <initializer_list>

using namespace Plugboard;

namespace {

bool hasArgument(int argc, char **argv, std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (std::strcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

bool displayAvailable()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

#ifdef PLUGBOARD_HAS_GUI
// The console: the same options and configuration, the server in a worker thread.
int runConsoleProgram(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Plugboard"));
    QApplication::setApplicationName(QStringLiteral("plugboard"));
    QApplication::setApplicationVersion(QStringLiteral(PLUGBOARD_VERSION));
    CommandLine commandLine;
    commandLine.process(app);
    QString error;
    const std::optional<ServiceConfig> config = commandLine.config(&error);
    if (!config) {
        for (const QString &line : error.split(QLatin1Char('\n')))
            std::fprintf(stderr, "plugboard: %s\n", qPrintable(line));
        return 2;
    }
    if (const QString attach = commandLine.attachUrl(); !attach.isEmpty()) {
        const AttachProfile profile = AttachProfile::fromUrl(QUrl(attach), &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "plugboard: --attach %s: %s\n", qPrintable(attach), qPrintable(error));
            return 2;
        }
        return runAttachedConsole(app, profile);
    }
    return runConsole(app, *config);
}
#endif

} // namespace

int main(int argc, char **argv)
{
    if (hasArgument(argc, argv, {"--hash-password"}))
        return runHashPasswordCommand();
    tuneProcessForServing(); // before QCoreApplication: event dispatcher, malloc
    const bool wantsConsole = !hasArgument(argc, argv, {"--headless", "--check-config", "--help", "-h",
                                                        "--help-all", "--version", "-v"});
    if (wantsConsole) {
#ifdef PLUGBOARD_HAS_GUI
        if (displayAvailable())
            return runConsoleProgram(argc, argv);
        std::fprintf(stderr, "plugboard: no display (DISPLAY and WAYLAND_DISPLAY are unset): running "
                             "headless; pass --headless to run as a service on purpose\n");
#else
        std::fprintf(stderr, "plugboard: built without the console: running headless\n");
#endif
    }
    useServingEventDispatcherOnMainThread();
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

    Service service(*config);
    if (!service.start(&error)) {
        qCCritical(lcService).noquote() << error;
        return 1;
    }
    if (config->api.keys.isEmpty())
        qCWarning(lcService) << "no API key configured: the HTTP API refuses every call";
    const QString listening = QStringLiteral("listening on %1:%2 (%3, Socket.IO at %4)")
                                  .arg(config->host.toString())
                                  .arg(service.port())
                                  .arg(config->tls.isEnabled() ? QStringLiteral("https") : QStringLiteral("http"),
                                       config->server.path);
    qCInfo(lcService).noquote() << QStringLiteral("plugboard %1 %2").arg(QCoreApplication::applicationVersion(), listening);
    SystemdNotifier systemd;
    systemd.ready(listening);

    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, [&service, &systemd](int number) {
        if (service.isStopping()) {
            qCInfo(lcService).noquote() << QStringLiteral("signal %1 again: stopping without waiting").arg(number);
            service.stopNow();
            return;
        }
        qCInfo(lcService).noquote() << QStringLiteral("signal %1: shutting down").arg(number);
        systemd.stopping(QStringLiteral("draining"));
        service.stop();
    });
    QObject::connect(&service, &Service::stopped, &app, [] {
        qCInfo(lcService) << "stopped";
        QCoreApplication::quit();
    });
    return app.exec();
}
