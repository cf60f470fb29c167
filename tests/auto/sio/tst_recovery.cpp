// Connection-state recovery (ServerOptions::connectionStateRecovery, the in-memory adapter's
// session store): pid in the CONNECT reply, offsets appended to stored events, and the restore
// of id, rooms, data and missed packets after a transport problem (Node's SessionAwareAdapter).

#include "rawclient.h"

#include <adapter/adapter.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Plugboard;
using namespace SioTest;

namespace {

ServerOptions recoveryOptions()
{
    ServerOptions options;
    options.connectionStateRecovery.enabled = true;
    return options;
}

std::unique_ptr<Server> startServer(ServerOptions options = recoveryOptions())
{
    auto io = std::make_unique<Server>(options);
    if (!io->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    io->of(QStringLiteral("/admin"));
    return io;
}

// "42[...,"<offset>"]" -> offset; empty if the frame does not end with a string argument.
QString offsetOf(const QByteArray &frame)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral(",\"([^\"]+)\"\\]$")).match(QString::fromUtf8(frame));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class tst_Recovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectReplyHasPid_data();
    void connectReplyHasPid();
    void offsets();
    void restore_data();
    void restore();
};

void tst_Recovery::initTestCase()
{
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::Namespace *>();
}

void tst_Recovery::connectReplyHasPid_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("on, main") << true << QByteArray("/");
    QTest::newRow("on, namespace") << true << QByteArray("/admin");
    QTest::newRow("off") << false << QByteArray("/");
}

void tst_Recovery::connectReplyHasPid()
{
    QFETCH(bool, enabled);
    QFETCH(QByteArray, nsp);

    ServerOptions options = recoveryOptions();
    options.connectionStateRecovery.enabled = enabled;
    auto io = startServer(options);
    QVERIFY(io);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    const QString id = client.connect(nsp);
    QVERIFY(!id.isEmpty());
    Socket *socket = io->existingNamespace(QString::fromUtf8(nsp))->socket(id);
    QVERIFY(socket);
    const QByteArray prefix = nsp == "/" ? QByteArray("40") : QByteArray("40" + nsp + ",");
    if (enabled) {
        QCOMPARE(socket->pid().size(), 20);
        QVERIFY(socket->pid() != socket->id());
        QCOMPARE(client.lastConnectReply,
                 QByteArray(prefix + "{\"sid\":\"" + id.toLatin1() + "\",\"pid\":\"" + socket->pid().toLatin1() + "\"}"));
    } else {
        QVERIFY(socket->pid().isEmpty());
        QCOMPARE(client.lastConnectReply, QByteArray(prefix + "{\"sid\":\"" + id.toLatin1() + "\"}"));
    }
}

// Events that may be replayed carry their offset as a last argument; acked and volatile
// ones are not stored and carry none (Node: SessionAwareAdapter.broadcast).
void tst_Recovery::offsets()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    const QString id = client.connect();
    Socket *socket = nsp->socket(id);
    QVERIFY(socket);
    socket->join(QStringLiteral("r"));

    QStringList offsets;
    const auto expectOffset = [&](const QByteArray &frame, const QByteArray &withoutOffset) {
        const QString offset = offsetOf(frame);
        QVERIFY2(!offset.isEmpty(), frame.constData());
        QCOMPARE(frame, QByteArray(withoutOffset.chopped(1) + ",\"" + offset.toLatin1() + "\"]"));
        QVERIFY2(!offsets.contains(offset), "offsets are unique");
        offsets.append(offset);
    };

    socket->emitEvent(QStringLiteral("direct"), {1});
    expectOffset(client.nextText(), R"(42["direct",1])");
    nsp->to(QStringLiteral("r")).emitEvent(QStringLiteral("room"), {u"x"_qs});
    expectOffset(client.nextText(), R"(42["room","x"])");
    nsp->emitEvent(QStringLiteral("all"));
    expectOffset(client.nextText(), R"(42["all"])");
    socket->emitEvent(QStringLiteral("bin"), {QByteArray("\x01")});
    expectOffset(client.nextText(), R"(451-["bin",{"_placeholder":true,"num":0}])");
    QCOMPARE(client.next()->data, QByteArray("\x01"));

    socket->emitVolatile(QStringLiteral("volatile"), {1});
    QCOMPARE(client.nextText(), QByteArray(R"(42["volatile",1])"));
    nsp->asVolatile().emitEvent(QStringLiteral("volatile-broadcast"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["volatile-broadcast"])"));
    socket->emitWithAck(QStringLiteral("asked"), {1}, 1000, [](const AckResult &) {});
    QVERIFY(QRegularExpression(QStringLiteral(R"(^42\d+\["asked",1\]$)")).match(QString::fromUtf8(client.nextText())).hasMatch());
    nsp->timeout(1000).emitWithAck(QStringLiteral("asked-all"), {}, [](const BroadcastAckResult &) {});
    QVERIFY(QRegularExpression(QStringLiteral(R"(^42\d+\["asked-all"\]$)")).match(QString::fromUtf8(client.nextText())).hasMatch());
    QCOMPARE(offsets.size(), 4);
}

