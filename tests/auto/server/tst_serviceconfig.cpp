#include <serviceconfig.h>

#include <QtTest/QTest>

using namespace Plugboard;

class tst_ServiceConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void readsEveryField();
    void errors_data();
    void errors();
    void reportsEveryProblemAtOnce();
    void invalidJson();
    void commentsAreAllowed();
    void secretFromEnvironment();
    void shippedExample();
    void unreadableFile();
};

void tst_ServiceConfig::defaults()
{
    QString error;
    const auto config = parseServiceConfig("{}", &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->port, 3000);
    QCOMPARE(config->host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config->namespaces.size(), 1);
    QCOMPARE(config->namespaces.first().name, QStringLiteral("/"));
    QCOMPARE(config->namespaces.first().rooms, QStringList{QStringLiteral("public:*")});
    QVERIFY(config->api.keys.isEmpty());
    QCOMPARE(config->shutdown.event, QStringLiteral("server-shutting-down"));
    QVERIFY(!config->tls.isEnabled());
    QVERIFY(config->serveClient);
    QVERIFY(!config->demo);
    QVERIFY(config->server.engine.httpCompression.enabled);
    QCOMPARE(config->server.engine.httpCompression.threshold, 1024);
    QVERIFY(!config->server.engine.allowEIO3);
    QCOMPARE(config->server.engine.wsEngine, EngineOptions::WebSocketEngine::Qt);
    QVERIFY(!config->server.engine.perMessageDeflate.enabled);
    QCOMPARE(parseServiceConfig(R"({"httpCompression": false})", &error)->server.engine.httpCompression.enabled, false);
}

