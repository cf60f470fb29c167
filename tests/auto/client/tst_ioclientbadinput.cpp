// Plugboard::Client against servers that misbehave: garbage, malformed packets, oversized
// answers, silence and hang-ups. Every case must end in connect_error or disconnect with a
// clear reason, never a crash, a hang or unbounded memory.
#include "client/io.h"
#include "http/httprequestparser.h"

#include <QtCore/QCborMap>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>
#include <memory>

using namespace Plugboard;

namespace {

// A hostile HTTP peer on 127.0.0.1: every request is answered with what respond() returns
// (raw bytes, written as they are); an empty answer leaves the request unanswered, close
// hangs up after writing.
class HostileServer : public QObject
{
public:
    struct Answer
    {
        QByteArray bytes;
        bool close = false;
    };
    using Responder = std::function<Answer(const HttpRequest &request, int index)>;

    explicit HostileServer(Responder respond) : m_respond(std::move(respond))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    int requests() const { return m_index; }

private:
    void serve(QTcpSocket *socket)
    {
        auto parser = std::make_shared<HttpRequestParser>();
        socket->setParent(this);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, parser] {
            QByteArray data = socket->readAll();
            while (!data.isEmpty()) {
                const HttpRequestParser::Result result = parser->feed(data);
                if (result.status == HttpRequestParser::Status::NeedMore)
                    return;
                data.remove(0, result.consumed);
                if (result.status == HttpRequestParser::Status::Error) {
                    socket->abort();
                    return;
                }
                const HttpRequest request = parser->takeRequest();
                parser->reset();
                const Answer answer = m_respond(request, m_index++);
                socket->write(answer.bytes);
                if (answer.close) {
                    socket->disconnectFromHost();
                    return;
                }
                if (result.status == HttpRequestParser::Status::Upgrade)
                    return;
            }
        });
    }

    QTcpServer m_server;
    Responder m_respond;
    int m_index = 0;
};

QByteArray ok(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

const QByteArray Handshake = R"(0{"sid":"hostile-session","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";

// A polling server that does the Engine.IO handshake right, takes every POST, answers the first
// poll of the session with firstPoll and leaves later polls waiting.
HostileServer::Responder handshakeThenPoll(const QByteArray &firstPoll)
{
    auto polled = std::make_shared<bool>(false);
    return [firstPoll, polled](const HttpRequest &request, int) {
        if (request.method == "POST")
            return HostileServer::Answer{ok("ok"), false};
        if (!request.target.contains("sid="))
            return HostileServer::Answer{ok(Handshake), false};
        if (std::exchange(*polled, true))
            return HostileServer::Answer{};
        return HostileServer::Answer{ok(firstPoll), false};
    };
}

Io::ManagerOptions options(const QString &transport)
{
    Io::ManagerOptions options;
    options.reconnection = false;
    options.timeout = 2000;
    options.engine.transports = {transport};
    return options;
}

} // namespace

