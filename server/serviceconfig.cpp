#include "serviceconfig.h"

#include <admin/admininstrumentation.h>

#include <engine/wsengine.h>
#include <protocol/siopacket.h>

#include "jsoncomments.h"
#include "jsonreader.h"
#include "roompattern.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>

namespace Plugboard {

namespace {

constexpr int MaxMs = 3600000;

// Socket.IO's reserved names and the hub's own client events.
bool isReservedEvent(const QString &event)
{
    return SocketIO::isReservedEventName(event) || event == QLatin1String("subscribe")
        || event == QLatin1String("unsubscribe");
}

// Node's cors options accept a string or a list for the header fields.
bool readHeaderList(JsonReader &reader, const QJsonObject &object, QStringView key, const QString &path,
                    QByteArray *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (value.isString()) {
        *out = value.toString().toLatin1();
        return true;
    }
    QStringList list;
    if (value.isArray() && reader.readStringList(object, key, path, &list)) {
        *out = list.join(QLatin1Char(',')).toLatin1();
        return true;
    }
    if (!value.isArray())
        reader.fail(JsonReader::join(path, key), QStringLiteral("expected string or array of strings"));
    return false;
}

class ConfigParser
{
public:
    explicit ConfigParser(ServiceConfig config) : m_config(std::move(config)) {}

    std::optional<ServiceConfig> parse(const QJsonObject &root);
    const QStringList &errors() const { return m_reader.errors(); }

private:
    void parseListen(const QJsonObject &root);
    void parseEngine(const QJsonObject &root);
    void parseCors(const QJsonObject &cors, const QString &path);
    void parseRecovery(const QJsonObject &root);
    // A setting that is a boolean (on or off) or its options object (on): the object if given.
    std::optional<QJsonObject> switchOrOptions(const QJsonObject &root, QStringView key, bool *enabled);
    void parseTls(const QJsonObject &tls, const QString &path);
    void parseLog(const QJsonObject &log, const QString &path);
    void parseApi(const QJsonObject &api, const QString &path);
    void parseShutdown(const QJsonObject &shutdown, const QString &path);
    void parseAdapter(const QJsonObject &adapter, const QString &path);
    void parseAdmin(const QJsonObject &root);
    void parseNamespaces(const QJsonArray &list, const QString &path);
    HubNamespaceConfig parseNamespace(const QJsonObject &object, const QString &path);
    void parseAuth(const QJsonObject &auth, const QString &path, HubAuthConfig *out);
    void parseRateLimit(const QJsonObject &limit, const QString &path, RateLimitConfig *out);
    std::optional<ForwardConfig> parseForward(const QJsonObject &forward, const QString &path);
    QByteArray readSecret(const QJsonObject &object, const QString &path, const QString &key,
                          const QString &envKey);

    template<typename Section>
    void section(const QJsonObject &root, QStringView key, Section parse)
    {
        if (const auto object = m_reader.object(root, key, {}))
            (this->*parse)(*object, key.toString());
    }

