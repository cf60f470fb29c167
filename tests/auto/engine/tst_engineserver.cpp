// EngineServer behind a real HttpServer on 127.0.0.1, driven with raw HTTP over QTcpSocket and
// with a QWebSocket client: handshakes, request errors, polling echo, close, heartbeat, limits.

#include "engine/engineserver.h"
#include "engine/enginesocket.h"
#include "engine/outboundmessage.h"
#include "http/httpserver.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <memory>

using namespace Plugboard;

namespace {

constexpr int Timeout = 3000;

QByteArray httpRequest(const QByteArray &method, const QByteArray &target,
                       const QByteArray &body = {}, const QByteArrayList &extraHeaders = {})
{
    QByteArray request =
        method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const QByteArray &header : extraHeaders)
        request += header + "\r\n";
    if (method == "POST" || !body.isEmpty()) {
        bool typed = false;
        for (const QByteArray &header : extraHeaders)
            typed = typed || header.toLower().startsWith("content-type:");
        if (!typed)
            request += "Content-Type: text/plain;charset=UTF-8\r\n";
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    return request + "\r\n" + body;
}

QByteArray upgradeRequest(const QByteArray &target, const QByteArray &upgrade = "websocket")
{
    return "GET " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: " + upgrade +
           "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}

// One request on its own TCP connection; the answer is read as it comes (long polls are held).
class RawHttp
{
public:
    RawHttp(quint16 port, const QByteArray &request)
    {
        m_socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        m_socket.write(request);
    }

    // Runs the event loop until the response is complete (woken by the socket, no polling).
    bool waitForResponse(int timeout = Timeout)
    {
        QElapsedTimer elapsed;
        elapsed.start();
        while (!isAnswered()) {
            const qint64 remaining = timeout - elapsed.elapsed();
            if (remaining <= 0)
                return false;
            QEventLoop loop;
            QObject::connect(&m_socket, &QTcpSocket::readyRead, &loop, &QEventLoop::quit);
            QObject::connect(&m_socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
            QTimer::singleShot(remaining, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return true;
    }

    // Non-blocking: true once a complete response has arrived.
    bool isAnswered()
    {
        if (m_done)
            return true;
        m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        m_status = statusLine.value(1).toInt();
        m_headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                m_headers.append({lines.at(i).left(colon).trimmed().toLower(),
                                  lines.at(i).mid(colon + 1).trimmed()});
        }
        qsizetype length = 0;
        if (const QByteArray value = header("content-length"); !value.isNull())
            length = value.toLongLong();
        else if (m_socket.state() != QAbstractSocket::ConnectedState)
            length = m_buffer.size() - end - 4;
        if (m_buffer.size() - end - 4 < length)
            return false;
        m_body = m_buffer.mid(end + 4, length);
        m_done = true;
        return true;
    }

    int status() const { return m_status; }
    QByteArray body() const { return m_body; }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : m_headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    int m_status = 0;
    bool m_done = false;
};

QByteArray errorJson(int code, const QByteArray &message)
{
    return "{\"code\":" + QByteArray::number(code) + ",\"message\":\"" + message + "\"}";
}

} // namespace

class tst_EngineServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void handshakePolling();
    void requestErrors_data();
    void requestErrors();
    void sessionRequestErrors_data();
    void sessionRequestErrors();
    void overlappingGet();
    void allowRequestRefuses();
    void corsHeaders();
    void echoPolling_data();
    void echoPolling();
    void closePacket();
    void closePacketAnswersPendingGet();
    void pingTimeout();
    void pongKeepsSessionAlive();
    void bodyLimit_data();
    void bodyLimit();
    void webSocketSession();
    void webSocketRefused_data();
    void webSocketRefused();
    void upgradeToWebSocket();
    void transportsOption();

private:
    void start(const EngineOptions &options = {});
    // The handshake over polling; returns the sid, or an empty string (after a failed check).
    QString pollingHandshake();

    std::unique_ptr<HttpServer> m_http;
    std::unique_ptr<EngineServer> m_engine;
    quint16 m_port = 0;
};

void tst_EngineServer::start(const EngineOptions &options)
{
    m_http = std::make_unique<HttpServer>();
    m_engine = std::make_unique<EngineServer>(options);
    m_engine->attach(m_http.get());
    QVERIFY(m_http->listen(QHostAddress::LocalHost, 0));
    m_port = m_http->serverPort();
    QVERIFY(m_port != 0);
    // Echo every message back, text as text and binary as binary.
    connect(m_engine.get(), &EngineServer::newConnection, this, [](EngineSocket *socket) {
        connect(socket, &EngineSocket::messageReceived, socket,
                [socket](const QByteArray &data, bool binary) {
                    socket->send(binary ? OutboundMessage::binary(data) : OutboundMessage(data));
                });
    });
}

void tst_EngineServer::initTestCase()
{
    qRegisterMetaType<Plugboard::EngineSocket *>();
}

void tst_EngineServer::cleanup()
{
    m_engine.reset();
    m_http.reset();
}

QString tst_EngineServer::pollingHandshake()
{
    RawHttp get(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling&t=N8hyd6w"));
    if (!get.waitForResponse() || get.status() != 200 || !get.body().startsWith("0{\"sid\":"))
        return {};
    return QJsonDocument::fromJson(get.body().mid(1)).object().value(u"sid").toString();
}

void tst_EngineServer::handshakePolling()
{
    start();
    QSignalSpy connected(m_engine.get(), &EngineServer::newConnection);

    RawHttp get(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling&t=N8hyd6w"));
    QVERIFY(get.waitForResponse());
    QCOMPARE(get.status(), 200);
    QCOMPARE(get.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QVERIFY2(get.body().startsWith("0{\"sid\":"), get.body().constData());
    static const QRegularExpression open(
        QStringLiteral("^0\\{\"sid\":\"([A-Za-z0-9_-]{20})\",\"upgrades\":\\[\"websocket\"\\],"
                       "\"pingInterval\":25000,"
                       "\"pingTimeout\":20000,\"maxPayload\":1000000\\}$"));
    const QRegularExpressionMatch match = open.match(QString::fromUtf8(get.body()));
    QVERIFY2(match.hasMatch(), get.body().constData());

    QCOMPARE(connected.size(), 1);
    auto *socket = connected.first().first().value<EngineSocket *>();
    QVERIFY(socket);
    QCOMPARE(socket->id(), match.captured(1));
    QCOMPARE(socket->transportName(), u"polling"_qs);
    QCOMPARE(socket->state(), EngineSocket::State::Open);
    QCOMPARE(m_engine->clientsCount(), 1);
    QCOMPARE(m_engine->session(socket->id()), socket);
    QCOMPARE(socket->request().queryItem(u"t"), u"N8hyd6w"_qs);

    // A second handshake is another session with another id.
    const QString other = pollingHandshake();
    QVERIFY(!other.isEmpty());
    QVERIFY(other != socket->id());
    QCOMPARE(m_engine->clientsCount(), 2);
}

void tst_EngineServer::requestErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("unknown sid, GET")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=polling&sid=nope") << 400
        << errorJson(1, "Session ID unknown");
    QTest::newRow("unknown sid, POST")
        << QByteArray("POST") << QByteArray("/engine.io/?EIO=4&transport=polling&sid=nope") << 400
        << errorJson(1, "Session ID unknown");
    QTest::newRow("EIO=3") << QByteArray("GET") << QByteArray("/engine.io/?EIO=3&transport=polling")
                           << 400 << errorJson(5, "Unsupported protocol version");
    QTest::newRow("no EIO") << QByteArray("GET") << QByteArray("/engine.io/?transport=polling")
                            << 400 << errorJson(5, "Unsupported protocol version");
    QTest::newRow("unknown transport")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=foo") << 400
        << errorJson(0, "Transport unknown");
    QTest::newRow("no transport") << QByteArray("GET") << QByteArray("/engine.io/?EIO=4") << 400
                                  << errorJson(0, "Transport unknown");
    QTest::newRow("transport case matters")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=Polling") << 400
        << errorJson(0, "Transport unknown");
    QTest::newRow("POST handshake")
        << QByteArray("POST") << QByteArray("/engine.io/?EIO=4&transport=polling") << 400
        << errorJson(2, "Bad handshake method");
    QTest::newRow("PUT handshake")
        << QByteArray("PUT") << QByteArray("/engine.io/?EIO=4&transport=polling") << 400
        << errorJson(2, "Bad handshake method");
    QTest::newRow("websocket transport without Upgrade")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=websocket") << 400
        << errorJson(3, "Bad request");
    QTest::newRow("OPTIONS without CORS")
        << QByteArray("OPTIONS") << QByteArray("/engine.io/?EIO=4&transport=polling") << 400
        << QByteArray("Bad Request");
    QTest::newRow("other path") << QByteArray("GET")
                                << QByteArray("/socket.io/?EIO=4&transport=polling") << 404
                                << QByteArray("Not Found");
}

void tst_EngineServer::requestErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    start();
    QSignalSpy connected(m_engine.get(), &EngineServer::newConnection);
    QSignalSpy refused(m_engine.get(), &EngineServer::connectionError);

    RawHttp request(
        m_port, httpRequest(method, target, method == "POST" ? QByteArray("4x") : QByteArray()));
    QVERIFY(request.waitForResponse());
    QCOMPARE(request.status(), status);
    QCOMPARE(request.body(), body);
    if (body.startsWith('{')) {
        QCOMPARE(request.header("content-type"), QByteArray("application/json"));
        QCOMPARE(refused.size(), 1);
        const int code = QJsonDocument::fromJson(body).object().value(u"code").toInt();
        QCOMPARE(int(refused.first().at(1).value<EngineIO::RequestError>()), code);
    }
    QCOMPARE(connected.size(), 0);
    QCOMPARE(m_engine->clientsCount(), 0);
}

void tst_EngineServer::sessionRequestErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query"); // appended to ?EIO=4&sid=<sid>
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<int>("closeReason"); // -1: the session stays open

    const QByteArray polling("&transport=polling");
    QTest::newRow("transport mismatch") << QByteArray("GET") << QByteArray("&transport=websocket")
                                        << QByteArray() << QByteArrayList() << -1;
    QTest::newRow("empty body") << QByteArray("POST") << polling << QByteArray() << QByteArrayList()
                                << int(CloseReason::ParseError);
    QTest::newRow("unknown packet type") << QByteArray("POST") << polling << QByteArray("7")
                                         << QByteArrayList() << int(CloseReason::ParseError);
    QTest::newRow("trailing separator") << QByteArray("POST") << polling << QByteArray("4a\x1e")
                                        << QByteArrayList() << int(CloseReason::ParseError);
    QTest::newRow("empty element") << QByteArray("POST") << polling
                                   << QByteArray("4a\x1e\x1e"
                                                 "4b")
                                   << QByteArrayList() << int(CloseReason::ParseError);
    QTest::newRow("bad base64") << QByteArray("POST") << polling << QByteArray("b!!!")
                                << QByteArrayList() << int(CloseReason::ParseError);
    QTest::newRow("v3 binary body")
        << QByteArray("POST") << polling << QByteArray("\x04\x01\x02", 3)
        << QByteArrayList{"Content-Type: application/octet-stream"} << int(CloseReason::ParseError);
}

void tst_EngineServer::sessionRequestErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(int, closeReason);

    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    EngineSocket *socket = m_engine->session(sid);
    QVERIFY(socket);
    QSignalSpy closed(socket, &EngineSocket::closed);
    QSignalSpy received(socket, &EngineSocket::messageReceived);

    RawHttp request(m_port, httpRequest(method, "/engine.io/?EIO=4&sid=" + sid.toLatin1() + query,
                                        body, headers));
    QVERIFY(request.waitForResponse());
    QCOMPARE(request.status(), 400);
    QCOMPARE(request.body(), errorJson(3, "Bad request"));
    QCOMPARE(request.header("content-type"), QByteArray("application/json"));
    QCOMPARE(received.size(), 0);
    if (closeReason < 0) {
        QCOMPARE(closed.size(), 0);
        QCOMPARE(m_engine->clientsCount(), 1);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
        QCOMPARE(int(closed.first().first().value<CloseReason>()), closeReason);
        QCOMPARE(m_engine->clientsCount(), 0);
    }
}

void tst_EngineServer::overlappingGet()
{
    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy closed(m_engine->session(sid), &EngineSocket::closed);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    RawHttp first(m_port, httpRequest("GET", target));
    // The first GET is held: wait until the server has it (a POST goes through after it).
    RawHttp post(m_port, httpRequest("POST", target, "3"));
    QVERIFY(post.waitForResponse());
    QVERIFY(!first.isAnswered());

    RawHttp second(m_port, httpRequest("GET", target));
    QVERIFY(second.waitForResponse());
    QCOMPARE(second.status(), 400);
    QCOMPARE(second.body(), errorJson(3, "Bad request"));
    // Node: "overlap from client" is a transport error; the held GET gets the close packet.
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
    QCOMPARE(closed.first().first().value<CloseReason>(), CloseReason::TransportError);
    QVERIFY(first.waitForResponse());
    QCOMPARE(first.status(), 200);
    QCOMPARE(first.body(), QByteArray("1"));
}

void tst_EngineServer::allowRequestRefuses()
{
    EngineOptions options;
    options.allowRequest = [](const HttpRequest &request, QString *message) {
        if (request.header("authorization") == "Bearer ok")
            return true;
        *message = u"Thou shalt not \"pass\""_qs;
        return false;
    };
    start(options);
    QSignalSpy refused(m_engine.get(), &EngineServer::connectionError);

    RawHttp denied(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling"));
    QVERIFY(denied.waitForResponse());
    QCOMPARE(denied.status(), 403);
    QCOMPARE(denied.body(), QByteArray("{\"code\":4,\"message\":\"Thou shalt not \\\"pass\\\"\"}"));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().at(1).value<EngineIO::RequestError>(),
             EngineIO::RequestError::Forbidden);
    QCOMPARE(refused.first().at(2).toString(), u"Thou shalt not \"pass\""_qs);

    RawHttp allowed(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling", {},
                                        {"Authorization: Bearer ok"}));
    QVERIFY(allowed.waitForResponse());
    QCOMPARE(allowed.status(), 200);
    QVERIFY(allowed.body().startsWith("0{\"sid\":"));
}