void tst_Recovery::restore_data()
{
    QTest::addColumn<QString>("end");  // how the first connection ends
    QTest::addColumn<QString>("auth"); // what the second CONNECT claims
    QTest::addColumn<bool>("recovered");

    QTest::newRow("transport close") << u"close"_qs << u"pid+offset"_qs << true;
    QTest::newRow("transport close, no close frame") << u"abort"_qs << u"pid+offset"_qs << true;
    QTest::newRow("forced close") << u"forced close"_qs << u"pid+offset"_qs << true;
    QTest::newRow("invalid packet") << u"42abc"_qs << u"pid+offset"_qs << true;
    QTest::newRow("ping timeout") << u"no pong"_qs << u"pid+offset"_qs << true;
    QTest::newRow("middlewares not skipped") << u"close"_qs << u"pid+offset, run middlewares"_qs << true;

    QTest::newRow("client namespace disconnect") << u"41"_qs << u"pid+offset"_qs << false;
    QTest::newRow("server namespace disconnect") << u"disconnect()"_qs << u"pid+offset"_qs << false;
    QTest::newRow("server disconnect with close") << u"disconnect(true)"_qs << u"pid+offset"_qs << false;
    QTest::newRow("unknown pid") << u"close"_qs << u"unknown pid"_qs << false;
    QTest::newRow("unknown offset") << u"close"_qs << u"unknown offset"_qs << false;
    QTest::newRow("offset not a string") << u"close"_qs << u"numeric offset"_qs << false;
    QTest::newRow("no offset") << u"close"_qs << u"pid only"_qs << false;
    QTest::newRow("offset dropped (maxBufferedPackets)") << u"close"_qs << u"pid+offset, small buffer"_qs << false;
}

