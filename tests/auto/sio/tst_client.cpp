// Client: CONNECT per namespace, refusals, invalid packets and the connect timeout, over
// real WebSockets on 127.0.0.1 (Node: socket.io/lib/client.ts).

#include "rawclient.h"

#include <sio/namespace.h>
#include <sio/parentnamespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Plugboard;
using namespace SioTest;

Q_DECLARE_METATYPE(SioTest::Message)

namespace {

std::unique_ptr<Server> startServer(ServerOptions options = {})
{
    auto io = std::make_unique<Server>(options);
    if (!io->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    io->of(QStringLiteral("/admin"));
    io->of(QStringLiteral("/probe"));
    io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    io->of([](const QString &name, const QCborMap &auth) {
        return name.startsWith(QLatin1String("/org-")) && auth.value(QStringLiteral("org")).toString() == name.mid(5);
    });
    Namespace *mw = io->of(QStringLiteral("/mw"));
    mw->use([](Socket *socket, const Namespace::Next &next) {
        if (socket->handshake().auth.value(QStringLiteral("token")).toString() == QLatin1String("ok"))
            return next(std::nullopt);
        next(ConnectError{QStringLiteral("nope"), {}});
    });
    return io;
}

QByteArray json(const QCborMap &map)
{
    return QJsonDocument(map.toJsonObject()).toJson(QJsonDocument::Compact);
}

Message text(const QByteArray &data)
{
    return {false, data};
}

Message binary(const QByteArray &data)
{
    return {true, data};
}

} // namespace

class tst_Client : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectReply_data();
    void connectReply();
    void invalidNamespace_data();
    void invalidNamespace();
    void packets_data();
    void packets();
    void secondConnectCloses_data();
    void secondConnectCloses();
    void connectTimeout();
    void refusedNamespaceCanBeRetried();
};

void tst_Client::connectReply_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArray>("auth");
    QTest::addColumn<QByteArray>("expectedAuth");

    QTest::newRow("main, no auth") << QByteArray("/") << QByteArray() << QByteArray("{}");
    QTest::newRow("main, auth") << QByteArray("/") << QByteArray(R"({"token":"123"})") << QByteArray(R"({"token":"123"})");
    QTest::newRow("static namespace") << QByteArray("/admin") << QByteArray() << QByteArray("{}");
    QTest::newRow("static namespace, nested auth")
        << QByteArray("/admin") << QByteArray(R"({"a":{"b":[1,2.5,null]},"u":"é"})")
        << QByteArray(R"({"a":{"b":[1,2.5,null]},"u":"é"})");
    QTest::newRow("regex child") << QByteArray("/dyn-42") << QByteArray() << QByteArray("{}");
    QTest::newRow("predicate child") << QByteArray("/org-acme") << QByteArray(R"({"org":"acme"})")
                                     << QByteArray(R"({"org":"acme"})");
}

void tst_Client::connectReply()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArray, auth);
    QFETCH(QByteArray, expectedAuth);

    auto io = startServer();
    QVERIFY(io);
    QSignalSpy created(io.get(), &Server::namespaceCreated);
    RawClient client(io->serverPort(), "&extra=1");
    QVERIFY(client.open());

    const QByteArray prefix = nsp == "/" ? QByteArray("40") : QByteArray("40" + nsp + ",");
    client.send(QByteArray(prefix + auth));
    const QByteArray reply = client.nextText();
    Namespace *ns = io->existingNamespace(QString::fromUtf8(nsp));
    QVERIFY(ns);
    QCOMPARE(ns->sockets().size(), 1);
    Socket *socket = ns->sockets().begin().value();
    QCOMPARE(reply, QByteArray(prefix + "{\"sid\":\"" + socket->id().toLatin1() + "\"}"));
    QCOMPARE(socket->id().size(), 20);
    QVERIFY(socket->id() != client.engineSid());
    QCOMPARE(socket->client()->id(), client.engineSid());
    QVERIFY(socket->pid().isEmpty()); // recovery is off
    QCOMPARE(json(socket->handshake().auth), expectedAuth);
    QCOMPARE(socket->handshake().address, QStringLiteral("127.0.0.1"));
    QCOMPARE(socket->handshake().query.value(QStringLiteral("EIO")).toString(), QStringLiteral("4"));
    QCOMPARE(socket->handshake().query.value(QStringLiteral("extra")).toString(), QStringLiteral("1"));
    QCOMPARE(socket->transportName(), QStringLiteral("websocket"));
    QCOMPARE(socket->rooms(), QSet<QString>{socket->id()});
    QVERIFY(socket->isConnected());
    // A dynamic child is created (and announced) on its first CONNECT.
    QCOMPARE(created.size(), nsp.startsWith("/dyn-") || nsp.startsWith("/org-") ? 1 : 0);
}