class TestIoClientBadInput : public QObject
{
    Q_OBJECT

private:
    // Connects to the server and returns the connect_error message (empty if none came).
    static QString connectError(const QUrl &url, const Io::ManagerOptions &managerOptions)
    {
        Io::Manager manager(url, managerOptions);
        Io::Socket *socket = manager.socket();
        QSignalSpy errors(socket, &Io::Socket::connectError);
        if (!errors.wait(5000))
            return {};
        if (socket->isConnected())
            return QStringLiteral("connected");
        return errors.at(0).at(0).toString();
    }

private Q_SLOTS:
    void handshakeFailures_data()
    {
        QTest::addColumn<QString>("transport");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("close");
        QTest::addColumn<QString>("error");
        QTest::newRow("polling: not HTTP") << "polling" << QByteArray("HELLO THERE\r\n\r\n") << true << "xhr poll error";
        QTest::newRow("polling: hang-up") << "polling" << QByteArray() << true << "xhr poll error";
        QTest::newRow("polling: 500") << "polling" << QByteArray("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n") << false << "xhr poll error";
        QTest::newRow("polling: bad payload") << "polling" << ok("9zzz") << false << "parse error";
        QTest::newRow("polling: open packet not JSON") << "polling" << ok("0{not json") << false << "parse error";
        QTest::newRow("polling: open packet without sid") << "polling" << ok(R"(0{"pingInterval":1})") << false << "parse error";
        QTest::newRow("polling: endless Content-Length")
            << "polling" << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n0{") << false << "xhr poll error";
        QTest::newRow("websocket: not HTTP") << "websocket" << QByteArray("HELLO THERE\r\n\r\n") << true << "websocket error";
        QTest::newRow("websocket: hang-up") << "websocket" << QByteArray() << true << "websocket error";
        QTest::newRow("websocket: refused upgrade") << "websocket" << ok("no") << false << "websocket error";
        QTest::newRow("websocket: wrong accept key")
            << "websocket"
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n")
            << false << "websocket error";
    }
    void handshakeFailures()
    {
        QFETCH(QString, transport);
        QFETCH(QByteArray, answer);
        QFETCH(bool, close);
        QFETCH(QString, error);
        HostileServer server([&](const HttpRequest &, int) { return HostileServer::Answer{answer, close}; });
        Io::ManagerOptions managerOptions = options(transport);
        managerOptions.engine.maxIncomingBytes = 1024 * 1024;
        QCOMPARE(connectError(server.url(), managerOptions), error);
    }

    void silentServerTimesOut()
    {
        HostileServer server([](const HttpRequest &, int) { return HostileServer::Answer{}; });
        Io::ManagerOptions managerOptions = options(QStringLiteral("polling"));
        managerOptions.timeout = 300;
        QCOMPARE(connectError(server.url(), managerOptions), QStringLiteral("timeout"));
    }

    void oversizedChunkedStreamIsCut()
    {
        // A chunked answer that never ends: the client stops reading at maxIncomingBytes.
        HostileServer server([](const HttpRequest &, int) {
            QByteArray bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            const QByteArray chunk(60000, 'x');
            for (int i = 0; i < 40; ++i)
                bytes += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
            return HostileServer::Answer{bytes, false};
        });
        Io::ManagerOptions managerOptions = options(QStringLiteral("polling"));
        managerOptions.engine.maxIncomingBytes = 512 * 1024;
        QCOMPARE(connectError(server.url(), managerOptions), QStringLiteral("xhr poll error"));
    }

    // After a good Engine.IO handshake the server's next poll carries what the row says.
    void badSocketIoPackets_data()
    {
        QTest::addColumn<QByteArray>("poll");
        QTest::addColumn<QString>("closeReason");
        QTest::newRow("unknown packet type") << QByteArray("4Zgarbage") << "parse error";
        QTest::newRow("event that is not an array") << QByteArray("42{\"a\":1}") << "parse error";
        QTest::newRow("bad JSON") << QByteArray("42[\"x\",") << "parse error";
        QTest::newRow("too many attachments") << QByteArray("451000-[\"x\"]") << "parse error";
        QTest::newRow("close packet") << QByteArray("1") << "transport close";
    }
    void badSocketIoPackets()
    {
        QFETCH(QByteArray, poll);
        QFETCH(QString, closeReason);
        HostileServer server(handshakeThenPoll(poll));
        Io::Manager manager(server.url(), options(QStringLiteral("polling")));
        QSignalSpy closed(&manager, &Io::Manager::closed);
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.at(0).at(0).toString(), closeReason);
        QCOMPARE(manager.readyState(), Io::Manager::ReadyState::Closed);
    }

    void otherNamespacesAreIgnored()
    {
        // A CONNECT for a namespace this client never asked for, then its own.
        HostileServer server(handshakeThenPoll("40/elsewhere,{\"sid\":\"nope\"}\x1e" "40{\"sid\":\"mine\"}"));
        Io::Manager manager(server.url(), options(QStringLiteral("polling")));
        Io::Socket *socket = manager.socket();
        QSignalSpy connected(socket, &Io::Socket::connected);
        QVERIFY(connected.wait(5000));
        QCOMPARE(socket->id(), QStringLiteral("mine"));
    }

    void reconnectionGivesUpAfterItsAttempts()
    {
        // A port nobody listens on (taken, then released).
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        Io::ManagerOptions managerOptions = options(QStringLiteral("websocket"));
        managerOptions.reconnection = true;
        managerOptions.reconnectionAttempts = 3;
        managerOptions.reconnectionDelay = 10;
        managerOptions.reconnectionDelayMax = 40;
        Io::Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), managerOptions);
        Io::Socket *socket = manager.socket();
        QSignalSpy attempts(&manager, &Io::Manager::reconnectAttempt);
        QSignalSpy reconnectErrors(&manager, &Io::Manager::reconnectError);
        QSignalSpy failed(&manager, &Io::Manager::reconnectFailed);
        QSignalSpy connectErrors(socket, &Io::Socket::connectError);
        QVERIFY(failed.wait(5000));
        QCOMPARE(attempts.size(), 3);
        QCOMPARE(attempts.at(0).at(0).toInt(), 1);
        QCOMPARE(attempts.at(2).at(0).toInt(), 3);
        QCOMPARE(reconnectErrors.size(), 3);
        QCOMPARE(connectErrors.size(), 4); // the first attempt and each reconnection
        QCOMPARE(connectErrors.at(0).at(0).toString(), QStringLiteral("websocket error"));
        QVERIFY(!manager.isReconnecting());
        QVERIFY(socket->isActive()); // connect() would start again, as in Node
    }

    void connectWithoutSidIsAVersionMismatch()
    {
        HostileServer server(handshakeThenPoll("40")); // what a Socket.IO v2 server answers
        Io::Manager manager(server.url(), options(QStringLiteral("polling")));
        Io::Socket *socket = manager.socket();
        QSignalSpy errors(socket, &Io::Socket::connectError);
        QVERIFY(errors.wait(5000));
        QVERIFY(errors.at(0).at(0).toString().startsWith(QStringLiteral("It seems you are trying to reach a Socket.IO server in v2.x")));
    }
};

QTEST_GUILESS_MAIN(TestIoClientBadInput)
#include "tst_ioclientbadinput.moc"
