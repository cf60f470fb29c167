// plugboard-cli: a terminal Socket.IO client for debugging servers, Plugboard's and Node's.
#include "clioptions.h"
#include "clisession.h"
#include "interactiveprompt.h"
#include "processtuning.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <cstdio>
#include <unistd.h>

using namespace Plugboard;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    arguments.removeFirst();
    Cli::CommandLine commandLine = Cli::parseCommandLine(arguments);
    if (commandLine.help) {
        std::fputs(qPrintable(Cli::usage()), stdout);
        return 0;
    }
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "plugboard-cli: %s\n%s", qPrintable(commandLine.error), qPrintable(Cli::usage()));
        return 2;
    }
    Cli::CliOptions &options = commandLine.options;
    options.interactive = options.emits.isEmpty() && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

    Cli::InteractivePrompt *prompt = options.interactive ? new Cli::InteractivePrompt(&app) : nullptr;
    auto print = [prompt](const QByteArray &line) {
        if (prompt) {
            prompt->printAbove(line);
        } else {
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
            std::fflush(stdout);
        }
    };
    Cli::CliSession session(options, print);
    int exitCode = 0;
    QObject::connect(&session, &Cli::CliSession::finished, &app, [&exitCode](int code, const QString &reason) {
        exitCode = code;
        if (code != 0 && !reason.isEmpty())
            std::fprintf(stderr, "plugboard-cli: %s\n", qPrintable(reason));
        // A moment for the DISCONNECT and the transport's close to reach the server.
        QTimer::singleShot(100, qApp, [code] { QCoreApplication::exit(code); });
    });
    if (prompt) {
        QObject::connect(prompt, &Cli::InteractivePrompt::lineEntered, &session, &Cli::CliSession::runCommand);
        QObject::connect(prompt, &Cli::InteractivePrompt::inputEnded, &session, &Cli::CliSession::endInput);
        QObject::connect(&session, &Cli::CliSession::eventNameSeen, prompt, &Cli::InteractivePrompt::addCompletion);
        prompt->start();
    }
    session.start();
    const int code = app.exec();
    delete prompt;
    return code == 0 ? exitCode : code;
}