void tst_EngineServer::corsHeaders()
{
    EngineOptions options;
    options.cors = CorsOptions::allowAny();
    start(options);

    RawHttp preflight(
        m_port, httpRequest("OPTIONS", "/engine.io/?EIO=4&transport=polling", {},
                            {"Origin: https://a.example", "Access-Control-Request-Method: POST",
                             "Access-Control-Request-Headers: content-type"}));
    QVERIFY(preflight.waitForResponse());
    QCOMPARE(preflight.status(), 204);
    QCOMPARE(preflight.header("access-control-allow-origin"), QByteArray("*"));
    QCOMPARE(preflight.header("access-control-allow-methods"),
             QByteArray("GET,HEAD,PUT,PATCH,POST,DELETE"));
    QCOMPARE(preflight.header("access-control-allow-headers"), QByteArray("content-type"));

    // Error answers carry the CORS headers too (Node).
    RawHttp error(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling&sid=nope", {},
                                      {"Origin: https://a.example"}));
    QVERIFY(error.waitForResponse());
    QCOMPARE(error.status(), 400);
    QCOMPARE(error.header("access-control-allow-origin"), QByteArray("*"));

    RawHttp handshake(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling", {},
                                          {"Origin: https://a.example"}));
    QVERIFY(handshake.waitForResponse());
    QCOMPARE(handshake.status(), 200);
    QCOMPARE(handshake.header("access-control-allow-origin"), QByteArray("*"));
}

