#include "commandline.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>

namespace Plugboard {

namespace {

QCommandLineOption valueOption(const char *name, const char *description, const char *valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description), QString::fromLatin1(valueName));
}

QCommandLineOption flagOption(const char *name, const char *description)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description));
}

constexpr qint64 MaxMs = 3600000;

} // namespace

CommandLine::CommandLine()
    : m_headless(flagOption("headless", "Run as a service, without the console (no display needed).")),
      m_config(valueOption("config", "JSON config file (keys: Node's option names plus Plugboard's sections). "
                                     "The options below override it.", "file")),
      m_checkConfig(flagOption("check-config", "Validate the configuration, print the problems, and exit.")),
      m_host(valueOption("host", "Address to listen on (default 127.0.0.1).", "address")),
      m_port(valueOption("port", "Port to listen on (default 3000; 0: any free port).", "port")),
      m_path(valueOption("path", "Socket.IO path (default /socket.io/).", "path")),
      m_pingInterval(valueOption("ping-interval", "pingInterval in ms (default 25000).", "ms")),
      m_pingTimeout(valueOption("ping-timeout", "pingTimeout in ms (default 20000).", "ms")),
      m_maxHttpBufferSize(valueOption("max-http-buffer-size", "maxHttpBufferSize in bytes (default 1000000).", "bytes")),
      m_connectTimeout(valueOption("connect-timeout", "connectTimeout in ms (default 45000).", "ms")),
      m_transports(valueOption("transports", "Allowed transports, comma-separated (default polling,websocket).", "list")),
      m_corsOrigin(valueOption("cors-origin", "Allowed CORS origin (\"*\" for any; repeatable).", "origin")),
      m_corsCredentials(flagOption("cors-credentials", "Send Access-Control-Allow-Credentials.")),
      m_recovery(flagOption("recovery", "Enable connection-state recovery.")),
      m_tlsCert(valueOption("tls-cert", "PEM certificate (chain): serve https and wss.", "file")),
      m_tlsKey(valueOption("tls-key", "PEM private key of --tls-cert.", "file")),
      m_logLevel(valueOption("log-level", "debug, info (default), warning or error.", "level")),
      m_logFormat(valueOption("log-format", "text (default) or json (one object a line).", "format")),
      m_demo(flagOption("demo", "Serve the demo page at /demo/.")),
      m_clientBundleDir(valueOption("client-bundle-dir", "Directory holding socket.io.js (socket.io-client's dist/).", "dir")),
      m_redis(valueOption("redis", "Join a cluster through Redis (Node's Redis adapter), e.g. redis://127.0.0.1:6379.", "url")),
      m_hashPassword(flagOption("hash-password", "Read a password and print its bcrypt hash (for admin.auth.password), then exit.")),
      m_attach(valueOption("attach", "Open the console attached to an instrumented server (the admin-ui protocol) "
                                     "instead of running one, e.g. http://127.0.0.1:3000/admin.", "url"))
{
    m_parser.setApplicationDescription(QStringLiteral(
        "Plugboard: a Socket.IO v4 server and real-time hub.\n"
        "Backends publish through the HTTP API (/api/v1/, keys in PLUGBOARD_API_KEY, the config or the\n"
        "systemd credential api-keys);\n"
        "operators read /health and /metrics. SIGTERM or SIGINT drains and stops it."));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({m_headless, m_config, m_checkConfig, m_host, m_port, m_path, m_pingInterval, m_pingTimeout,
                         m_maxHttpBufferSize, m_connectTimeout, m_transports, m_corsOrigin, m_corsCredentials,
                         m_recovery, m_tlsCert, m_tlsKey, m_logLevel, m_logFormat, m_demo, m_clientBundleDir,
                         m_redis, m_hashPassword, m_attach});
}

void CommandLine::process(const QCoreApplication &app)
{
    m_parser.process(app);
}

bool CommandLine::readInt(const QCommandLineOption &option, qint64 min, qint64 max, qint64 *out,
                          QString *error) const
{
    if (!m_parser.isSet(option))
        return true;
    bool ok = false;
    const qint64 value = m_parser.value(option).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("--%1: expected an integer from %2 to %3, got \"%4\"")
                     .arg(option.names().constFirst())
                     .arg(min)
                     .arg(max)
                     .arg(m_parser.value(option));
        return false;
    }
    *out = value;
    return true;
}

std::optional<ServiceConfig> CommandLine::config(QString *error) const
{
    if (!m_parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument \"%1\" (see --help)").arg(m_parser.positionalArguments().constFirst());
        return std::nullopt;
    }
    ServiceConfig config;
    if (m_parser.isSet(m_config)) {
        std::optional<ServiceConfig> loaded = loadServiceConfig(m_parser.value(m_config), error);
        if (!loaded)
            return std::nullopt;
        config = *loaded;
    }
    if (!applyOptions(config, error))
        return std::nullopt;
    if (!appendApiKeys(qgetenv("PLUGBOARD_API_KEY"), QStringLiteral("PLUGBOARD_API_KEY"), &config, error))
        return std::nullopt;
    // systemd's LoadCredential=api-keys:FILE puts the keys where only this service reads them.
    if (const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY"); !credentials.isEmpty()) {
        QFile file(credentials + QStringLiteral("/api-keys"));
        if (file.exists()) {
            if (!file.open(QIODevice::ReadOnly)) {
                *error = QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
                return std::nullopt;
            }
            if (!appendApiKeys(file.read(64 * 1024), file.fileName(), &config, error))
                return std::nullopt;
        }
    }
    return config;
}