void tst_Recovery::restore()
{
    QFETCH(QString, end);
    QFETCH(QString, auth);
    QFETCH(bool, recovered);

    ServerOptions options = recoveryOptions();
    if (end == u"no pong") {
        options.engine.pingInterval = 50;
        options.engine.pingTimeout = 50;
    }
    if (auth.contains(u"run middlewares"))
        options.connectionStateRecovery.skipMiddlewares = false;
    if (auth.contains(u"small buffer"))
        options.connectionStateRecovery.maxBufferedPackets = 2;
    auto io = startServer(options);
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    int middlewareRuns = 0;
    QList<bool> middlewareSawRecovered;
    nsp->use([&](Socket *socket, const Namespace::Next &next) {
        ++middlewareRuns;
        middlewareSawRecovered.append(socket->isRecovered());
        if (!socket->isRecovered())
            socket->data().insert(QStringLiteral("n"), middlewareRuns);
        next(std::nullopt);
    });

    // First connection: joins "r", receives one stored event.
    RawClient first(io->serverPort());
    QVERIFY(first.open());
    first.autoPong = end != u"no pong";
    const QString sid = first.connect("/", R"({"token":"t"})");
    QVERIFY(!sid.isEmpty());
    Socket *socket = nsp->socket(sid);
    const QString pid = socket->pid();
    socket->join(QStringLiteral("r"));
    socket->emitEvent(QStringLiteral("seen"), {0});
    const QString offset = offsetOf(first.nextText());
    QVERIFY(!offset.isEmpty());

    QSignalSpy gone(socket, &Socket::disconnected);
    if (end == u"close")
        first.close();
    else if (end == u"abort")
        first.abort();
    else if (end == u"forced close")
        socket->client()->close();
    else if (end == u"42abc")
        first.send("42abc");
    else if (end == u"41")
        first.send("41");
    else if (end == u"disconnect()")
        socket->disconnect();
    else if (end == u"disconnect(true)")
        socket->disconnect(true);
    QTRY_COMPARE(gone.size(), 1);

    // While away: what the socket would have received, and what it would not.
    nsp->to(QStringLiteral("r")).emitEvent(QStringLiteral("missed"), {1});
    nsp->to(QStringLiteral("other")).emitEvent(QStringLiteral("not-for-you"));
    nsp->except(QStringLiteral("r")).emitEvent(QStringLiteral("excluded"));
    nsp->emitEvent(QStringLiteral("everyone"), {2});

    QByteArray claim = "{\"token\":\"t\",\"pid\":\"" + pid.toLatin1() + "\",\"offset\":\"" + offset.toLatin1() + "\"}";
    if (auth == u"unknown pid")
        claim = "{\"token\":\"t\",\"pid\":\"AAAAAAAAAAAAAAAAAAAA\",\"offset\":\"" + offset.toLatin1() + "\"}";
    else if (auth == u"unknown offset")
        claim = R"({"token":"t","pid":")" + pid.toLatin1() + R"(","offset":"nope"})";
    else if (auth == u"numeric offset")
        claim = R"({"token":"t","pid":")" + pid.toLatin1() + R"(","offset":1})";
    else if (auth == u"pid only")
        claim = "{\"token\":\"t\",\"pid\":\"" + pid.toLatin1() + "\"}";

    RawClient second(io->serverPort());
    QVERIFY(second.open());
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    const QString newSid = second.connect("/", claim);
    QVERIFY(!newSid.isEmpty());
    QCOMPARE(connected.size(), 1);
    Socket *restored = connected.at(0).at(0).value<Socket *>();
    QCOMPARE(restored->isRecovered(), recovered);
    QCOMPARE(restored->handshake().auth.value(QStringLiteral("token")).toString(), u"t"_qs);
    if (recovered) {
        QCOMPARE(newSid, sid);
        QCOMPARE(restored->pid(), pid);
        QCOMPARE(second.lastConnectReply, QByteArray("40{\"sid\":\"" + sid.toLatin1() + "\",\"pid\":\"" + pid.toLatin1() + "\"}"));
        QCOMPARE(restored->rooms(), (QSet<QString>{sid, u"r"_qs}));
        QCOMPARE(restored->data().value(QStringLiteral("n")).toInteger(), 1);
        const QByteArray missed = second.nextText();
        QVERIFY2(missed.startsWith("42[\"missed\",1,\""), missed.constData());
        const QByteArray everyone = second.nextText();
        QVERIFY2(everyone.startsWith("42[\"everyone\",2,\""), everyone.constData());
        if (options.connectionStateRecovery.skipMiddlewares) {
            QCOMPARE(middlewareRuns, 1);
        } else {
            QCOMPARE(middlewareRuns, 2);
            QCOMPARE(middlewareSawRecovered, (QList<bool>{false, true}));
        }
    } else {
        QVERIFY(newSid != sid);
        QVERIFY(restored->pid() != pid);
        QCOMPARE(restored->rooms(), QSet<QString>{newSid});
        QCOMPARE(restored->data().value(QStringLiteral("n")).toInteger(), 2);
        QCOMPARE(middlewareRuns, 2);
    }
    // Nothing else was replayed: the next frame is this one.
    restored->emitEvent(QStringLiteral("marker"));
    QVERIFY(second.nextText().startsWith("42[\"marker\",\""));
}

QTEST_MAIN(tst_Recovery)
#include "tst_recovery.moc"