    ServiceConfig m_config;
    JsonReader m_reader;
};

std::optional<ServiceConfig> ConfigParser::parse(const QJsonObject &root)
{
    m_reader.checkKeys(root, {},
                       {"host", "port", "path", "serveClient", "clientBundleDir", "demo", "connectTimeout",
                        "pingInterval", "pingTimeout", "upgradeTimeout", "maxHttpBufferSize", "transports",
                        "allowUpgrades", "cors", "connectionStateRecovery", "tls", "log", "api", "shutdown",
                        "adapter", "parser", "httpCompression", "allowEIO3", "wsEngine", "perMessageDeflate",
                        "namespaces", "admin"});
    parseListen(root);
    parseEngine(root);
    parseRecovery(root);
    section(root, u"tls", &ConfigParser::parseTls);
    section(root, u"log", &ConfigParser::parseLog);
    section(root, u"api", &ConfigParser::parseApi);
    section(root, u"shutdown", &ConfigParser::parseShutdown);
    section(root, u"adapter", &ConfigParser::parseAdapter);
    parseAdmin(root);
    if (const auto namespaces = m_reader.array(root, u"namespaces", {}))
        parseNamespaces(*namespaces, QStringLiteral("namespaces"));
    if (m_reader.hasErrors())
        return std::nullopt;
    return m_config;
}

void ConfigParser::parseListen(const QJsonObject &root)
{
    QString host;
    if (m_reader.readString(root, u"host", {}, &host) && !host.isEmpty()) {
        QHostAddress address;
        if (address.setAddress(host))
            m_config.host = address;
        else
            m_reader.fail(QStringLiteral("host"), QStringLiteral("\"%1\" is not an IP address").arg(host));
    }
    int port = m_config.port;
    if (m_reader.readInt(root, u"port", {}, 0, 65535, &port))
        m_config.port = quint16(port);
    QString path;
    if (m_reader.readString(root, u"path", {}, &path) && !path.isEmpty()) {
        if (!path.startsWith(QLatin1Char('/')))
            m_reader.fail(QStringLiteral("path"), QStringLiteral("must start with '/'"));
        else
            m_config.server.path = path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/');
    }
    m_reader.readBool(root, u"serveClient", {}, &m_config.serveClient);
    m_reader.readString(root, u"clientBundleDir", {}, &m_config.clientBundleDir);
    m_reader.readBool(root, u"demo", {}, &m_config.demo);
}

void ConfigParser::parseEngine(const QJsonObject &root)
{
    EngineOptions &engine = m_config.server.engine;
    m_reader.readInt(root, u"connectTimeout", {}, 1, MaxMs, &m_config.server.connectTimeout);
    m_reader.readInt(root, u"pingInterval", {}, 1, MaxMs, &engine.pingInterval);
    m_reader.readInt(root, u"pingTimeout", {}, 1, MaxMs, &engine.pingTimeout);
    m_reader.readInt(root, u"upgradeTimeout", {}, 1, MaxMs, &engine.upgradeTimeout);
    m_reader.readInt(root, u"maxHttpBufferSize", {}, qint64(1), qint64(1) << 30, &engine.maxHttpBufferSize);
    m_reader.readBool(root, u"allowUpgrades", {}, &engine.allowUpgrades);
    m_reader.readBool(root, u"allowEIO3", {}, &engine.allowEIO3);
    QString wsEngine;
    if (root.contains(u"wsEngine") && m_reader.readString(root, u"wsEngine", {}, &wsEngine)) {
        if (const auto engineKind = webSocketEngineFromName(wsEngine))
            engine.wsEngine = *engineKind;
        else
            m_reader.fail(QStringLiteral("wsEngine"), QStringLiteral("expected \"native\" or \"qt\""));
    }
    if (const auto deflate = switchOrOptions(root, u"perMessageDeflate", &engine.perMessageDeflate.enabled)) {
        const QString path = QStringLiteral("perMessageDeflate");
        m_reader.checkKeys(*deflate, path, {"threshold"});
        m_reader.readInt(*deflate, u"threshold", path, qint64(0), qint64(1) << 30, &engine.perMessageDeflate.threshold);
    }
    if (engine.perMessageDeflate.enabled && engine.wsEngine != EngineOptions::WebSocketEngine::Native)
        m_reader.fail(QStringLiteral("perMessageDeflate"),
                      QStringLiteral("needs \"wsEngine\": \"native\" (QtWebSockets cannot negotiate permessage-deflate)"));
    // Node's httpCompression: false, or its options (threshold in bytes).
    if (const auto compression = switchOrOptions(root, u"httpCompression", &engine.httpCompression.enabled)) {
        const QString path = QStringLiteral("httpCompression");
        m_reader.checkKeys(*compression, path, {"threshold"});
        m_reader.readInt(*compression, u"threshold", path, qint64(0), qint64(1) << 30, &engine.httpCompression.threshold);
    }
    QString parser;
    if (root.contains(u"parser") && m_reader.readString(root, u"parser", {}, &parser)) {
        if (parser == QLatin1String("default"))
            m_config.server.parser = SocketIO::Parser::Default;
        else if (parser == QLatin1String("msgpack"))
            m_config.server.parser = SocketIO::Parser::Msgpack;
        else
            m_reader.fail(QStringLiteral("parser"), QStringLiteral("expected \"default\" or \"msgpack\""));
    }
    QStringList transports;
    if (root.contains(u"transports")
        && m_reader.readStringList(root, u"transports", {}, &transports, false)) {
        for (qsizetype i = 0; i < transports.size(); ++i) {
            if (transports.at(i) != QLatin1String("polling") && transports.at(i) != QLatin1String("websocket"))
                m_reader.fail(JsonReader::index(QStringLiteral("transports"), i),
                              QStringLiteral("expected \"polling\" or \"websocket\""));
        }
        engine.transports = transports;
    }
    section(root, u"cors", &ConfigParser::parseCors);
}

void ConfigParser::parseCors(const QJsonObject &cors, const QString &path)
{
    m_reader.checkKeys(cors, path, {"origin", "credentials", "methods", "allowedHeaders", "exposedHeaders", "maxAge"});
    CorsOptions options;
    const QJsonValue origin = cors.value(u"origin");
    const QString originPath = JsonReader::join(path, u"origin");
    if (origin.isUndefined() || origin == QJsonValue(QStringLiteral("*"))) {
        options.mode = CorsOptions::OriginMode::Any;
    } else if (origin.isBool()) {
        options.mode = origin.toBool() ? CorsOptions::OriginMode::Reflect : CorsOptions::OriginMode::Disabled;
    } else if (origin.isString()) {
        options.mode = CorsOptions::OriginMode::Fixed;
        options.fixedOrigin = origin.toString();
    } else if (origin.isArray()) {
        options.mode = CorsOptions::OriginMode::List;
        m_reader.readStringList(cors, u"origin", path, &options.allowedOrigins);
    } else {
        m_reader.fail(originPath, QStringLiteral("expected string, boolean or array of strings"));
    }
    m_reader.readBool(cors, u"credentials", path, &options.credentials);
    readHeaderList(m_reader, cors, u"methods", path, &options.methods);
    readHeaderList(m_reader, cors, u"allowedHeaders", path, &options.allowedHeaders);
    readHeaderList(m_reader, cors, u"exposedHeaders", path, &options.exposedHeaders);
    m_reader.readInt(cors, u"maxAge", path, -1, 365 * 86400, &options.maxAge);
    m_config.server.engine.cors = options;
}

std::optional<QJsonObject> ConfigParser::switchOrOptions(const QJsonObject &root, QStringView key, bool *enabled)
{
    const QJsonValue value = root.value(key);
    if (value.isUndefined())
        return std::nullopt;
    if (value.isBool()) {
        *enabled = value.toBool();
        return std::nullopt;
    }
    if (!value.isObject()) {
        m_reader.fail(key.toString(), QStringLiteral("expected object or boolean"));
        return std::nullopt;
    }
    *enabled = true;
    return value.toObject();
}

void ConfigParser::parseRecovery(const QJsonObject &root)
{
    auto &recovery = m_config.server.connectionStateRecovery;
    const std::optional<QJsonObject> options = switchOrOptions(root, u"connectionStateRecovery", &recovery.enabled);
    if (!options)
        return;
    const QString path = QStringLiteral("connectionStateRecovery");
    const QJsonObject &object = *options;
    m_reader.checkKeys(object, path, {"maxDisconnectionDuration", "skipMiddlewares", "maxBufferedPackets"});
    m_reader.readInt(object, u"maxDisconnectionDuration", path, 0, 24 * MaxMs, &recovery.maxDisconnectionDuration);
    m_reader.readBool(object, u"skipMiddlewares", path, &recovery.skipMiddlewares);
    m_reader.readInt(object, u"maxBufferedPackets", path, 0, 10000000, &recovery.maxBufferedPackets);
}

void ConfigParser::parseTls(const QJsonObject &tls, const QString &path)
{
    m_reader.checkKeys(tls, path, {"cert", "key"});
    m_reader.require(tls, u"cert", path);
    m_reader.require(tls, u"key", path);
    m_reader.readString(tls, u"cert", path, &m_config.tls.certificateFile);
    m_reader.readString(tls, u"key", path, &m_config.tls.keyFile);
}

void ConfigParser::parseLog(const QJsonObject &log, const QString &path)
{
    m_reader.checkKeys(log, path, {"level", "format"});
    QString level;
    if (m_reader.readString(log, u"level", path, &level) && !level.isEmpty()) {
        static const QHash<QString, QtMsgType> levels{{QStringLiteral("debug"), QtDebugMsg},
                                                      {QStringLiteral("info"), QtInfoMsg},
                                                      {QStringLiteral("warning"), QtWarningMsg},
                                                      {QStringLiteral("error"), QtCriticalMsg}};
        if (levels.contains(level))
            m_config.log.level = levels.value(level);
        else
            m_reader.fail(JsonReader::join(path, u"level"), QStringLiteral("expected \"debug\", \"info\", \"warning\" or \"error\""));
    }
    QString format;
    if (m_reader.readString(log, u"format", path, &format) && !format.isEmpty()) {
        if (format == QLatin1String("json"))
            m_config.log.format = LogConfig::Format::Json;
        else if (format == QLatin1String("text"))
            m_config.log.format = LogConfig::Format::Text;
        else
            m_reader.fail(JsonReader::join(path, u"format"), QStringLiteral("expected \"text\" or \"json\""));
    }
}

void ConfigParser::parseApi(const QJsonObject &api, const QString &path)
{
    m_reader.checkKeys(api, path, {"keys", "maxBodyBytes", "maxAckTimeoutMs"});
    QStringList keys;
    if (m_reader.readStringList(api, u"keys", path, &keys)) {
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (keys.at(i).size() < 16)
                m_reader.fail(JsonReader::index(JsonReader::join(path, u"keys"), i),
                              QStringLiteral("too short (at least 16 characters)"));
            else
                m_config.api.keys.append(keys.at(i).toUtf8());
        }
    }
    m_reader.readInt(api, u"maxBodyBytes", path, qint64(1), qint64(64) << 20, &m_config.api.maxBodyBytes);
    m_reader.readInt(api, u"maxAckTimeoutMs", path, 1, MaxMs, &m_config.api.maxAckTimeoutMs);
}

void ConfigParser::parseShutdown(const QJsonObject &shutdown, const QString &path)
{
    m_reader.checkKeys(shutdown, path, {"event", "reconnectInMs", "drainTimeoutMs"});
    QString event;
    if (m_reader.readString(shutdown, u"event", path, &event) && !event.isEmpty()) {
        if (isReservedEvent(event))
            m_reader.fail(JsonReader::join(path, u"event"), QStringLiteral("\"%1\" is reserved").arg(event));
        else
            m_config.shutdown.event = event;
    }
    m_reader.readInt(shutdown, u"reconnectInMs", path, 0, MaxMs, &m_config.shutdown.reconnectInMs);
    m_reader.readInt(shutdown, u"drainTimeoutMs", path, 0, 600000, &m_config.shutdown.drainTimeoutMs);
}

void ConfigParser::parseAdmin(const QJsonObject &root)
{
    const QJsonValue value = root.value(u"admin");
    if (value.isUndefined() || value.isNull() || value == QJsonValue(false))
        return;
    const QString path = QStringLiteral("admin");
    if (!value.isObject()) {
        m_reader.fail(path, QStringLiteral("expected an object (or false)"));
        return;
    }
    const QJsonObject admin = value.toObject();
    m_reader.checkKeys(admin, path, {"namespaceName", "auth", "readonly", "mode", "serverId", "ui", "uiDir"});
    AdminConfig &config = m_config.admin;
    config.enabled = true;
    AdminOptions &options = config.options;
    QString name;
    if (m_reader.readString(admin, u"namespaceName", path, &name) && !name.isEmpty())
        options.namespaceName = name;
    m_reader.readBool(admin, u"readonly", path, &options.readonly);
    m_reader.readString(admin, u"serverId", path, &options.serverId);
    QString mode;
    if (m_reader.readString(admin, u"mode", path, &mode) && !mode.isEmpty()) {
        if (mode == QLatin1String("development"))
            options.mode = AdminOptions::Mode::Development;
        else if (mode == QLatin1String("production"))
            options.mode = AdminOptions::Mode::Production;
        else
            m_reader.fail(JsonReader::join(path, u"mode"), QStringLiteral("expected \"development\" or \"production\""));
    }
    m_reader.readBool(admin, u"ui", path, &config.serveUi);
    m_reader.readString(admin, u"uiDir", path, &config.uiDir);
    const QJsonValue auth = admin.value(u"auth");
    const QString authPath = JsonReader::join(path, u"auth");
    if (auth.isUndefined()) {
        // Node's instrument() insists on the choice; so do we.
        m_reader.fail(authPath, QStringLiteral("required: false, or {\"type\": \"basic\", \"username\", \"password\": bcrypt hash}"));
    } else if (auth.isBool() && !auth.toBool()) {
        options.auth.reset();
    } else if (auth.isObject()) {
        const QJsonObject basic = auth.toObject();
        m_reader.checkKeys(basic, authPath, {"type", "username", "password"});
        QString type;
        m_reader.readString(basic, u"type", authPath, &type);
        if (type != QLatin1String("basic"))
            m_reader.fail(JsonReader::join(authPath, u"type"), QStringLiteral("expected \"basic\""));
        AdminOptions::BasicAuth credentials;
        m_reader.require(basic, u"username", authPath);
        m_reader.require(basic, u"password", authPath);
        m_reader.readString(basic, u"username", authPath, &credentials.username);
        QString hash;
        m_reader.readString(basic, u"password", authPath, &hash);
        credentials.passwordHash = hash.toUtf8();
        options.auth = credentials;
    } else {
        m_reader.fail(authPath, QStringLiteral("expected false or an object"));
    }
    QString error;
    if (!m_reader.hasErrors() && !AdminInstrumentation::validate(options, &error))
        m_reader.fail(path, error);
    // The hosted UI polls cross-origin with credentials; an explicit cors block is left alone.
    if (!root.contains(u"cors")) {
        CorsOptions cors;
        cors.mode = CorsOptions::OriginMode::List;
        cors.allowedOrigins = {QStringLiteral("https://admin.socket.io")};
        cors.credentials = true;
        m_config.server.engine.cors = cors;
    }
}

void ConfigParser::parseAdapter(const QJsonObject &adapter, const QString &path)
{
    m_reader.checkKeys(adapter, path, {"type", "url", "key", "requestsTimeout", "mode", "subscriptionMode"});
    AdapterConfig &config = m_config.adapter;
    QString type;
    if (m_reader.readString(adapter, u"type", path, &type) && !type.isEmpty()) {
        if (type == QLatin1String("redis"))
            config.type = AdapterConfig::Type::Redis;
        else if (type == QLatin1String("memory"))
            config.type = AdapterConfig::Type::Memory;
        else
            m_reader.fail(JsonReader::join(path, u"type"), QStringLiteral("expected \"memory\" or \"redis\""));
    }
    QString url;
    if (m_reader.readString(adapter, u"url", path, &url) && !url.isEmpty()) {
        QString error;
        if (validateRedisUrl(url, &error))
            config.url = url;
        else
            m_reader.fail(JsonReader::join(path, u"url"), error);
    }
    QString key;
    if (m_reader.readString(adapter, u"key", path, &key) && adapter.contains(u"key")) {
        if (key.isEmpty() || key.contains(u'#'))
            m_reader.fail(JsonReader::join(path, u"key"), QStringLiteral("must be non-empty, without '#'"));
        else
            config.key = key;
    }
    m_reader.readInt(adapter, u"requestsTimeout", path, 1, MaxMs, &config.requestsTimeout);
    QString subscription;
    if (m_reader.readString(adapter, u"subscriptionMode", path, &subscription) && !subscription.isEmpty()) {
        if (subscription == QLatin1String("static") || subscription == QLatin1String("dynamic")
            || subscription == QLatin1String("dynamic-private"))
            config.subscriptionMode = subscription;
        else
            m_reader.fail(JsonReader::join(path, u"subscriptionMode"),
                          QStringLiteral("expected \"static\", \"dynamic\" or \"dynamic-private\""));
    }
    QString mode;
    if (m_reader.readString(adapter, u"mode", path, &mode) && !mode.isEmpty()) {
        if (mode == QLatin1String("classic") || mode == QLatin1String("sharded"))
            config.mode = mode;
        else
            m_reader.fail(JsonReader::join(path, u"mode"), QStringLiteral("expected \"classic\" or \"sharded\""));
    }
}

void ConfigParser::parseNamespaces(const QJsonArray &list, const QString &path)
{
    if (list.isEmpty()) {
        m_reader.fail(path, QStringLiteral("must not be empty"));
        return;
    }
    QList<HubNamespaceConfig> namespaces;
    QSet<QString> names;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString itemPath = JsonReader::index(path, i);
        if (!list.at(i).isObject()) {
            m_reader.fail(itemPath, QStringLiteral("expected object"));
            continue;
        }
        HubNamespaceConfig nsp = parseNamespace(list.at(i).toObject(), itemPath);
        if (names.contains(nsp.name))
            m_reader.fail(JsonReader::join(itemPath, u"name"), QStringLiteral("duplicate namespace \"%1\"").arg(nsp.name));
        names.insert(nsp.name);
        namespaces.append(nsp);
    }
    m_config.namespaces = namespaces;
}