void tst_Client::invalidNamespace_data()
{
    QTest::addColumn<QByteArray>("connect");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("unknown") << QByteArray("40/x,") << QByteArray(R"(44/x,{"message":"Invalid namespace"})");
    QTest::newRow("unknown, name at end of string") << QByteArray("40/x") << QByteArray(R"(44/x,{"message":"Invalid namespace"})");
    QTest::newRow("unknown, with auth") << QByteArray(R"(40/x,{"token":"1"})") << QByteArray(R"(44/x,{"message":"Invalid namespace"})");
    QTest::newRow("regex does not match") << QByteArray("40/dyn-x,") << QByteArray(R"(44/dyn-x,{"message":"Invalid namespace"})");
    QTest::newRow("regex needs the whole name") << QByteArray("40/dyn-1/a,") << QByteArray(R"(44/dyn-1/a,{"message":"Invalid namespace"})");
    QTest::newRow("predicate refuses the auth") << QByteArray(R"(40/org-a,{"org":"b"})") << QByteArray(R"(44/org-a,{"message":"Invalid namespace"})");
    QTest::newRow("predicate without auth") << QByteArray("40/org-a,") << QByteArray(R"(44/org-a,{"message":"Invalid namespace"})");
    QTest::newRow("a parent's label is no namespace") << QByteArray("40/_0,") << QByteArray(R"(44/_0,{"message":"Invalid namespace"})");
}

void tst_Client::invalidNamespace()
{
    QFETCH(QByteArray, connect);
    QFETCH(QByteArray, expected);

    auto io = startServer();
    QVERIFY(io);
    const int namespaces = int(io->namespaces().size());
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    client.send(connect);
    QCOMPARE(client.nextText(), expected);
    QCOMPARE(io->namespaces().size(), namespaces);
    // The connection stays open; other namespaces work on it.
    QVERIFY(!client.connect("/").isEmpty());
    QVERIFY(!client.isClosed());
}

// Every packet is sent after CONNECT to "/"; the invalid ones end the whole connection
// ("forced close"), the valid ones leave it usable (a CONNECT to /probe still works).
void tst_Client::packets_data()
{
    QTest::addColumn<QList<Message>>("frames");
    QTest::addColumn<bool>("closes");

    QTest::newRow("event") << QList<Message>{text(R"(42["ok",1])")} << false;
    QTest::newRow("event with ack id") << QList<Message>{text(R"(4212["ok"])")} << false;
    QTest::newRow("event named by a number") << QList<Message>{text("42[1]")} << false;
    QTest::newRow("binary event") << QList<Message>{text(R"(451-["ok",{"_placeholder":true,"num":0}])"), binary("\x01\x02")} << false;
    QTest::newRow("ack for nothing pending") << QList<Message>{text(R"(437["late"])")} << false;
    QTest::newRow("namespace disconnect") << QList<Message>{text("41")} << false;

    QTest::newRow("garbage where the ack id goes") << QList<Message>{text("42abc")} << true;
    QTest::newRow("unknown packet type") << QList<Message>{text("49")} << true;
    QTest::newRow("event with an object") << QList<Message>{text(R"(42{"a":1})")} << true;
    QTest::newRow("event with an empty array") << QList<Message>{text("42[]")} << true;
    QTest::newRow("reserved event name") << QList<Message>{text(R"(42["connect"])")} << true;
    QTest::newRow("truncated JSON") << QList<Message>{text(R"(42["a",)")} << true;
    QTest::newRow("ack with an object") << QList<Message>{text(R"(431{"a":1})")} << true;
    QTest::newRow("disconnect with a payload") << QList<Message>{text(R"(41{"a":1})")} << true;
    QTest::newRow("bad attachment count") << QList<Message>{text(R"(45x-["a"])")} << true;
    QTest::newRow("too many attachments") << QList<Message>{text(R"(4511-["a"])")} << true;
    QTest::newRow("binary frame without header") << QList<Message>{binary("\x01")} << true;
    QTest::newRow("text while an attachment is due")
        << QList<Message>{text(R"(451-["a",{"_placeholder":true,"num":0}])"), text(R"(42["b"])")} << true;
    QTest::newRow("namespace not joined") << QList<Message>{text(R"(42/admin,["x"])")} << true;
    QTest::newRow("connect error from a client") << QList<Message>{text(R"(44{"message":"x"})")} << true;
}