bool CommandLine::appendApiKeys(const QByteArray &text, const QString &source, ServiceConfig *config, QString *error)
{
    QByteArray normalized = text;
    normalized.replace('\n', ',');
    for (const QByteArray &key : normalized.split(',')) {
        const QByteArray trimmed = key.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed.size() < 16) {
            *error = QStringLiteral("%1: a key is too short (at least 16 characters)").arg(source);
            return false;
        }
        config->api.keys.append(trimmed);
    }
    return true;
}

bool CommandLine::applyOptions(ServiceConfig &config, QString *error) const
{
    if (m_parser.isSet(m_host) && !config.host.setAddress(m_parser.value(m_host))) {
        *error = QStringLiteral("--host: \"%1\" is not an IP address").arg(m_parser.value(m_host));
        return false;
    }
    EngineOptions &engine = config.server.engine;
    qint64 port = config.port;
    qint64 pingInterval = engine.pingInterval;
    qint64 pingTimeout = engine.pingTimeout;
    qint64 connectTimeout = config.server.connectTimeout;
    if (!readInt(m_port, 0, 65535, &port, error) || !readInt(m_pingInterval, 1, MaxMs, &pingInterval, error)
        || !readInt(m_pingTimeout, 1, MaxMs, &pingTimeout, error)
        || !readInt(m_maxHttpBufferSize, 1, qint64(1) << 30, &engine.maxHttpBufferSize, error)
        || !readInt(m_connectTimeout, 1, MaxMs, &connectTimeout, error))
        return false;
    config.port = quint16(port);
    engine.pingInterval = int(pingInterval);
    engine.pingTimeout = int(pingTimeout);
    config.server.connectTimeout = int(connectTimeout);

    if (m_parser.isSet(m_path)) {
        const QString path = m_parser.value(m_path);
        if (!path.startsWith(QLatin1Char('/'))) {
            *error = QStringLiteral("--path: must start with '/'");
            return false;
        }
        config.server.path = path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/');
    }
    if (m_parser.isSet(m_transports)) {
        const QStringList transports = m_parser.value(m_transports).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &transport : transports) {
            if (transport != QLatin1String("polling") && transport != QLatin1String("websocket")) {
                *error = QStringLiteral("--transports: unknown transport \"%1\" (polling, websocket)").arg(transport);
                return false;
            }
        }
        if (transports.isEmpty()) {
            *error = QStringLiteral("--transports: empty");
            return false;
        }
        engine.transports = transports;
    }
    if (m_parser.isSet(m_corsOrigin)) {
        const QStringList origins = m_parser.values(m_corsOrigin);
        CorsOptions cors = engine.cors.value_or(CorsOptions());
        if (origins.contains(QStringLiteral("*"))) {
            cors.mode = CorsOptions::OriginMode::Any;
        } else {
            cors.mode = CorsOptions::OriginMode::List;
            cors.allowedOrigins = origins;
        }
        engine.cors = cors;
    }
    if (m_parser.isSet(m_corsCredentials)) {
        CorsOptions cors = engine.cors.value_or(CorsOptions());
        cors.credentials = true;
        engine.cors = cors;
    }
    if (m_parser.isSet(m_recovery))
        config.server.connectionStateRecovery.enabled = true;
    if (m_parser.isSet(m_tlsCert) != m_parser.isSet(m_tlsKey)) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return false;
    }
    if (m_parser.isSet(m_tlsCert)) {
        config.tls.certificateFile = m_parser.value(m_tlsCert);
        config.tls.keyFile = m_parser.value(m_tlsKey);
    }
    if (m_parser.isSet(m_logLevel)) {
        static const QHash<QString, QtMsgType> levels{{QStringLiteral("debug"), QtDebugMsg},
                                                      {QStringLiteral("info"), QtInfoMsg},
                                                      {QStringLiteral("warning"), QtWarningMsg},
                                                      {QStringLiteral("error"), QtCriticalMsg}};
        const QString level = m_parser.value(m_logLevel);
        if (!levels.contains(level)) {
            *error = QStringLiteral("--log-level: expected debug, info, warning or error, got \"%1\"").arg(level);
            return false;
        }
        config.log.level = levels.value(level);
    }
    if (m_parser.isSet(m_logFormat)) {
        const QString format = m_parser.value(m_logFormat);
        if (format != QLatin1String("text") && format != QLatin1String("json")) {
            *error = QStringLiteral("--log-format: expected text or json, got \"%1\"").arg(format);
            return false;
        }
        config.log.format = format == QLatin1String("json") ? LogConfig::Format::Json : LogConfig::Format::Text;
    }
    if (m_parser.isSet(m_demo))
        config.demo = true;
    if (m_parser.isSet(m_clientBundleDir))
        config.clientBundleDir = m_parser.value(m_clientBundleDir);
    if (m_parser.isSet(m_redis)) {
        QString why;
        if (!validateRedisUrl(m_parser.value(m_redis), &why)) {
            *error = QStringLiteral("--redis: %1, got \"%2\"").arg(why, m_parser.value(m_redis));
            return false;
        }
        config.adapter.type = AdapterConfig::Type::Redis;
        config.adapter.url = m_parser.value(m_redis);
    }
    return true;
}

} // namespace Plugboard