void tst_EngineServer::echoPolling_data()
{
    QTest::addColumn<QByteArray>("posted");
    QTest::addColumn<QByteArray>("echoed");

    QTest::newRow("text") << QByteArray("4hello") << QByteArray("4hello");
    QTest::newRow("empty text") << QByteArray("4") << QByteArray("4");
    QTest::newRow("UTF-8 text") << QByteArray("4h\xc3\xa9llo \xe2\x9c\x93")
                                << QByteArray("4h\xc3\xa9llo \xe2\x9c\x93");
    QTest::newRow("binary") << QByteArray("bAQIDBA==") << QByteArray("bAQIDBA==");
    QTest::newRow("empty binary") << QByteArray("b") << QByteArray("b");
    QTest::newRow("batch") << QByteArray("4a\x1e"
                                         "4b\x1e"
                                         "4c")
                           << QByteArray("4a\x1e"
                                         "4b\x1e"
                                         "4c");
    QTest::newRow("socket.io binary event")
        << QByteArray("451-[\"ev\",{\"_placeholder\":true,\"num\":0}]\x1e"
                      "bAQIDBA==")
        << QByteArray("451-[\"ev\",{\"_placeholder\":true,\"num\":0}]\x1e"
                      "bAQIDBA==");
}

void tst_EngineServer::echoPolling()
{
    QFETCH(QByteArray, posted);
    QFETCH(QByteArray, echoed);

    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy received(m_engine->session(sid), &EngineSocket::messageReceived);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    RawHttp post(m_port, httpRequest("POST", target, posted));
    QVERIFY(post.waitForResponse());
    QCOMPARE(post.status(), 200);
    QCOMPARE(post.body(), QByteArray("ok"));
    QCOMPARE(post.header("content-type"), QByteArray("text/html"));
    QCOMPARE(received.size(), posted.count('\x1e') + 1);
    if (posted.startsWith('b')) {
        QVERIFY(received.first().at(1).toBool());
        QCOMPARE(received.first().at(0).toByteArray(), QByteArray::fromBase64(posted.mid(1)));
    } else {
        QVERIFY(!received.first().at(1).toBool());
    }

    RawHttp get(m_port, httpRequest("GET", target));
    QVERIFY(get.waitForResponse());
    QCOMPARE(get.status(), 200);
    QCOMPARE(get.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(get.body(), echoed);
}

void tst_EngineServer::closePacket()
{
    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy closed(m_engine->session(sid), &EngineSocket::closed);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    RawHttp post(m_port, httpRequest("POST", target, "1"));
    QVERIFY(post.waitForResponse());
    QCOMPARE(post.status(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
    QCOMPARE(closed.first().first().value<CloseReason>(), CloseReason::TransportClose);
    QCOMPARE(closeReasonText(CloseReason::TransportClose), u"transport close"_qs);
    QCOMPARE(m_engine->clientsCount(), 0);

    // The sid is forgotten.
    RawHttp get(m_port, httpRequest("GET", target));
    QVERIFY(get.waitForResponse());
    QCOMPARE(get.status(), 400);
    QCOMPARE(get.body(), errorJson(1, "Session ID unknown"));
}

void tst_EngineServer::closePacketAnswersPendingGet()
{
    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy closed(m_engine->session(sid), &EngineSocket::closed);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    RawHttp get(m_port, httpRequest("GET", target));
    RawHttp ping(m_port, httpRequest("POST", target, "3")); // the GET is held once this is answered
    QVERIFY(ping.waitForResponse());
    QVERIFY(!get.isAnswered());

    RawHttp post(m_port, httpRequest("POST", target, "1"));
    QVERIFY(post.waitForResponse());
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
    QCOMPARE(closed.first().first().value<CloseReason>(), CloseReason::TransportClose);
    // The official suite expects a noop on the pending GET.
    QVERIFY(get.waitForResponse());
    QCOMPARE(get.status(), 200);
    QCOMPARE(get.body(), QByteArray("6"));
}

void tst_EngineServer::pingTimeout()
{
    EngineOptions options;
    options.pingInterval = 100;
    options.pingTimeout = 100;
    start(options);

    RawHttp get(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling"));
    QVERIFY(get.waitForResponse());
    QVERIFY2(get.body().contains("\"pingInterval\":100,\"pingTimeout\":100"),
             get.body().constData());
    QElapsedTimer elapsed;
    elapsed.start();
    QCOMPARE(m_engine->sessions().size(), 1);
    QSignalSpy closed(m_engine->sessions().first(), &EngineSocket::closed);

    // Nobody answers the ping: closed after pingInterval + pingTimeout.
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(closed.first().first().value<CloseReason>(), CloseReason::PingTimeout);
    QCOMPARE(closeReasonText(CloseReason::PingTimeout), u"ping timeout"_qs);
    QVERIFY2(elapsed.elapsed() >= 150, QByteArray::number(elapsed.elapsed()).constData());
    QCOMPARE(m_engine->clientsCount(), 0);
}

void tst_EngineServer::pongKeepsSessionAlive()
{
    EngineOptions options;
    options.pingInterval = 150;
    options.pingTimeout = 1000;
    start(options);
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy closed(m_engine->session(sid), &EngineSocket::closed);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    for (int round = 0; round < 2; ++round) {
        RawHttp get(m_port, httpRequest("GET", target));
        QVERIFY(get.waitForResponse());
        QCOMPARE(get.body(), QByteArray("2")); // the server's ping
        RawHttp pong(m_port, httpRequest("POST", target, "3"));
        QVERIFY(pong.waitForResponse());
        QCOMPARE(pong.status(), 200);
    }
    QCOMPARE(closed.size(), 0);
    QCOMPARE(m_engine->clientsCount(), 1);
}

void tst_EngineServer::bodyLimit_data()
{
    QTest::addColumn<QByteArray>("request"); // %1 replaced by the sid
    QTest::addColumn<int>("status");

    const auto post = [](const QByteArray &body) {
        return httpRequest("POST", "/engine.io/?EIO=4&transport=polling&sid=%1", body);
    };
    QTest::newRow("at the limit") << post("4" + QByteArray(99, 'a')) << 200;
    QTest::newRow("one message per byte") << post(QByteArray("4a\x1e").repeated(33) + "4") << 200;
    QTest::newRow("one byte over") << post("4" + QByteArray(100, 'a')) << 413;
    QTest::newRow("far over") << post("4" + QByteArray(100000, 'a')) << 413;
    QTest::newRow("chunked, over")
        << QByteArray(
               "POST /engine.io/?EIO=4&transport=polling&sid=%1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
               "64\r\n4" +
               QByteArray(99, 'a') + "\r\n1\r\na\r\n0\r\n\r\n")
        << 413;
}

void tst_EngineServer::bodyLimit()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);

    EngineOptions options;
    options.maxHttpBufferSize = 100;
    start(options);
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    QSignalSpy received(m_engine->session(sid), &EngineSocket::messageReceived);

    RawHttp post(m_port, request.replace("%1", sid.toLatin1()));
    QVERIFY(post.waitForResponse());
    QCOMPARE(post.status(), status);
    if (status == 200)
        QVERIFY(received.size() > 0);
    else
        QCOMPARE(received.size(), 0);
}

void tst_EngineServer::webSocketSession()
{
    start();
    QSignalSpy connected(m_engine.get(), &EngineServer::newConnection);

    QWebSocket client;
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&client, &QWebSocket::binaryMessageReceived);
    client.open(QUrl(u"ws://127.0.0.1:%1/engine.io/?EIO=4&transport=websocket"_qs.arg(m_port)));

    // The open packet comes first, with no upgrades.
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    const QString open = texts.takeFirst().first().toString();
    static const QRegularExpression openPattern(QStringLiteral(
        "^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\\],\"pingInterval\":25000,"
        "\"pingTimeout\":20000,\"maxPayload\":1000000\\}$"));
    QVERIFY2(openPattern.match(open).hasMatch(), qPrintable(open));
    QCOMPARE(connected.size(), 1);
    auto *socket = connected.first().first().value<EngineSocket *>();
    QVERIFY(socket);
    QCOMPARE(socket->transportName(), u"websocket"_qs);
    QVERIFY(open.startsWith(u"0{\"sid\":\"" + socket->id() + u"\","));
    QSignalSpy received(socket, &EngineSocket::messageReceived);
    QSignalSpy closed(socket, &EngineSocket::closed);

    client.sendTextMessage(u"4hello"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QCOMPARE(texts.takeFirst().first().toString(), u"4hello"_qs);
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(0).toByteArray(), QByteArray("hello"));
    QCOMPARE(received.first().at(1).toBool(), false);

    client.sendTextMessage(u"4h\u00e9 \u2713"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QCOMPARE(texts.takeFirst().first().toString(), u"4h\u00e9 \u2713"_qs);

    // Binary frames carry raw bytes: no type digit, no base64.
    const QByteArray bytes("\x01\x02\x03\x04", 4);
    client.sendBinaryMessage(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(binaries.size(), 1, Timeout);
    QCOMPARE(binaries.first().first().toByteArray(), bytes);
    QCOMPARE(received.last().at(0).toByteArray(), bytes);
    QCOMPARE(received.last().at(1).toBool(), true);

    client.sendBinaryMessage(QByteArray());
    QTRY_COMPARE_WITH_TIMEOUT(binaries.size(), 2, Timeout);
    QCOMPARE(binaries.last().first().toByteArray(), QByteArray());
    QCOMPARE(texts.size(), 0);

    // The client goes away: "transport close".
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Timeout);
    QCOMPARE(closed.first().first().value<CloseReason>(), CloseReason::TransportClose);
    QCOMPARE(m_engine->clientsCount(), 0);
}

void tst_EngineServer::webSocketRefused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("EIO=3") << upgradeRequest("/engine.io/?EIO=3&transport=websocket")
                           << errorJson(5, "Unsupported protocol version");
    QTest::newRow("unknown transport")
        << upgradeRequest("/engine.io/?EIO=4&transport=foo") << errorJson(0, "Transport unknown");
    QTest::newRow("unknown sid") << upgradeRequest("/engine.io/?EIO=4&transport=websocket&sid=nope")
                                 << errorJson(1, "Session ID unknown");
    QTest::newRow("upgrade on the polling transport")
        << upgradeRequest("/engine.io/?EIO=4&transport=polling") << errorJson(3, "Bad request");
    QTest::newRow("not a WebSocket upgrade")
        << upgradeRequest("/engine.io/?EIO=4&transport=websocket", "h2c")
        << errorJson(3, "Bad request");
}

void tst_EngineServer::webSocketRefused()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, body);

    start();
    QSignalSpy connected(m_engine.get(), &EngineServer::newConnection);
    RawHttp upgrade(m_port, request);
    QVERIFY(upgrade.waitForResponse());
    QCOMPARE(upgrade.status(), 400); // Node answers a refused upgrade with 400, not 101
    QCOMPARE(upgrade.body(), body);
    QCOMPARE(upgrade.header("content-type"), QByteArray("application/json"));
    QCOMPARE(connected.size(), 0);
    QCOMPARE(m_engine->clientsCount(), 0);
}

