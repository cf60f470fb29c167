#pragma once

#include "protocol/siopacket.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

namespace Plugboard::Cli {

struct EmitRequest
{
    QString event;
    QCborArray args;
    int ackTimeoutMs = 10000;
};

// What plugboard-cli was asked to do.
struct CliOptions
{
    QUrl url;
    QString nsp = QStringLiteral("/");
    QString path = QStringLiteral("/socket.io");
    QCborMap auth;
    QList<QPair<QString, QString>> query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QStringList transports = {QStringLiteral("polling"), QStringLiteral("websocket")};
    SocketIO::Parser parser = SocketIO::Parser::Default;
    QList<EmitRequest> emits;
    bool listen = false;
    int count = -1;       // events to wait for, then exit
    double seconds = -1;  // run this long, then exit
    bool reconnect = true;
    bool insecure = false;
    bool interactive = false; // a prompt on a terminal (decided by the caller)
};

struct CommandLine
{
    CliOptions options;
    QString error; // non-empty: a usage error
    bool help = false;
};

// Parses plugboard-cli's arguments (without the program name).
CommandLine parseCommandLine(const QStringList &arguments);
QString usage();

} // namespace Plugboard::Cli