HubNamespaceConfig ConfigParser::parseNamespace(const QJsonObject &object, const QString &path)
{
    m_reader.checkKeys(object, path, {"name", "auth", "rooms", "maxRoomsPerSocket", "rateLimit", "forward"});
    HubNamespaceConfig nsp;
    m_reader.require(object, u"name", path);
    if (m_reader.readString(object, u"name", path, &nsp.name) && !nsp.name.startsWith(QLatin1Char('/')))
        m_reader.fail(JsonReader::join(path, u"name"), QStringLiteral("must start with '/'"));
    if (const auto auth = m_reader.object(object, u"auth", path))
        parseAuth(*auth, JsonReader::join(path, u"auth"), &nsp.auth);
    if (m_reader.readStringList(object, u"rooms", path, &nsp.rooms)) {
        for (qsizetype i = 0; i < nsp.rooms.size(); ++i) {
            if (const auto problem = RoomPattern::validate(nsp.rooms.at(i)))
                m_reader.fail(JsonReader::index(JsonReader::join(path, u"rooms"), i), *problem);
        }
    }
    m_reader.readInt(object, u"maxRoomsPerSocket", path, 0, 100000, &nsp.maxRoomsPerSocket);
    if (const auto limit = m_reader.object(object, u"rateLimit", path))
        parseRateLimit(*limit, JsonReader::join(path, u"rateLimit"), &nsp.rateLimit);
    if (const auto forward = m_reader.object(object, u"forward", path))
        nsp.forward = parseForward(*forward, JsonReader::join(path, u"forward"));
    return nsp;
}

