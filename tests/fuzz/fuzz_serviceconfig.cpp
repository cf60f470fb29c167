// The config file plugboard reads (JSON with // and /* */ comments). Any bytes give either a
// config that keeps the loader's promises or errors that each name where they are; stripping
// comments keeps every byte offset and newline and is idempotent; the shipped example config
// with the input inserted as comments still loads, to the same config.
#include "fuzzcheck.h"

#include <jsoncomments.h>
#include <serviceconfig.h>

#include <QtCore/QFile>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <cstdlib>

using namespace Plugboard;

namespace {

QByteArray example;
QString exampleSummary;

// What a config says, in one string to compare.
QString summary(const ServiceConfig &c)
{
    QStringList parts{c.host.toString(), QString::number(c.port), c.server.path,
                      QString::number(c.server.engine.pingInterval), QString::number(c.server.engine.pingTimeout),
                      QString::number(c.server.engine.maxHttpBufferSize), c.server.engine.transports.join(u','),
                      c.server.engine.cors ? QString::number(int(c.server.engine.cors->mode)) + c.server.engine.cors->allowedOrigins.join(u',')
                                           : QStringLiteral("no cors"),
                      QString::number(c.server.connectionStateRecovery.enabled), QString::number(c.api.maxBodyBytes),
                      c.shutdown.event, QString::number(int(c.log.level)), c.adapter.url, c.adapter.key, c.adapter.mode,
                      QString::number(c.admin.enabled)};
    for (const HubNamespaceConfig &nsp : c.namespaces) {
        parts << nsp.name << QString::number(int(nsp.auth.type)) << QString::fromUtf8(nsp.auth.secret) << nsp.auth.issuer
              << nsp.auth.audience << nsp.rooms.join(u',') << QString::number(nsp.maxRoomsPerSocket)
              << QString::number(nsp.rateLimit.maxEvents) << QString::number(nsp.rateLimit.perEvent.size())
              << (nsp.forward ? nsp.forward->url.toString() + nsp.forward->events.join(u',') : QString());
    }
    return parts.join(u'|');
}

// The promises of serviceconfig.h: a config that loads can be run.
void checkConfig(const ServiceConfig &c)
{
    FUZZ_CHECK(c.server.path.startsWith(u'/') && c.server.path.endsWith(u'/'));
    FUZZ_CHECK(!c.namespaces.isEmpty());
    QSet<QString> names;
    for (const HubNamespaceConfig &nsp : c.namespaces) {
        FUZZ_CHECK(nsp.name.startsWith(u'/') && !names.contains(nsp.name));
        names.insert(nsp.name);
        if (nsp.auth.type == HubAuthConfig::Type::Jwt)
            FUZZ_CHECK(nsp.auth.secret.size() >= 16);
        if (nsp.forward)
            FUZZ_CHECK(nsp.forward->url.isValid() && !nsp.forward->events.isEmpty());
    }
    for (const QByteArray &key : c.api.keys)
        FUZZ_CHECK(QString::fromUtf8(key).size() >= 16);
    FUZZ_CHECK(!c.server.engine.transports.isEmpty());
    FUZZ_CHECK(c.server.engine.pingInterval > 0 && c.server.engine.pingTimeout > 0 && c.server.engine.maxHttpBufferSize > 0);
}

// Every problem on its own line, each saying where: a JSON path, or the place of a syntax error.
void checkErrors(const QString &error)
{
    FUZZ_CHECK(!error.isEmpty());
    for (const QString &line : error.split(u'\n')) {
        if (line.startsWith(QLatin1String("invalid JSON at line ")) || line == QLatin1String("expected a JSON object at the top level"))
            continue;
        // A key may hold ": " itself: some ": " must have a path before it.
        const qsizetype colon = line.indexOf(QLatin1String(": "), 1);
        FUZZ_CHECK(colon > 0 && colon + 2 < line.size());
    }
}

void checkStrip(const QByteArray &input)
{
    const QByteArray stripped = stripJsonComments(input);
    FUZZ_CHECK(stripped.size() == input.size());
    for (qsizetype i = 0; i < input.size(); ++i) {
        FUZZ_CHECK((input.at(i) == '\n') == (stripped.at(i) == '\n'));
        FUZZ_CHECK(stripped.at(i) == input.at(i) || stripped.at(i) == ' ');
    }
    FUZZ_CHECK(stripJsonComments(stripped) == stripped);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // The example's /app namespace takes its JWT secret from the environment.
    setenv("PLUGBOARD_JWT_SECRET", "fuzz-secret-0123456789", 1);
    QFile file(QStringLiteral(PLUGBOARD_EXAMPLE_CONFIG));
    FUZZ_CHECK(file.open(QIODevice::ReadOnly));
    example = file.readAll();
    QString error;
    const std::optional<ServiceConfig> config = parseServiceConfig(example, &error);
    if (!config)
        std::fprintf(stderr, "%s\n", qPrintable(error));
    FUZZ_CHECK(config);
    exampleSummary = summary(*config);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    checkStrip(input);
    QString error;
    const std::optional<ServiceConfig> config = parseServiceConfig(input, &error);
    if (config)
        checkConfig(*config);
    else
        checkErrors(error);

    // The input as a block comment at the start of a line of the example and as a line comment
    // at its end: neither can end early.
    if (size == 0)
        return 0;
    const QByteArray block = input.sliced(1).replace("*/", "* /");
    const QByteArray line = QByteArray(input.sliced(1)).replace('\n', ' ');
    const qsizetype lines = example.count('\n');
    qsizetype start = 0;
    for (qsizetype skip = data[0] % lines; skip > 0; --skip)
        start = example.indexOf('\n', start) + 1;
    const qsizetype end = example.indexOf('\n', start);
    QByteArray commented = example;
    commented.insert(end, "//" + line);
    commented.insert(start, "/*" + block + "*/");
    const std::optional<ServiceConfig> same = parseServiceConfig(commented, &error);
    if (!same)
        std::fprintf(stderr, "%s\n", qPrintable(error));
    FUZZ_CHECK(same && summary(*same) == exampleSummary);
    return 0;
}