// The server's `transports` option: a transport left out is unknown, for new sessions and
// for upgrades alike (Node's verify() checks it first).
void tst_EngineServer::transportsOption()
{
    EngineOptions pollingOnly;
    pollingOnly.transports = {QStringLiteral("polling")};
    start(pollingOnly);
    RawHttp refusedUpgrade(m_port, upgradeRequest("/engine.io/?EIO=4&transport=websocket"));
    QVERIFY(refusedUpgrade.waitForResponse());
    QCOMPARE(refusedUpgrade.status(), 400);
    QCOMPARE(refusedUpgrade.body(), errorJson(0, "Transport unknown"));
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    // The handshake offers no upgrade.
    RawHttp again(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling"));
    QVERIFY(again.waitForResponse());
    QVERIFY2(again.body().contains(R"("upgrades":[])"), again.body().constData());
    RawHttp upgrade(m_port, upgradeRequest("/engine.io/?EIO=4&transport=websocket&sid=" + sid.toLatin1()));
    QVERIFY(upgrade.waitForResponse());
    QCOMPARE(upgrade.status(), 400);
    QCOMPARE(upgrade.body(), errorJson(0, "Transport unknown"));

    cleanup();
    EngineOptions webSocketOnly;
    webSocketOnly.transports = {QStringLiteral("websocket")};
    start(webSocketOnly);
    RawHttp refusedPolling(m_port, httpRequest("GET", "/engine.io/?EIO=4&transport=polling"));
    QVERIFY(refusedPolling.waitForResponse());
    QCOMPARE(refusedPolling.status(), 400);
    QCOMPARE(refusedPolling.body(), errorJson(0, "Transport unknown"));
    QWebSocket client;
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(u"ws://127.0.0.1:%1/engine.io/?EIO=4&transport=websocket"_qs.arg(m_port)));
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QVERIFY(texts.first().first().toString().startsWith(u"0{"_qs));
    QCOMPARE(m_engine->clientsCount(), 1);
    client.close();
}