void tst_Client::packets()
{
    QFETCH(QList<Message>, frames);
    QFETCH(bool, closes);

    auto io = startServer();
    QVERIFY(io);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(!client.connect().isEmpty());
    Socket *socket = io->mainNamespace()->sockets().begin().value();
    QSignalSpy disconnected(socket, &Socket::disconnected);
    QSignalSpy clientClosed(io.get(), &Server::clientDisconnected);

    for (const Message &frame : std::as_const(frames))
        client.send(frame);

    if (closes) {
        QVERIFY(client.waitClosed());
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("forced close"));
        QTRY_COMPARE(clientClosed.size(), 1);
        QCOMPARE(clientClosed.at(0).at(0).toString(), client.engineSid());
        QCOMPARE(clientClosed.at(0).at(1).toString(), QStringLiteral("forced close"));
    } else {
        QVERIFY(!client.connect("/probe").isEmpty());
        QVERIFY(!client.isClosed());
        QCOMPARE(clientClosed.size(), 0);
    }
}

void tst_Client::secondConnectCloses_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("main") << QByteArray("/");
    QTest::newRow("static") << QByteArray("/admin");
    QTest::newRow("dynamic") << QByteArray("/dyn-1");
}

// Node: a CONNECT for a namespace already joined is an invalid state; the connection closes.
void tst_Client::secondConnectCloses()
{
    QFETCH(QByteArray, nsp);

    auto io = startServer();
    QVERIFY(io);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(!client.connect(nsp).isEmpty());
    Socket *socket = io->existingNamespace(QString::fromUtf8(nsp))->sockets().begin().value();
    QSignalSpy disconnected(socket, &Socket::disconnected);
    client.send(nsp == "/" ? QByteArray("40") : QByteArray("40" + nsp + ","));
    QVERIFY(client.waitClosed());
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("forced close"));
    QVERIFY(client.queue.isEmpty()); // no second CONNECT reply
}

void tst_Client::connectTimeout()
{
    ServerOptions options;
    options.connectTimeout = 200;
    auto io = startServer(options);
    QVERIFY(io);
    QSignalSpy clientClosed(io.get(), &Server::clientDisconnected);
    RawClient idle(io->serverPort());
    RawClient active(io->serverPort());
    QVERIFY(idle.open());
    QVERIFY(active.open());
    QVERIFY(!active.connect().isEmpty());

    QVERIFY(idle.waitClosed());
    QCOMPARE(clientClosed.size(), 1);
    QCOMPARE(clientClosed.at(0).at(0).toString(), idle.engineSid());
    // The one that joined a namespace in time outlives the timeout.
    QVERIFY(!active.isClosed());
    QVERIFY(!active.connect("/admin").isEmpty());
    QCOMPARE(io->clients().size(), 1);
}

// Node runs the middlewares again for a new CONNECT after a refusal (socket.io-client does
// this on socket.connect() after connect_error), on the same connection.
void tst_Client::refusedNamespaceCanBeRetried()
{
    auto io = startServer();
    QVERIFY(io);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(!client.connect("/").isEmpty());
    client.send(R"(40/mw,{"token":"bad"})");
    QCOMPARE(client.nextText(), QByteArray(R"(44/mw,{"message":"nope"})"));

    client.send(R"(40/mw,{"token":"ok"})");
    const QByteArray reply = client.nextText(2000);
    QVERIFY2(reply.startsWith("40/mw,{\"sid\":\""), reply.isEmpty() && client.isClosed() ? "connection closed" : reply.constData());
    QVERIFY(!client.isClosed());
}

void tst_Client::initTestCase()
{
    // Signal arguments declared with forward-declared types, for QSignalSpy.
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::Namespace *>();
}

QTEST_MAIN(tst_Client)
#include "tst_client.moc"
