#include "clioptions.h"

#include "clijson.h"
#include "protocol/jsoncodec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace Plugboard::Cli {

QString usage()
{
    return QStringLiteral(
        "usage: plugboard-cli URL [--namespace NSP] [--path P] [--auth JSON] [--query K=V]...\n"
        "                     [--header K:V]... [--transports websocket,polling] [--parser msgpack]\n"
        "                     [--emit EVENT JSON_ARRAY [--ack-timeout MS]]... [--listen]\n"
        "                     [--count N] [--seconds S] [--no-reconnect] [--insecure]\n"
        "Prints one JSON line per thing that happens. Binary values are {\"$binary\": \"<base64>\"}.\n"
        "Without --emit on a terminal it opens a prompt: emit EVENT [ARGS...], ack N [ARGS...],\n"
        "disconnect, connect, quit.\n");
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    CliOptions &options = result.options;
    bool namespaceGiven = false;
    auto fail = [&result](const QString &error) {
        result.error = error;
        return result;
    };
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        auto value = [&](QString *out) {
            if (i + 1 >= arguments.size())
                return false;
            *out = arguments.at(++i);
            return true;
        };
        QString v;
        if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
            result.help = true;
            return result;
        } else if (argument == QLatin1String("--namespace")) {
            if (!value(&v))
                return fail(QStringLiteral("--namespace needs a namespace, as /chat"));
            options.nsp = v.startsWith(QLatin1Char('/')) ? v : QLatin1Char('/') + v;
            namespaceGiven = true;
        } else if (argument == QLatin1String("--path")) {
            if (!value(&v))
                return fail(QStringLiteral("--path needs a path, as /socket.io"));
            options.path = v;
        } else if (argument == QLatin1String("--auth")) {
            if (!value(&v))
                return fail(QStringLiteral("--auth needs a JSON object"));
            const Json::ParseResult parsed = Json::parse(v.toUtf8());
            QString binaryError;
            const QCborValue auth = parsed.ok ? fromCliJson(parsed.value, &binaryError) : QCborValue();
            if (!auth.isMap())
                return fail(QStringLiteral("--auth must be a JSON object, as {\"token\":\"abc\"}"));
            if (!binaryError.isEmpty())
                return fail(QStringLiteral("--auth: ") + binaryError);
            options.auth = auth.toMap();
        } else if (argument == QLatin1String("--query")) {
            if (!value(&v) || !v.contains(QLatin1Char('=')) || v.startsWith(QLatin1Char('=')))
                return fail(QStringLiteral("--query needs K=V"));
            options.query.append({v.section(QLatin1Char('='), 0, 0), v.section(QLatin1Char('='), 1)});
        } else if (argument == QLatin1String("--header")) {
            if (!value(&v) || !v.contains(QLatin1Char(':')))
                return fail(QStringLiteral("--header needs K:V"));
            const QByteArray name = v.section(QLatin1Char(':'), 0, 0).trimmed().toUtf8();
            const QByteArray headerValue = v.section(QLatin1Char(':'), 1).trimmed().toUtf8();
            const bool nameIsToken = !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c);
            });
            if (!nameIsToken || headerValue.contains('\r') || headerValue.contains('\n'))
                return fail(QStringLiteral("--header %1: not a valid header").arg(v));
            options.headers.append({name, headerValue});
        } else if (argument == QLatin1String("--transports")) {
            if (!value(&v))
                return fail(QStringLiteral("--transports needs a list, as websocket,polling"));
            options.transports = v.split(QLatin1Char(','), Qt::SkipEmptyParts);
            for (const QString &transport : std::as_const(options.transports)) {
                if (transport != QLatin1String("polling") && transport != QLatin1String("websocket"))
                    return fail(QStringLiteral("--transports: unknown transport \"%1\" (polling, websocket)").arg(transport));
            }
            if (options.transports.isEmpty())
                return fail(QStringLiteral("--transports needs at least one transport"));
        } else if (argument == QLatin1String("--parser")) {
            if (!value(&v) || (v != QLatin1String("msgpack") && v != QLatin1String("default")))
                return fail(QStringLiteral("--parser is default or msgpack"));
            options.parser = v == QLatin1String("msgpack") ? SocketIO::Parser::Msgpack : SocketIO::Parser::Default;
        } else if (argument == QLatin1String("--emit")) {
            QString event;
            QString json;
            if (!value(&event) || !value(&json))
                return fail(QStringLiteral("--emit needs an event name and a JSON array, as --emit chat '[\"hi\"]'"));
            const ParsedArguments parsed = parseArgumentArray(json.toUtf8());
            if (!parsed.error.isEmpty())
                return fail(QStringLiteral("--emit %1: %2").arg(event, parsed.error));
            if (SocketIO::isReservedEventName(event))
                return fail(QStringLiteral("--emit: \"%1\" is a reserved event name").arg(event));
            options.emits.append({event, parsed.args});
        } else if (argument == QLatin1String("--ack-timeout")) {
            bool ok = false;
            if (!value(&v) || v.toInt(&ok) <= 0 || !ok)
                return fail(QStringLiteral("--ack-timeout needs milliseconds > 0"));
            if (options.emits.isEmpty())
                return fail(QStringLiteral("--ack-timeout belongs after an --emit"));
            options.emits.last().ackTimeoutMs = v.toInt();
        } else if (argument == QLatin1String("--listen")) {
            options.listen = true;
        } else if (argument == QLatin1String("--count")) {
            bool ok = false;
            if (!value(&v) || (options.count = v.toInt(&ok), !ok) || options.count <= 0)
                return fail(QStringLiteral("--count needs a number > 0"));
        } else if (argument == QLatin1String("--seconds")) {
            bool ok = false;
            // At most a day: the timer takes milliseconds in an int.
            if (!value(&v) || (options.seconds = v.toDouble(&ok), !ok) || !std::isfinite(options.seconds)
                || options.seconds <= 0 || options.seconds > 86400)
                return fail(QStringLiteral("--seconds needs a number > 0 (at most 86400)"));
        } else if (argument == QLatin1String("--no-reconnect")) {
            options.reconnect = false;
        } else if (argument == QLatin1String("--insecure")) {
            options.insecure = true;
        } else if (argument.startsWith(QLatin1String("--"))) {
            return fail(QStringLiteral("unknown option %1").arg(argument));
        } else if (options.url.isEmpty()) {
            QString url = argument;
            if (!url.contains(QLatin1String("://")))
                url.prepend(QLatin1String("http://"));
            options.url = QUrl(url, QUrl::StrictMode);
            const QString scheme = options.url.scheme();
            if (!options.url.isValid() || options.url.host().isEmpty()
                || (scheme != QLatin1String("http") && scheme != QLatin1String("https")
                    && scheme != QLatin1String("ws") && scheme != QLatin1String("wss")))
                return fail(QStringLiteral("%1 is not an http(s):// or ws(s):// URL").arg(argument));
        } else {
            return fail(QStringLiteral("unexpected argument %1").arg(argument));
        }
    }
    if (options.url.isEmpty())
        return fail(QStringLiteral("a server URL is needed, as http://localhost:3000"));
    if (!namespaceGiven && !options.url.path().isEmpty() && options.url.path() != QLatin1String("/"))
        options.nsp = options.url.path();
    return result;
}

} // namespace Plugboard::Cli
