// plugboard-console: the operator console with its embedded server, until the plugboard
// program itself opens the console when run without --headless.

#include "console.h"

#include <QtCore/QCommandLineParser>
#include <QtWidgets/QApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1"); // Qt's own event dispatcher scales with many sockets
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Plugboard"));
    QApplication::setApplicationName(QStringLiteral("plugboard-console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Plugboard operator console with an embedded Socket.IO server."));
    parser.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("address"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (default 3000)."),
                                  QStringLiteral("port"));
    parser.addOptions({host, port});
    parser.process(app);

    Plugboard::ServiceConfig config;
    config.port = 3000;
    if (parser.isSet(host) && !config.host.setAddress(parser.value(host))) {
        std::fprintf(stderr, "plugboard-console: --host: \"%s\" is not an IP address\n", qPrintable(parser.value(host)));
        return 2;
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value > 65535) {
            std::fprintf(stderr, "plugboard-console: --port: expected 0 to 65535\n");
            return 2;
        }
        config.port = quint16(value);
    }
    return Plugboard::runConsole(app, config);
}