void tst_EngineServer::upgradeToWebSocket()
{
    start();
    const QString sid = pollingHandshake();
    QVERIFY(!sid.isEmpty());
    EngineSocket *socket = m_engine->session(sid);
    QVERIFY(socket);
    QSignalSpy upgraded(socket, &EngineSocket::upgraded);
    QSignalSpy closed(socket, &EngineSocket::closed);
    const QByteArray target = "/engine.io/?EIO=4&transport=polling&sid=" + sid.toLatin1();

    RawHttp get(m_port, httpRequest("GET", target)); // held while the probe goes on
    QWebSocket client;
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    QSignalSpy opened(&client, &QWebSocket::connected);
    client.open(QUrl(
        u"ws://127.0.0.1:%1/engine.io/?EIO=4&transport=websocket&sid=%2"_qs.arg(m_port).arg(sid)));
    QVERIFY(opened.wait(Timeout));

    client.sendTextMessage(u"2probe"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QCOMPARE(texts.takeFirst().first().toString(), u"3probe"_qs);
    // The held GET is released with a noop so that the client can pause polling.
    QVERIFY(get.waitForResponse());
    QCOMPARE(get.status(), 200);
    QCOMPARE(get.body(), QByteArray("6"));
    QVERIFY(socket->isUpgrading());

    // Sent between the probe and the switch: must arrive, over the WebSocket.
    socket->send(OutboundMessage("queued"));
    client.sendTextMessage(u"5"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.size(), 1, Timeout);
    QCOMPARE(socket->transportName(), u"websocket"_qs);
    QVERIFY(socket->isUpgraded());
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QCOMPARE(texts.takeFirst().first().toString(), u"4queued"_qs);

    client.sendTextMessage(u"4after"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, Timeout);
    QCOMPARE(texts.takeFirst().first().toString(), u"4after"_qs);

    // Polling is over for this sid.
    RawHttp late(m_port, httpRequest("GET", target));
    QVERIFY(late.waitForResponse());
    QCOMPARE(late.status(), 400);
    QCOMPARE(late.body(), errorJson(3, "Bad request"));
    QCOMPARE(closed.size(), 0);
}

QTEST_GUILESS_MAIN(tst_EngineServer)
#include "tst_engineserver.moc"