void tst_ServiceConfig::readsEveryField()
{
    QString error;
    const auto config = parseServiceConfig(R"({
        "host": "0.0.0.0", "port": 8080, "path": "/rt", "serveClient": false, "clientBundleDir": "/x", "demo": true,
        "pingInterval": 1000, "pingTimeout": 2000, "connectTimeout": 3000, "upgradeTimeout": 4000,
        "maxHttpBufferSize": 5000, "transports": ["websocket"], "allowUpgrades": false,
        "parser": "msgpack", "httpCompression": {"threshold": 4096}, "allowEIO3": true,
        "wsEngine": "native", "perMessageDeflate": {"threshold": 2048},
        "cors": {"origin": ["https://a.example"], "credentials": true, "methods": ["GET", "POST"], "maxAge": 60},
        "connectionStateRecovery": {"maxDisconnectionDuration": 1000, "skipMiddlewares": false},
        "tls": {"cert": "/c.pem", "key": "/k.pem"},
        "log": {"level": "warning", "format": "json"},
        "api": {"keys": ["0123456789abcdef"], "maxBodyBytes": 100, "maxAckTimeoutMs": 200},
        "shutdown": {"event": "bye", "reconnectInMs": 1, "drainTimeoutMs": 2},
        "adapter": {"type": "redis", "url": "redis://:pw@10.0.0.5:6380/2", "key": "app", "requestsTimeout": 900, "mode": "sharded", "subscriptionMode": "static"},
        "namespaces": [{
            "name": "/app",
            "auth": {"type": "jwt", "secret": "0123456789abcdef", "issuer": "i", "audience": "a", "leewaySeconds": 5},
            "rooms": ["user:{sub}"], "maxRoomsPerSocket": 3,
            "rateLimit": {"windowMs": 10, "maxEvents": 2, "events": {"chat": 1}, "disconnectAfter": 4},
            "forward": {"url": "http://127.0.0.1:1/x", "events": ["chat"], "timeoutMs": 7, "maxConcurrent": 8,
                        "maxResponseBytes": 9, "headers": {"X-Key": "v"}}
        }, {"name": "/ops", "auth": {"type": "token", "tokens": ["t1", "t2"]}}]
    })", &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->host, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config->port, 8080);
    QCOMPARE(config->server.path, QStringLiteral("/rt/"));
    QVERIFY(!config->serveClient);
    QCOMPARE(config->clientBundleDir, QStringLiteral("/x"));
    QVERIFY(config->demo);
    const EngineOptions &engine = config->server.engine;
    QCOMPARE(engine.pingInterval, 1000);
    QCOMPARE(engine.pingTimeout, 2000);
    QCOMPARE(config->server.connectTimeout, 3000);
    QCOMPARE(engine.upgradeTimeout, 4000);
    QCOMPARE(engine.maxHttpBufferSize, 5000);
    QCOMPARE(engine.transports, QStringList{QStringLiteral("websocket")});
    QVERIFY(!engine.allowUpgrades);
    QCOMPARE(config->server.parser, SocketIO::Parser::Msgpack);
    QVERIFY(engine.httpCompression.enabled);
    QCOMPARE(engine.httpCompression.threshold, 4096);
    QVERIFY(engine.allowEIO3);
    QCOMPARE(engine.wsEngine, EngineOptions::WebSocketEngine::Native);
    QVERIFY(engine.perMessageDeflate.enabled);
    QCOMPARE(engine.perMessageDeflate.threshold, 2048);
    QVERIFY(engine.cors);
    QCOMPARE(engine.cors->mode, CorsOptions::OriginMode::List);
    QCOMPARE(engine.cors->allowedOrigins, QStringList{QStringLiteral("https://a.example")});
    QVERIFY(engine.cors->credentials);
    QCOMPARE(engine.cors->methods, QByteArray("GET,POST"));
    QCOMPARE(engine.cors->maxAge, 60);
    QVERIFY(config->server.connectionStateRecovery.enabled);
    QCOMPARE(config->server.connectionStateRecovery.maxDisconnectionDuration, 1000);
    QVERIFY(!config->server.connectionStateRecovery.skipMiddlewares);
    QCOMPARE(config->tls.certificateFile, QStringLiteral("/c.pem"));
    QCOMPARE(config->tls.keyFile, QStringLiteral("/k.pem"));
    QCOMPARE(config->log.level, QtWarningMsg);
    QCOMPARE(config->log.format, LogConfig::Format::Json);
    QCOMPARE(config->api.keys, QList<QByteArray>{"0123456789abcdef"});
    QCOMPARE(config->api.maxBodyBytes, 100);
    QCOMPARE(config->api.maxAckTimeoutMs, 200);
    QCOMPARE(config->shutdown.event, QStringLiteral("bye"));
    QCOMPARE(config->shutdown.reconnectInMs, 1);
    QCOMPARE(config->shutdown.drainTimeoutMs, 2);

    QCOMPARE(config->namespaces.size(), 2);
    const HubNamespaceConfig &app = config->namespaces.at(0);
    QCOMPARE(app.name, QStringLiteral("/app"));
    QCOMPARE(app.auth.type, HubAuthConfig::Type::Jwt);
    QCOMPARE(app.auth.secret, QByteArray("0123456789abcdef"));
    QCOMPARE(app.auth.issuer, QStringLiteral("i"));
    QCOMPARE(app.auth.audience, QStringLiteral("a"));
    QCOMPARE(app.auth.leewaySeconds, 5);
    QCOMPARE(app.rooms, QStringList{QStringLiteral("user:{sub}")});
    QCOMPARE(app.maxRoomsPerSocket, 3);
    QCOMPARE(app.rateLimit.windowMs, 10);
    QCOMPARE(app.rateLimit.maxEvents, 2);
    QCOMPARE(app.rateLimit.perEvent.value(QStringLiteral("chat")), 1);
    QCOMPARE(app.rateLimit.disconnectAfter, 4);
    QVERIFY(app.forward);
    QCOMPARE(app.forward->url, QUrl(QStringLiteral("http://127.0.0.1:1/x")));
    QCOMPARE(app.forward->events, QStringList{QStringLiteral("chat")});
    QCOMPARE(app.forward->timeoutMs, 7);
    QCOMPARE(app.forward->maxConcurrent, 8);
    QCOMPARE(app.forward->maxResponseBytes, 9);
    QCOMPARE(app.forward->headers.size(), 1);
    QCOMPARE(app.forward->headers.first().first, QByteArray("X-Key"));
    const HubNamespaceConfig &ops = config->namespaces.at(1);
    QCOMPARE(ops.auth.type, HubAuthConfig::Type::Tokens);
    QCOMPARE(ops.auth.tokens, (QList<QByteArray>{"t1", "t2"}));
    QVERIFY(ops.rooms.isEmpty());
    QCOMPARE(config->adapter.type, AdapterConfig::Type::Redis);
    QCOMPARE(config->adapter.url, QStringLiteral("redis://:pw@10.0.0.5:6380/2"));
    QCOMPARE(config->adapter.key, QStringLiteral("app"));
    QCOMPARE(config->adapter.requestsTimeout, 900);
    QCOMPARE(config->adapter.mode, QStringLiteral("sharded"));
    QCOMPARE(config->adapter.subscriptionMode, QStringLiteral("static"));
}

