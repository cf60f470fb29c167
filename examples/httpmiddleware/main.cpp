// Engine.IO middleware and header hooks (Node's io.engine.use, "initial_headers", "headers"):
// the express-session and helmet examples of the Socket.IO guide, written for Plugboard.
//
//     plugboard-example-httpmiddleware [--port 3000] [--api-key KEY] [--node-name NAME]
//
// Every Engine.IO request gets helmet's headers and a signed session cookie; with --api-key,
// requests without that key (header x-api-key or query apiKey) are refused with 401 after an
// asynchronous check. The handshake answer sets a cookie naming this node for sticky load
// balancers, and every answer says which node served it. Sockets see their session through
// Socket::request(): the "session" event answers with it, "visit" counts visits per session.
#include "securityheaders.h"
#include "sessioncookie.h"

#include <constanttime.h>
#include <engine/engineserver.h>
#include <engine/wsengine.h>
#include <http/httpcookies.h>
#include <processtuning.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QCborMap>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <cstdio>

using namespace Plugboard;

namespace {

// Stands in for a lookup in a database: the verdict arrives later, on the event loop.
EngineMiddleware apiKeyCheck(const QByteArray &apiKey)
{
    return [apiKey](HttpRequest &request, HttpResponse &, const EngineNext &next) {
        const QByteArray presented = request.hasHeader("x-api-key") ? request.header("x-api-key")
                                                                    : request.queryItem(u"apiKey").toUtf8();
        QTimer::singleShot(0, [next, ok = constantTimeEquals(presented, apiKey)] {
            if (ok)
                return next(std::nullopt);
            next(HttpResponse::json(401, R"({"code":401,"message":"Unauthorized"})"));
        });
    };
}

} // namespace

int main(int argc, char **argv)
{
    tuneProcessForServing();
    useServingEventDispatcherOnMainThread();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption apiKeyOption(QStringLiteral("api-key"), QStringLiteral("Refuse requests without this key."),
                                          QStringLiteral("key"));
    const QCommandLineOption nodeOption(QStringLiteral("node-name"), QStringLiteral("This node's name."),
                                        QStringLiteral("name"), QStringLiteral("node-1"));
    parser.addOptions({portOption, apiKeyOption, nodeOption});
    parser.process(app);
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "plugboard-example-httpmiddleware: invalid --port\n");
        return 2;
    }

    ServerOptions options;
    options.engine.cors = CorsOptions::allowAny();
    // The headers reach the WebSocket 101 on the native engine only (QtWebSockets writes its own).
    options.engine.wsEngine = EngineOptions::WebSocketEngine::Native;
    if (!readWebSocketEngineFromEnvironment(&options.engine.wsEngine, "plugboard-example-httpmiddleware"))
        return 2;
    Server io(options);

    auto sessions = std::make_shared<Examples::SessionStore>();
    Examples::SessionCookieOptions cookieOptions;
    cookieOptions.secret = QByteArrayLiteral("keyboard cat"); // from the deployment's secrets in real use
    io.engine()->use(Examples::securityHeaders());
    if (parser.isSet(apiKeyOption))
        io.engine()->use(apiKeyCheck(parser.value(apiKeyOption).toUtf8()));
    io.engine()->use(Examples::sessionCookie(cookieOptions, sessions));

    const QByteArray node = parser.value(nodeOption).toUtf8();
    io.engine()->onInitialHeaders([node](QList<HttpHeader> &headers, const HttpRequest &) {
        HttpCookies::SetCookie sticky;
        sticky.name = QByteArrayLiteral("plugboard.node");
        sticky.value = node;
        headers.append({QByteArrayLiteral("Set-Cookie"), HttpCookies::serialize(sticky)});
    });
    io.engine()->onHeaders([node](QList<HttpHeader> &headers, const HttpRequest &) {
        headers.append({QByteArrayLiteral("X-Served-By"), node});
    });

    QObject::connect(io.mainNamespace(), &Namespace::socketConnected, &io, [sessions](Socket *socket) {
        const QString sessionId = socket->request().attributes.value(QStringLiteral("sessionId")).toString();
        socket->on(QStringLiteral("session"), [socket, sessionId](const QCborArray &, const Ack &ack) {
            QCborMap session;
            session.insert(QStringLiteral("id"), sessionId);
            session.insert(QStringLiteral("isNew"),
                           socket->request().attributes.value(QStringLiteral("sessionIsNew")).toBool());
            ack({session});
        });
        socket->on(QStringLiteral("visit"), [sessions, sessionId](const QCborArray &, const Ack &ack) {
            QVariantMap data = sessions->data(sessionId);
            const int visits = data.value(QStringLiteral("visits")).toInt() + 1;
            data.insert(QStringLiteral("visits"), visits);
            sessions->setData(sessionId, data);
            ack({visits});
        });
    });

    if (!io.listen(QHostAddress::LocalHost, quint16(port))) {
        std::fprintf(stderr, "plugboard-example-httpmiddleware: cannot listen: %s\n", qPrintable(io.errorString()));
        return 1;
    }
    std::printf("plugboard-example-httpmiddleware listening on 127.0.0.1:%u\n", unsigned(io.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