QByteArray ConfigParser::readSecret(const QJsonObject &object, const QString &path, const QString &key,
                                    const QString &envKey)
{
    const bool inline_ = object.contains(key);
    const bool fromEnv = object.contains(envKey);
    if (inline_ == fromEnv) {
        m_reader.fail(path, QStringLiteral("needs exactly one of \"%1\" and \"%2\"").arg(key, envKey));
        return {};
    }
    QString value;
    if (inline_) {
        m_reader.readString(object, key, path, &value);
        return value.toUtf8();
    }
    QString variable;
    if (!m_reader.readString(object, envKey, path, &variable))
        return {};
    const QByteArray secret = qgetenv(variable.toLocal8Bit().constData());
    if (secret.isEmpty())
        m_reader.fail(JsonReader::join(path, envKey),
                      QStringLiteral("environment variable %1 is not set").arg(variable));
    return secret;
}

void ConfigParser::parseAuth(const QJsonObject &auth, const QString &path, HubAuthConfig *out)
{
    m_reader.checkKeys(auth, path, {"type", "tokens", "secret", "secretEnv", "issuer", "audience", "leewaySeconds"});
    QString type;
    m_reader.require(auth, u"type", path);
    m_reader.readString(auth, u"type", path, &type);
    const QString typePath = JsonReader::join(path, u"type");
    const auto onlyFor = [&](const char *key, const char *forType) {
        if (auth.contains(QLatin1String(key)))
            m_reader.fail(JsonReader::join(path, QString::fromLatin1(key)),
                          QStringLiteral("only allowed with type \"%1\"").arg(QLatin1String(forType)));
    };
    if (type == QLatin1String("none")) {
        out->type = HubAuthConfig::Type::None;
        for (const char *key : {"tokens", "secret", "secretEnv", "issuer", "audience", "leewaySeconds"})
            onlyFor(key, qstrcmp(key, "tokens") == 0 ? "token" : "jwt");
    } else if (type == QLatin1String("token")) {
        out->type = HubAuthConfig::Type::Tokens;
        for (const char *key : {"secret", "secretEnv", "issuer", "audience", "leewaySeconds"})
            onlyFor(key, "jwt");
        m_reader.require(auth, u"tokens", path);
        QStringList tokens;
        if (m_reader.readStringList(auth, u"tokens", path, &tokens, false)) {
            for (qsizetype i = 0; i < tokens.size(); ++i) {
                if (tokens.at(i).isEmpty())
                    m_reader.fail(JsonReader::index(JsonReader::join(path, u"tokens"), i), QStringLiteral("must not be empty"));
                out->tokens.append(tokens.at(i).toUtf8());
            }
        }
    } else if (type == QLatin1String("jwt")) {
        out->type = HubAuthConfig::Type::Jwt;
        onlyFor("tokens", "token");
        out->secret = readSecret(auth, path, QStringLiteral("secret"), QStringLiteral("secretEnv"));
        if (!out->secret.isEmpty() && out->secret.size() < 16)
            m_reader.fail(JsonReader::join(path, u"secret"), QStringLiteral("too short (at least 16 bytes)"));
        m_reader.readString(auth, u"issuer", path, &out->issuer);
        m_reader.readString(auth, u"audience", path, &out->audience);
        m_reader.readInt(auth, u"leewaySeconds", path, 0, 3600, &out->leewaySeconds);
    } else if (!type.isEmpty()) {
        m_reader.fail(typePath, QStringLiteral("expected \"none\", \"token\" or \"jwt\""));
    }
}