void tst_ServiceConfig::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("top level not an object") << QByteArray("[]") << "expected a JSON object at the top level";
    // Every problem names its place on its own line (found by tests/fuzz/fuzz_serviceconfig).
    QTest::newRow("empty key") << QByteArray(R"({"": 1})") << "\"\": unknown key";
    QTest::newRow("empty nested key") << QByteArray(R"({"cors": {"": 1}})") << "cors.\"\": unknown key";
    QTest::newRow("line break in a key") << QByteArray("{\"a\\nb\": 1}") << "a\\nb: unknown key";
    QTest::newRow("control character in a key") << QByteArray("{\"a\\u0001\": 1}") << "a\\u0001: unknown key";
    QTest::newRow("line break in a value") << QByteArray(R"({"host": "1.2.3.4\nx"})")
                                           << "host: \"1.2.3.4\\nx\" is not an IP address";
    QTest::newRow("unknown key") << QByteArray(R"({"pingIntervall": 1})") << "pingIntervall: unknown key";
    QTest::newRow("port type") << QByteArray(R"({"port": "80"})") << "port: expected integer";
    QTest::newRow("port range") << QByteArray(R"({"port": 70000})") << "port: must be between 0 and 65535";
    QTest::newRow("fraction") << QByteArray(R"({"pingTimeout": 1.5})") << "pingTimeout: expected integer";
    QTest::newRow("host") << QByteArray(R"({"host": "example.com"})") << "host: \"example.com\" is not an IP address";
    QTest::newRow("path") << QByteArray(R"({"path": "socket"})") << "path: must start with '/'";
    QTest::newRow("transport") << QByteArray(R"({"transports": ["polling", "smoke"]})")
                               << "transports[1]: expected \"polling\" or \"websocket\"";
    QTest::newRow("parser") << QByteArray(R"({"parser": "protobuf"})")
                            << "parser: expected \"default\" or \"msgpack\"";
    QTest::newRow("httpCompression") << QByteArray(R"({"httpCompression": 1})")
                                     << "httpCompression: expected object or boolean";
    QTest::newRow("wsEngine") << QByteArray(R"({"wsEngine": "uws"})") << "wsEngine: expected \"native\" or \"qt\"";
    QTest::newRow("perMessageDeflate on qt")
        << QByteArray(R"({"perMessageDeflate": true})")
        << "perMessageDeflate: needs \"wsEngine\": \"native\" (QtWebSockets cannot negotiate permessage-deflate)";
    QTest::newRow("httpCompression key") << QByteArray(R"({"httpCompression": {"level": 9}})")
                                         << "httpCompression.level: unknown key";
    QTest::newRow("no transport") << QByteArray(R"({"transports": []})") << "transports: must not be empty";
    QTest::newRow("cors key") << QByteArray(R"({"cors": {"origins": "*"}})") << "cors.origins: unknown key";
    QTest::newRow("cors origin") << QByteArray(R"({"cors": {"origin": [1]}})") << "cors.origin[0]: expected string";
    QTest::newRow("recovery") << QByteArray(R"({"connectionStateRecovery": 1})")
                              << "connectionStateRecovery: expected object or boolean";
    QTest::newRow("tls without key") << QByteArray(R"({"tls": {"cert": "/c"}})") << "tls.key: required";
    QTest::newRow("log format") << QByteArray(R"({"log": {"format": "xml"}})")
                                << "log.format: expected \"text\" or \"json\"";
    QTest::newRow("api key type") << QByteArray(R"({"api": {"keys": "k"}})") << "api.keys: expected array";
    QTest::newRow("shutdown event") << QByteArray(R"({"shutdown": {"event": "disconnect"}})")
                                    << "shutdown.event: \"disconnect\" is reserved";
    QTest::newRow("adapter type") << QByteArray(R"({"adapter": {"type": "mongo"}})")
                                  << "adapter.type: expected \"memory\" or \"redis\"";
    QTest::newRow("adapter url") << QByteArray(R"({"adapter": {"type": "redis", "url": "http://127.0.0.1"}})")
                                 << "adapter.url: expected redis://[[user]:password@]host[:port][/db]";
    QTest::newRow("adapter db") << QByteArray(R"({"adapter": {"url": "redis://127.0.0.1:6379/x"}})")
                                << "adapter.url: the database must be a number (redis://host:port/0)";
    QTest::newRow("adapter key") << QByteArray(R"({"adapter": {"key": "a#b"}})")
                                 << "adapter.key: must be non-empty, without '#'";
    QTest::newRow("adapter timeout") << QByteArray(R"({"adapter": {"requestsTimeout": 0}})")
                                     << "adapter.requestsTimeout: must be between 1 and 3600000";
    QTest::newRow("adapter mode") << QByteArray(R"({"adapter": {"mode": "streams"}})")
                                  << "adapter.mode: expected \"classic\" or \"sharded\"";
    QTest::newRow("adapter subscription mode") << QByteArray(R"({"adapter": {"mode": "sharded", "subscriptionMode": "all"}})")
                                               << "adapter.subscriptionMode: expected \"static\", \"dynamic\" or \"dynamic-private\"";
    QTest::newRow("adapter unknown key") << QByteArray(R"({"adapter": {"host": "x"}})") << "adapter.host: unknown key";
    QTest::newRow("namespaces type") << QByteArray(R"({"namespaces": {}})") << "namespaces: expected array";
    QTest::newRow("namespaces empty") << QByteArray(R"({"namespaces": []})") << "namespaces: must not be empty";
    QTest::newRow("namespace type") << QByteArray(R"({"namespaces": [1]})") << "namespaces[0]: expected object";
    QTest::newRow("namespace name") << QByteArray(R"({"namespaces": [{}]})") << "namespaces[0].name: required";
    QTest::newRow("rooms type") << QByteArray(R"({"namespaces": [{"name": "/"}, {"name": "/b", "rooms": "x"}]})")
                                << "namespaces[1].rooms: expected array";
    QTest::newRow("duplicate") << QByteArray(R"({"namespaces": [{"name": "/"}, {"name": "/"}]})")
                               << "namespaces[1].name: duplicate namespace \"/\"";
    QTest::newRow("auth type") << QByteArray(R"({"namespaces": [{"name": "/", "auth": {"type": "basic"}}]})")
                               << "namespaces[0].auth.type: expected \"none\", \"token\" or \"jwt\"";
    QTest::newRow("auth type missing") << QByteArray(R"({"namespaces": [{"name": "/", "auth": {}}]})")
                                       << "namespaces[0].auth.type: required";
    QTest::newRow("jwt short secret")
        << QByteArray(R"({"namespaces": [{"name": "/", "auth": {"type": "jwt", "secret": "short"}}]})")
        << "namespaces[0].auth.secret: too short (at least 16 bytes)";
    QTest::newRow("jwt both secrets")
        << QByteArray(R"({"namespaces": [{"name": "/", "auth": {"type": "jwt", "secret": "0123456789abcdef", "secretEnv": "X"}}]})")
        << "namespaces[0].auth: needs exactly one of \"secret\" and \"secretEnv\"";
    QTest::newRow("token with secret")
        << QByteArray(R"({"namespaces": [{"name": "/", "auth": {"type": "token", "tokens": ["a"], "secret": "s"}}]})")
        << "namespaces[0].auth.secret: only allowed with type \"jwt\"";
    QTest::newRow("rate limit event")
        << QByteArray(R"({"namespaces": [{"name": "/", "rateLimit": {"events": {"chat": 0}}}]})")
        << "namespaces[0].rateLimit.events.chat: must be between 1 and 1000000";
    QTest::newRow("forward url")
        << QByteArray(R"({"namespaces": [{"name": "/", "forward": {"url": "backend", "events": ["x"]}}]})")
        << "namespaces[0].forward.url: expected an http:// or https:// URL";
    QTest::newRow("forward events")
        << QByteArray(R"({"namespaces": [{"name": "/", "forward": {"url": "http://h/"}}]})")
        << "namespaces[0].forward.events: required";
    QTest::newRow("forward header")
        << QByteArray(R"({"namespaces": [{"name": "/", "forward": {"url": "http://h/", "events": ["x"], "headers": {"A": 1}}}]})")
        << "namespaces[0].forward.headers.A: expected string";
}

void tst_ServiceConfig::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!parseServiceConfig(json, &message));
    QCOMPARE(message, error);
}

void tst_ServiceConfig::reportsEveryProblemAtOnce()
{
    QString message;
    QVERIFY(!parseServiceConfig(R"({"port": -1, "x": 1, "namespaces": [{"name": "a", "rooms": [1, "{"]}]})", &message));
    QCOMPARE(message.split(QLatin1Char('\n')),
             (QStringList{QStringLiteral("x: unknown key"), QStringLiteral("port: must be between 0 and 65535"),
                          QStringLiteral("namespaces[0].name: must start with '/'"),
                          QStringLiteral("namespaces[0].rooms[0]: expected string")}));
}

void tst_ServiceConfig::invalidJson()
{
    QString message;
    QVERIFY(!parseServiceConfig("{\n  \"port\": 1,\n  \"host\" \"x\"\n}", &message));
    QVERIFY2(message.startsWith(QStringLiteral("invalid JSON at line 3, column ")), qPrintable(message));
}

void tst_ServiceConfig::commentsAreAllowed()
{
    QString message;
    const auto config = parseServiceConfig(R"({
        // a line comment with "quotes"
        "port": 4000, /* a block
        comment */ "path": "/a//b/*c*/"
    })", &message);
    QVERIFY2(config, qPrintable(message));
    QCOMPARE(config->port, 4000);
    QCOMPARE(config->server.path, QStringLiteral("/a//b/*c*/"));
}

void tst_ServiceConfig::secretFromEnvironment()
{
    const QByteArray json = R"({"namespaces": [{"name": "/", "auth": {"type": "jwt", "secretEnv": "TST_PLUGBOARD_SECRET"}}]})";
    QString message;
    qunsetenv("TST_PLUGBOARD_SECRET");
    QVERIFY(!parseServiceConfig(json, &message));
    QCOMPARE(message, QStringLiteral("namespaces[0].auth.secretEnv: environment variable TST_PLUGBOARD_SECRET is not set"));
    qputenv("TST_PLUGBOARD_SECRET", "from-the-environment-123");
    const auto config = parseServiceConfig(json, &message);
    QVERIFY2(config, qPrintable(message));
    QCOMPARE(config->namespaces.first().auth.secret, QByteArray("from-the-environment-123"));
}

void tst_ServiceConfig::shippedExample()
{
    qputenv("PLUGBOARD_JWT_SECRET", "example-secret-0123456789");
    QString message;
    const auto config = loadServiceConfig(QStringLiteral(PLUGBOARD_RESOURCES "/plugboard.example.jsonc"), &message);
    QVERIFY2(config, qPrintable(message));
    QCOMPARE(config->namespaces.size(), 3);
    QVERIFY(config->namespaces.at(1).forward);
}

void tst_ServiceConfig::unreadableFile()
{
    QString message;
    QVERIFY(!loadServiceConfig(QStringLiteral("/nonexistent/plugboard.json"), &message));
    QVERIFY2(message.startsWith(QStringLiteral("/nonexistent/plugboard.json: cannot read")), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_ServiceConfig)
#include "tst_serviceconfig.moc"