void ConfigParser::parseRateLimit(const QJsonObject &limit, const QString &path, RateLimitConfig *out)
{
    m_reader.checkKeys(limit, path, {"windowMs", "maxEvents", "events", "disconnectAfter"});
    m_reader.readInt(limit, u"windowMs", path, 1, MaxMs, &out->windowMs);
    m_reader.readInt(limit, u"maxEvents", path, 0, 1000000, &out->maxEvents);
    m_reader.readInt(limit, u"disconnectAfter", path, 0, 1000000, &out->disconnectAfter);
    if (const auto events = m_reader.object(limit, u"events", path)) {
        const QString eventsPath = JsonReader::join(path, u"events");
        for (auto it = events->constBegin(); it != events->constEnd(); ++it) {
            qint64 max = 0;
            if (m_reader.toInt(it.value(), JsonReader::join(eventsPath, it.key()), 1, 1000000, &max))
                out->perEvent.insert(it.key(), int(max));
        }
    }
}

std::optional<ForwardConfig> ConfigParser::parseForward(const QJsonObject &forward, const QString &path)
{
    m_reader.checkKeys(forward, path, {"url", "events", "timeoutMs", "maxConcurrent", "maxResponseBytes", "headers"});
    ForwardConfig config;
    m_reader.require(forward, u"url", path);
    m_reader.require(forward, u"events", path);
    QString url;
    if (m_reader.readString(forward, u"url", path, &url) && !url.isEmpty()) {
        config.url = QUrl(url, QUrl::StrictMode);
        const QString scheme = config.url.scheme();
        if (!config.url.isValid() || config.url.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            m_reader.fail(JsonReader::join(path, u"url"), QStringLiteral("expected an http:// or https:// URL"));
    }
    if (m_reader.readStringList(forward, u"events", path, &config.events, false)) {
        for (qsizetype i = 0; i < config.events.size(); ++i) {
            const QString &event = config.events.at(i);
            const QString eventPath = JsonReader::index(JsonReader::join(path, u"events"), i);
            if (event.isEmpty())
                m_reader.fail(eventPath, QStringLiteral("must not be empty"));
            else if (isReservedEvent(event))
                m_reader.fail(eventPath, QStringLiteral("\"%1\" is reserved or handled by the hub").arg(event));
        }
    }
    m_reader.readInt(forward, u"timeoutMs", path, 1, 600000, &config.timeoutMs);
    m_reader.readInt(forward, u"maxConcurrent", path, 1, 100000, &config.maxConcurrent);
    m_reader.readInt(forward, u"maxResponseBytes", path, qint64(1), qint64(64) << 20, &config.maxResponseBytes);
    if (const auto headers = m_reader.object(forward, u"headers", path)) {
        const QString headersPath = JsonReader::join(path, u"headers");
        for (auto it = headers->constBegin(); it != headers->constEnd(); ++it) {
            QString value;
            if (m_reader.toString(it.value(), JsonReader::join(headersPath, it.key()), &value, true))
                config.headers.append({it.key().toLatin1(), value.toUtf8()});
        }
    }
    return config;
}

} // namespace

bool validateRedisUrl(const QString &url, QString *error)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != QLatin1String("redis") || parsed.host().isEmpty()) {
        *error = QStringLiteral("expected redis://[[user]:password@]host[:port][/db]");
        return false;
    }
    const int port = parsed.port(6379);
    bool dbOk = true;
    const QString db = parsed.path().mid(1);
    if (!db.isEmpty() && (db.toInt(&dbOk) < 0 || !dbOk)) {
        *error = QStringLiteral("the database must be a number (redis://host:port/0)");
        return false;
    }
    if (port <= 0 || port > 65535) {
        *error = QStringLiteral("invalid port");
        return false;
    }
    return true;
}

HubNamespaceConfig defaultHubNamespace()
{
    HubNamespaceConfig nsp;
    nsp.rooms = {QStringLiteral("public:*")};
    return nsp;
}

std::optional<ServiceConfig> parseServiceConfig(const QByteArray &json, QString *error, const ServiceConfig &base)
{
    const QByteArray stripped = stripJsonComments(json);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(stripped, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("invalid JSON at %1: %2")
                         .arg(describeOffset(stripped, parseError.offset), parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error)
            *error = QStringLiteral("expected a JSON object at the top level");
        return std::nullopt;
    }
    ConfigParser parser(base);
    std::optional<ServiceConfig> config = parser.parse(document.object());
    if (!config && error)
        *error = parser.errors().join(QLatin1Char('\n'));
    return config;
}

std::optional<ServiceConfig> loadServiceConfig(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    constexpr qint64 MaxConfigBytes = 4 * 1024 * 1024;
    if (file.size() > MaxConfigBytes) {
        if (error)
            *error = QStringLiteral("%1: larger than 4 MiB").arg(path);
        return std::nullopt;
    }
    QString problems;
    std::optional<ServiceConfig> config = parseServiceConfig(file.readAll(), &problems);
    if (!config && error) {
        QStringList lines = problems.split(QLatin1Char('\n'));
        for (QString &line : lines)
            line = path + QStringLiteral(": ") + line;
        *error = lines.join(QLatin1Char('\n'));
    }
    return config;
}

} // namespace Plugboard
