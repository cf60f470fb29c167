// Socket: events to handlers with Ack, ack frames (text and binary), server -> client
// emitWithAck, rooms and the adapter's room signals, disconnect reasons, socket.use, onAny /
// onAnyOutgoing, volatile emits and Server::close(callback), over real sockets on 127.0.0.1.

#include "rawclient.h"

#include <adapter/adapter.h>
#include <engine/enginesocket.h>
#include <engine/transport.h>
#include <http/httpserver.h>
#include <sio/client.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QPointer>
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
    return io;
}

Message text(const QByteArray &data)
{
    return {false, data};
}

Message binary(const QByteArray &data)
{
    return {true, data};
}

// A client joined to "/" (and the server's socket for it).
struct Peer
{
    explicit Peer(Server *io, const QByteArray &nsp = "/") : client(io->serverPort())
    {
        if (!client.open())
            return;
        const QString id = client.connect(nsp);
        socket = io->existingNamespace(QString::fromUtf8(nsp))->socket(id);
    }
    RawClient client;
    QPointer<Socket> socket;
};

} // namespace

class tst_Socket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void events_data();
    void events();
    void unhandledEventIsNotAcknowledged();
    void ackIsSentOnce();
    void emitWithAck_data();
    void emitWithAck();
    void roomsAndAdapterSignals();
    void disconnectReasons_data();
    void disconnectReasons();
    void packetMiddleware();
    void asyncPacketMiddleware();
    void emitWithAckFuture();
    void onAnyAndOutgoing();
    void listenersAsEventEmitter();
    void reservedListeners();
    void reservedEventsAreNotEmitted();
    void volatileOverWebSocket();
    void volatileOverPolling();
    void closeWithCallbackClosesAnAttachedHttpServer();
};

void tst_Socket::initTestCase()
{
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::Namespace *>();
}

void tst_Socket::events_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QList<Message>>("send");
    QTest::addColumn<QCborArray>("expectedArgs");
    QTest::addColumn<bool>("ackRequested");
    QTest::addColumn<QCborArray>("reply");
    QTest::addColumn<QList<Message>>("expectedFrames");

    const QByteArray b1("\x01\x02", 2);
    const QByteArray b2("\x00\xff\x1e", 3);

    QTest::newRow("event, no ack") << QByteArray("/") << QList<Message>{text(R"(42["ev",1,"two",null])")}
                                   << QCborArray{1, u"two"_qs, QCborValue(QCborValue::Null)} << false << QCborArray{}
                                   << QList<Message>{};
    QTest::newRow("event with ack") << QByteArray("/") << QList<Message>{text(R"(421["ev"])")} << QCborArray{} << true
                                    << QCborArray{u"r"_qs} << QList<Message>{text(R"(431["r"])")};
    QTest::newRow("long ack id") << QByteArray("/") << QList<Message>{text(R"(4298765["ev",{"a":[1]}])")}
                                 << QCborArray{QCborMap{{u"a"_qs, QCborArray{1}}}} << true << QCborArray{u"r"_qs}
                                 << QList<Message>{text(R"(4398765["r"])")};
    QTest::newRow("ack in a namespace") << QByteArray("/admin") << QList<Message>{text(R"(42/admin,7["ev",false])")}
                                        << QCborArray{false} << true << QCborArray{1.5}
                                        << QList<Message>{text(R"(43/admin,7[1.5])")};
    QTest::newRow("empty ack") << QByteArray("/") << QList<Message>{text(R"(423["ev"])")} << QCborArray{} << true
                               << QCborArray{} << QList<Message>{text("433[]")};
    QTest::newRow("ack with mixed values")
        << QByteArray("/") << QList<Message>{text(R"(424["ev"])")} << QCborArray{} << true
        << QCborArray{true, QCborValue(QCborValue::Null), -3, u"é\"\x1e"_qs, QCborMap{{u"k"_qs, QCborArray{}}}}
        << QList<Message>{text("434[true,null,-3,\"\xc3\xa9\\\"\\u001e\",{\"k\":[]}]")};
    QTest::newRow("binary event") << QByteArray("/")
                                  << QList<Message>{text(R"(451-["ev",{"_placeholder":true,"num":0}])"), binary(b1)}
                                  << QCborArray{b1} << false << QCborArray{} << QList<Message>{};
    QTest::newRow("binary event with ack, nested")
        << QByteArray("/")
        << QList<Message>{text(R"(452-9["ev",{"k":[{"_placeholder":true,"num":1}]},{"_placeholder":true,"num":0}])"),
                          binary(b1), binary(b2)}
        << QCborArray{QCborMap{{u"k"_qs, QCborArray{b2}}}, b1} << true << QCborArray{u"r"_qs}
        << QList<Message>{text(R"(439["r"])")};
    QTest::newRow("binary ack") << QByteArray("/") << QList<Message>{text(R"(4215["ev"])")} << QCborArray{} << true
                                << QCborArray{b2}
                                << QList<Message>{text(R"(461-15[{"_placeholder":true,"num":0}])"), binary(b2)};
    QTest::newRow("binary ack, two buffers, nested, in a namespace")
        << QByteArray("/admin") << QList<Message>{text(R"(42/admin,5["ev"])")} << QCborArray{} << true
        << QCborArray{QCborMap{{u"a"_qs, b1}}, QCborArray{u"s"_qs, b2}}
        << QList<Message>{text(R"(462-/admin,5[{"a":{"_placeholder":true,"num":0}},["s",{"_placeholder":true,"num":1}]])"),
                          binary(b1), binary(b2)};
    QTest::newRow("empty binary ack") << QByteArray("/") << QList<Message>{text(R"(426["ev"])")} << QCborArray{} << true
                                      << QCborArray{QByteArray()}
                                      << QList<Message>{text(R"(461-6[{"_placeholder":true,"num":0}])"), binary({})};
}

void tst_Socket::events()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QList<Message>, send);
    QFETCH(QCborArray, expectedArgs);
    QFETCH(bool, ackRequested);
    QFETCH(QCborArray, reply);
    QFETCH(QList<Message>, expectedFrames);

    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get(), nsp);
    QVERIFY(peer.socket);
    QList<QCborArray> calls;
    bool requested = false;
    peer.socket->on(QStringLiteral("ev"), [&](const QCborArray &args, const Ack &ack) {
        calls.append(args);
        requested = ack.isRequested();
        if (ack.isRequested())
            ack(reply);
    });
    QPointer<Socket> socket = peer.socket;
    peer.socket->on(QStringLiteral("probe"), [socket](const QCborArray &, const Ack &) {
        socket->emitEvent(QStringLiteral("probed"));
    });
    QSignalSpy received(peer.socket, &Socket::eventReceived);

    for (const Message &m : std::as_const(send))
        peer.client.send(m);
    for (const Message &expected : std::as_const(expectedFrames)) {
        const std::optional<Message> got = peer.client.next();
        QVERIFY(got);
        QCOMPARE(*got, expected);
    }
    // Nothing else was sent: the next frame answers the probe.
    const QByteArray probe = nsp == "/" ? QByteArray(R"(42["probe"])") : QByteArray("42" + nsp + R"(,["probe"])");
    peer.client.send(probe);
    QCOMPARE(peer.client.nextText(), QByteArray(nsp == "/" ? QByteArray(R"(42["probed"])") : QByteArray("42" + nsp + R"(,["probed"])")));

    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.first(), expectedArgs);
    QCOMPARE(requested, ackRequested);
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString(), u"ev"_qs);
    QCOMPARE(received.at(0).at(1).value<QCborArray>(), expectedArgs);
    QCOMPARE(received.at(0).at(2).toBool(), ackRequested);
    QCOMPARE(io->counters().eventsIn, quint64(2));
}

void tst_Socket::unhandledEventIsNotAcknowledged()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    peer.socket->on(QStringLiteral("known"), [](const QCborArray &, const Ack &ack) { ack({u"known"_qs}); });
    peer.client.send(R"(421["unknown",1])");
    peer.client.send(R"(422["known"])");
    QCOMPARE(peer.client.nextText(), QByteArray(R"(432["known"])"));
    QVERIFY(peer.client.queue.isEmpty());
}

void tst_Socket::ackIsSentOnce()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    Ack kept;
    peer.socket->on(QStringLiteral("twice"), [&](const QCborArray &, const Ack &ack) {
        const Ack copy = ack;
        QVERIFY(!copy.isSent());
        ack({1});
        QVERIFY(copy.isSent());
        copy({2});
        ack({3});
    });
    peer.socket->on(QStringLiteral("keep"), [&](const QCborArray &, const Ack &ack) { kept = ack; });
    peer.client.send(R"(421["twice"])");
    QCOMPARE(peer.client.nextText(), QByteArray("431[1]"));
    peer.client.send(R"(422["keep"])");
    QTRY_VERIFY(kept.isRequested());
    kept({u"late"_qs});
    QCOMPARE(peer.client.nextText(), QByteArray(R"(432["late"])"));

    // An ack kept past the socket's end sends nothing.
    peer.client.send(R"(423["keep"])");
    QTRY_VERIFY(!kept.isSent());
    QSignalSpy disconnected(peer.socket, &Socket::disconnected);
    peer.client.send("41");
    QTRY_COMPARE(disconnected.size(), 1);
    kept({u"too late"_qs});
    QVERIFY(kept.isSent());
    QVERIFY(!peer.client.connect().isEmpty());
    QVERIFY(peer.client.queue.isEmpty());
}

void tst_Socket::emitWithAck_data()
{
    QTest::addColumn<QString>("answer"); // how the client answers "q"
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QCborArray>("args");

    QTest::newRow("reply") << u"reply"_qs << true << QString() << QCborArray{u"a"_qs, 1};
    QTest::newRow("empty reply") << u"empty"_qs << true << QString() << QCborArray{};
    QTest::newRow("binary reply") << u"binary"_qs << true << QString() << QCborArray{QByteArray("\x05\x06")};
    QTest::newRow("no reply") << u"none"_qs << false << u"operation has timed out"_qs << QCborArray{};
    QTest::newRow("reply for another id") << u"wrong id"_qs << false << u"operation has timed out"_qs << QCborArray{};
    QTest::newRow("reply on another namespace") << u"wrong namespace"_qs << false << u"operation has timed out"_qs << QCborArray{};
    QTest::newRow("namespace disconnect first") << u"disconnect"_qs << false << u"socket has been disconnected"_qs << QCborArray{};
    QTest::newRow("transport close first") << u"close"_qs << false << u"socket has been disconnected"_qs << QCborArray{};
}

void tst_Socket::emitWithAck()
{
    QFETCH(QString, answer);
    QFETCH(bool, ok);
    QFETCH(QString, error);
    QFETCH(QCborArray, args);

    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    QVERIFY(!peer.client.connect("/admin").isEmpty());
    QList<AckResult> results;
    const int timeout = answer == u"none" || answer.startsWith(u"wrong") ? 100 : 5000;
    peer.socket->emitWithAck(QStringLiteral("q"), {1, u"x"_qs}, timeout,
                             [&](const AckResult &result) { results.append(result); });

    const QByteArray frame = peer.client.nextText();
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral(R"(^42(\d+)\["q",1,"x"\]$)")).match(QString::fromUtf8(frame));
    QVERIFY2(m.hasMatch(), frame.constData());
    const QByteArray id = m.captured(1).toLatin1();

    if (answer == u"reply")
        peer.client.send("43" + id + R"(["a",1])");
    else if (answer == u"empty")
        peer.client.send("43" + id + "[]");
    else if (answer == u"binary") {
        peer.client.send("461-" + id + R"([{"_placeholder":true,"num":0}])");
        peer.client.sendBinary("\x05\x06");
    } else if (answer == u"wrong id")
        peer.client.send("43" + QByteArray::number(id.toInt() + 1) + "[1]");
    else if (answer == u"wrong namespace")
        peer.client.send("43/admin," + id + "[1]");
    else if (answer == u"disconnect")
        peer.client.send("41");
    else if (answer == u"close")
        peer.client.close();

    QTRY_COMPARE(results.size(), 1);
    QCOMPARE(results.first().ok, ok);
    QCOMPARE(results.first().error, error);
    QCOMPARE(results.first().args, args);

    if (ok || answer.startsWith(u"wrong")) {
        // A reply after completion (or after the timeout) is ignored.
        peer.client.send("43" + id + "[2]");
        QVERIFY(!peer.client.connect("/probe").isEmpty() || peer.client.lastConnectReply.startsWith("44/probe,"));
        QCOMPARE(results.size(), 1);
    }
}

void tst_Socket::roomsAndAdapterSignals()
{
    auto io = startServer();
    QVERIFY(io);
    Adapter *adapter = io->mainNamespace()->adapter();
    QSignalSpy created(adapter, &Adapter::roomCreated);
    QSignalSpy deleted(adapter, &Adapter::roomDeleted);
    QSignalSpy joined(adapter, &Adapter::roomJoined);
    QSignalSpy left(adapter, &Adapter::roomLeft);
    const auto pairs = [](const QSignalSpy &spy) {
        QSet<QString> out;
        for (const QList<QVariant> &args : spy)
            out.insert(args.at(0).toString() + u'|' + args.at(1).toString());
        return out;
    };
    const auto names = [](const QSignalSpy &spy) {
        QSet<QString> out;
        for (const QList<QVariant> &args : spy)
            out.insert(args.at(0).toString());
        return out;
    };

    Peer a(io.get());
    Peer b(io.get());
    QVERIFY(a.socket && b.socket);
    const QString ida = a.socket->id(), idb = b.socket->id();
    // Each socket joins the room of its own id when it connects.
    QCOMPARE(names(created), (QSet<QString>{ida, idb}));
    QCOMPARE(pairs(joined), (QSet<QString>{ida + u'|' + ida, idb + u'|' + idb}));
    created.clear();
    joined.clear();

    QSignalSpy aJoined(a.socket, &Socket::roomJoined);
    QSignalSpy aLeft(a.socket, &Socket::roomLeft);
    a.socket->join(QStringLiteral("r"));
    QCOMPARE(names(created), QSet<QString>{u"r"_qs});
    QCOMPARE(pairs(joined), QSet<QString>{u"r|"_qs + ida});
    QCOMPARE(aJoined.size(), 1);
    a.socket->join(QStringLiteral("r")); // again: nothing
    QCOMPARE(joined.size(), 1);
    QCOMPARE(aJoined.size(), 1);

    b.socket->join(QSet<QString>{u"r"_qs, u"s"_qs});
    QCOMPARE(names(created), (QSet<QString>{u"r"_qs, u"s"_qs}));
    QCOMPARE(pairs(joined), (QSet<QString>{u"r|"_qs + ida, u"r|"_qs + idb, u"s|"_qs + idb}));
    QCOMPARE(adapter->rooms().value(u"r"_qs), (QSet<QString>{ida, idb}));

    a.socket->leave(QStringLiteral("r"));
    QCOMPARE(pairs(left), QSet<QString>{u"r|"_qs + ida});
    QCOMPARE(deleted.size(), 0);
    QCOMPARE(aLeft.size(), 1);
    QCOMPARE(aLeft.at(0).at(0).toString(), u"r"_qs);
    a.socket->leave(QStringLiteral("never")); // not a member: nothing
    QCOMPARE(left.size(), 1);
    QCOMPARE(aLeft.size(), 1);

    b.socket->leave(QStringLiteral("r"));
    QCOMPARE(names(deleted), QSet<QString>{u"r"_qs});
    QCOMPARE(a.socket->rooms(), QSet<QString>{ida});
    QCOMPARE(b.socket->rooms(), (QSet<QString>{idb, u"s"_qs}));

    // Disconnecting leaves every room; empty rooms are deleted.
    left.clear();
    deleted.clear();
    b.client.send("41");
    QTRY_COMPARE(left.size(), 2);
    QCOMPARE(pairs(left), (QSet<QString>{u"s|"_qs + idb, idb + u'|' + idb}));
    QCOMPARE(names(deleted), (QSet<QString>{u"s"_qs, idb}));
    QCOMPARE(adapter->rooms().keys(), QList<QString>{ida});
    QCOMPARE(adapter->socketRooms(idb), QSet<QString>());
}

void tst_Socket::disconnectReasons_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("clientSees"); // frame before anything else; empty: none
    QTest::addColumn<bool>("connectionEnds");

    QTest::newRow("client namespace disconnect") << u"send 41"_qs << u"client namespace disconnect"_qs << QByteArray() << false;
    QTest::newRow("server namespace disconnect") << u"disconnect()"_qs << u"server namespace disconnect"_qs << QByteArray("41") << false;
    QTest::newRow("server disconnect with close") << u"disconnect(true)"_qs << u"server namespace disconnect"_qs << QByteArray("41") << true;
    QTest::newRow("transport close") << u"close"_qs << u"transport close"_qs << QByteArray() << true;
    QTest::newRow("transport close, no close frame") << u"abort"_qs << u"transport close"_qs << QByteArray() << true;
    QTest::newRow("ping timeout") << u"no pong"_qs << u"ping timeout"_qs << QByteArray() << true;
    QTest::newRow("forced close, invalid packet") << u"send 42abc"_qs << u"forced close"_qs << QByteArray() << true;
    QTest::newRow("forced close by the server") << u"client()->close()"_qs << u"forced close"_qs << QByteArray() << true;
    QTest::newRow("server shutting down") << u"Server::close()"_qs << u"server shutting down"_qs << QByteArray() << true;
}

void tst_Socket::disconnectReasons()
{
    QFETCH(QString, action);
    QFETCH(QString, reason);
    QFETCH(QByteArray, clientSees);
    QFETCH(bool, connectionEnds);

    ServerOptions options;
    if (action == u"no pong") {
        options.engine.pingInterval = 50;
        options.engine.pingTimeout = 50;
    }
    auto io = startServer(options);
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    peer.client.autoPong = action != u"no pong";
    Socket *socket = peer.socket;
    const QString socketId = socket->id();
    socket->join(QStringLiteral("r"));
    QStringList order;
    QSet<QString> roomsWhileDisconnecting;
    // Read in the handlers: the socket is deleted later, possibly while the test waits.
    bool connectedWhenDisconnected = true;
    QSet<QString> roomsWhenDisconnected{u"?"_qs};
    QObject::connect(socket, &Socket::disconnecting, this, [&, socket](const QString &why) {
        order.append(u"disconnecting:"_qs + why);
        roomsWhileDisconnecting = socket->rooms();
    });
    QObject::connect(socket, &Socket::disconnected, this, [&, socket](const QString &why) {
        order.append(u"disconnected:"_qs + why);
        connectedWhenDisconnected = socket->isConnected();
        roomsWhenDisconnected = socket->rooms();
    });
    QSignalSpy nspDisconnected(io->mainNamespace(), &Namespace::socketDisconnected);

    if (action == u"send 41")
        peer.client.send("41");
    else if (action == u"disconnect()")
        socket->disconnect();
    else if (action == u"disconnect(true)")
        socket->disconnect(true);
    else if (action == u"close")
        peer.client.close();
    else if (action == u"abort")
        peer.client.abort();
    else if (action == u"send 42abc")
        peer.client.send("42abc");
    else if (action == u"client()->close()")
        socket->client()->close();
    else if (action == u"Server::close()")
        io->close();

    QTRY_COMPARE(order.size(), 2);
    QCOMPARE(order, (QStringList{u"disconnecting:"_qs + reason, u"disconnected:"_qs + reason}));
    QCOMPARE(roomsWhileDisconnecting, (QSet<QString>{u"r"_qs, socketId}));
    QCOMPARE(nspDisconnected.size(), 1);
    QCOMPARE(nspDisconnected.at(0).at(1).toString(), reason);
    QVERIFY(!connectedWhenDisconnected);
    QCOMPARE(roomsWhenDisconnected, QSet<QString>());
    if (!clientSees.isEmpty())
        QCOMPARE(peer.client.nextText(), clientSees);
    if (connectionEnds) {
        QVERIFY(peer.client.waitClosed());
    } else {
        QVERIFY(!peer.client.connect().isEmpty()); // the connection goes on
        QVERIFY(!peer.client.isClosed());
    }
    QTRY_VERIFY(peer.socket.isNull()); // deleted later
}

void tst_Socket::packetMiddleware()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    QStringList seenBySecond;
    peer.socket->use([](const QString &event, QCborArray &args) -> std::optional<QString> {
        if (event == u"bad")
            return u"refused: bad"_qs;
        if (event == u"up")
            args[0] = args.at(0).toString().toUpper();
        return std::nullopt;
    });
    peer.socket->use([&](const QString &event, QCborArray &args) -> std::optional<QString> {
        seenBySecond.append(event + u':' + args.at(0).toString());
        return std::nullopt;
    });
    int badCalls = 0;
    peer.socket->on(QStringLiteral("bad"), [&](const QCborArray &, const Ack &ack) { ++badCalls; ack({}); });
    peer.socket->on(QStringLiteral("up"), [](const QCborArray &args, const Ack &ack) { ack(args); });
    QSignalSpy errors(peer.socket, &Socket::errorOccurred);
    QSignalSpy received(peer.socket, &Socket::eventReceived);

    peer.client.send(R"(421["bad","x"])");
    peer.client.send(R"(422["up","abc"])");
    QCOMPARE(peer.client.nextText(), QByteArray(R"(432["ABC"])")); // nothing for id 1
    QCOMPARE(badCalls, 0);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), u"refused: bad"_qs);
    QCOMPARE(seenBySecond, QStringList{u"up:ABC"_qs}); // a refusal stops the chain
    QCOMPARE(received.size(), 2); // both were received (and counted)
    QVERIFY(peer.client.queue.isEmpty());
}

void tst_Socket::asyncPacketMiddleware()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    // Decides later: events wait, in order, and a refusal stops them.
    QList<std::pair<QString, Socket::PacketNext>> waiting;
    peer.socket->use([&](const QString &event, QCborArray &args, const Socket::PacketNext &next) {
        args.append(u"checked"_qs);
        waiting.append({event, next});
    });
    peer.socket->on(QStringLiteral("ev"), [](const QCborArray &args, const Ack &ack) { ack(args); });
    QStringList errors;
    peer.socket->on(QStringLiteral("error"), [&](const QCborArray &args, const Ack &) { errors.append(args.at(0).toString()); });

    peer.client.send(R"(421["ev",1])");
    peer.client.send(R"(422["ev",2])");
    QTRY_COMPARE(waiting.size(), 2);
    QVERIFY(peer.client.queue.isEmpty()); // nothing before the middleware answers
    waiting.at(1).second(u"not now"_qs);
    waiting.at(0).second(std::nullopt);
    waiting.at(0).second(u"ignored: a second call"_qs);
    QCOMPARE(peer.client.nextText(), QByteArray(R"(431[1,"checked"])"));
    QCOMPARE(errors, QStringList{u"not now"_qs});

    // A middleware answering after its socket left does nothing.
    peer.client.send(R"(423["ev",3])");
    QTRY_COMPARE(waiting.size(), 3);
    QSignalSpy disconnected(peer.socket, &Socket::disconnected);
    peer.client.send("41");
    QTRY_COMPARE(disconnected.size(), 1);
    waiting.at(2).second(std::nullopt);
    QVERIFY(!peer.client.connect().isEmpty());
    QVERIFY(peer.client.queue.isEmpty());
}

void tst_Socket::emitWithAckFuture()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    QFuture<AckResult> answered = peer.socket->emitWithAck(QStringLiteral("q"), {1}, 2000);
    QCOMPARE(peer.client.nextText(), QByteArray(R"(420["q",1])"));
    QVERIFY(!answered.isFinished());
    peer.client.send(R"(430["yes"])");
    QTRY_VERIFY(answered.isFinished());
    QVERIFY(answered.result().ok);
    QCOMPARE(answered.result().args, QCborArray{u"yes"_qs});

    QFuture<AckResult> timedOut = peer.socket->emitWithAck(QStringLiteral("q"), {2}, 50);
    QTRY_VERIFY(timedOut.isFinished());
    QVERIFY(!timedOut.result().ok);
    QCOMPARE(timedOut.result().error, u"operation has timed out"_qs);
}

void tst_Socket::onAnyAndOutgoing()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    Socket *socket = peer.socket;
    QStringList incoming, outgoing;
    socket->onAny([&](const QString &event, const QCborArray &args) { incoming.append(event + u'/' + QString::number(args.size())); });
    socket->onAnyOutgoing([&](const QString &event, const QCborArray &args) { outgoing.append(event + u'/' + QString::number(args.size())); });
    socket->use([](const QString &event, QCborArray &) -> std::optional<QString> {
        return event == u"refused" ? std::optional<QString>(u"no"_qs) : std::nullopt;
    });
    socket->on(QStringLiteral("handled"), [](const QCborArray &, const Ack &ack) { ack({1}); });
    QSignalSpy sent(socket, &Socket::eventSent);

    peer.client.send(R"(42["unhandled",1,2])");
    peer.client.send(R"(42["refused"])");
    peer.client.send(R"(421["handled",true])");
    QCOMPARE(peer.client.nextText(), QByteArray("431[1]"));
    QCOMPARE(incoming, (QStringList{u"unhandled/2"_qs, u"refused/0"_qs, u"handled/1"_qs}));

    socket->join(QStringLiteral("r"));
    socket->emitEvent(QStringLiteral("direct"), {1});
    socket->emitVolatile(QStringLiteral("volatile"));
    io->mainNamespace()->to(QStringLiteral("r")).emitEvent(QStringLiteral("broadcast"), {1, 2});
    socket->emitWithAck(QStringLiteral("asked"), {}, 1000, [](const AckResult &) {});
    QCOMPARE(peer.client.nextText(), QByteArray(R"(42["direct",1])"));
    QCOMPARE(peer.client.nextText(), QByteArray(R"(42["volatile"])"));
    QCOMPARE(peer.client.nextText(), QByteArray(R"(42["broadcast",1,2])"));
    QVERIFY(peer.client.nextText().startsWith(R"(42)"));
    QCOMPARE(outgoing, (QStringList{u"direct/1"_qs, u"volatile/0"_qs, u"broadcast/2"_qs, u"asked/0"_qs}));
    // eventSent announces packets to this socket alone; the broadcast is the adapter's.
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.at(0).at(0).toString(), u"direct"_qs);
    QCOMPARE(sent.at(2).at(0).toString(), u"asked"_qs);
}

void tst_Socket::listenersAsEventEmitter()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    Socket *socket = peer.socket;
    QStringList calls;
    const auto record = [&calls](const QString &name) {
        return [&calls, name](const QCborArray &args, const Ack &) { calls.append(name + u':' + QString::number(args.at(0).toInteger())); };
    };
    const Socket::ListenerId first = socket->on(QStringLiteral("ev"), record(u"first"_qs));
    socket->on(QStringLiteral("ev"), record(u"second"_qs));
    socket->once(QStringLiteral("ev"), record(u"once"_qs));
    QVERIFY(first != 0);
    QCOMPARE(socket->listenerCount(QStringLiteral("ev")), 3);
    // A marker event with an ack proves the packets before it were handled.
    socket->on(QStringLiteral("mark"), [](const QCborArray &, const Ack &ack) { ack(); });
    const auto sync = [&peer](int n) {
        peer.client.send(QByteArray("42") + QByteArray::number(n) + R"(["mark"])");
        return peer.client.nextText() == QByteArray("43") + QByteArray::number(n) + "[]";
    };

    peer.client.send(R"(42["ev",1])");
    peer.client.send(R"(42["ev",2])");
    QVERIFY(sync(1));
    QCOMPARE(calls, (QStringList{u"first:1"_qs, u"second:1"_qs, u"once:1"_qs, u"first:2"_qs, u"second:2"_qs}));
    QCOMPARE(socket->listenerCount(QStringLiteral("ev")), 2);

    calls.clear();
    socket->off(first);
    peer.client.send(R"(42["ev",3])");
    QVERIFY(sync(2));
    QCOMPARE(calls, QStringList{u"second:3"_qs});

    // A listener that removes a later one stops it from running in the same round.
    calls.clear();
    Socket::ListenerId later = 0;
    socket->on(QStringLiteral("chain"), [&](const QCborArray &, const Ack &) { calls.append(u"a"_qs); socket->off(later); });
    later = socket->on(QStringLiteral("chain"), [&](const QCborArray &, const Ack &) { calls.append(u"b"_qs); });
    peer.client.send(R"(42["chain",0])");
    peer.client.send(R"(42["chain",0])");
    QVERIFY(sync(3));
    QCOMPARE(calls, (QStringList{u"a"_qs, u"a"_qs}));

    // Only the first listener's ack reaches the client.
    socket->on(QStringLiteral("asked"), [](const QCborArray &, const Ack &ack) { ack({1}); });
    socket->on(QStringLiteral("asked"), [](const QCborArray &, const Ack &ack) { ack({2}); });
    peer.client.send(R"(427["asked"])");
    QCOMPARE(peer.client.nextText(), QByteArray("437[1]"));

    socket->off(QStringLiteral("ev"));
    QCOMPARE(socket->listenerCount(QStringLiteral("ev")), 0);
    socket->removeAllListeners();
    QCOMPARE(socket->listenerCount(QStringLiteral("mark")), 0);

    // Catch-all listeners: prepend, off by handle, off all.
    QStringList any;
    const Socket::ListenerId tail = socket->onAny([&](const QString &event, const QCborArray &) { any.append(u"tail:"_qs + event); });
    socket->prependAny([&](const QString &event, const QCborArray &) { any.append(u"head:"_qs + event); });
    socket->on(QStringLiteral("mark"), [](const QCborArray &, const Ack &ack) { ack(); });
    peer.client.send(R"(42["x"])");
    QVERIFY(sync(4));
    QCOMPARE(any, (QStringList{u"head:x"_qs, u"tail:x"_qs, u"head:mark"_qs, u"tail:mark"_qs}));
    any.clear();
    socket->offAny(tail);
    peer.client.send(R"(42["y"])");
    QVERIFY(sync(5));
    QCOMPARE(any, (QStringList{u"head:y"_qs, u"head:mark"_qs}));
    any.clear();
    socket->offAny();
    QVERIFY(sync(6));
    QVERIFY(any.isEmpty());

    QStringList out;
    const Socket::ListenerId outTail = socket->onAnyOutgoing([&](const QString &event, const QCborArray &) { out.append(u"tail:"_qs + event); });
    socket->prependAnyOutgoing([&](const QString &event, const QCborArray &) { out.append(u"head:"_qs + event); });
    socket->emitEvent(QStringLiteral("o1"));
    socket->offAnyOutgoing(outTail);
    socket->emitEvent(QStringLiteral("o2"));
    socket->offAnyOutgoing();
    socket->emitEvent(QStringLiteral("o3"));
    QCOMPARE(out, (QStringList{u"head:o1"_qs, u"tail:o1"_qs, u"head:o2"_qs}));
}

void tst_Socket::reservedListeners()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    Socket *socket = peer.socket;
    for (const char *name : {"connect", "connect_error", "newListener", "removeListener"}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is never called: use the signal")));
        QCOMPARE(socket->on(QString::fromLatin1(name), [](const QCborArray &, const Ack &) {}), Socket::ListenerId(0));
    }
    QStringList seen;
    socket->use([](const QString &event, QCborArray &) -> std::optional<QString> {
        return event == u"refused" ? std::optional<QString>(u"not allowed"_qs) : std::nullopt;
    });
    socket->on(QStringLiteral("error"), [&](const QCborArray &args, const Ack &) { seen.append(u"error:"_qs + args.at(0).toString()); });
    socket->on(QStringLiteral("disconnecting"), [&](const QCborArray &args, const Ack &) {
        seen.append(u"disconnecting:"_qs + args.at(0).toString() + u':' + QString::number(socket->rooms().size()));
    });
    socket->on(QStringLiteral("disconnect"), [&](const QCborArray &args, const Ack &) { seen.append(u"disconnect:"_qs + args.at(0).toString()); });
    socket->join(QStringLiteral("r"));
    peer.client.send(R"(42["refused"])");
    QTRY_COMPARE(seen, QStringList{u"error:not allowed"_qs});
    peer.client.send("41");
    QTRY_COMPARE(seen.size(), 3);
    QCOMPARE(seen.at(1), u"disconnecting:client namespace disconnect:2"_qs);
    QCOMPARE(seen.at(2), u"disconnect:client namespace disconnect"_qs);
}

void tst_Socket::reservedEventsAreNotEmitted()
{
    auto io = startServer();
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    for (const char *name : {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("reserved event")));
        peer.socket->emitEvent(QString::fromLatin1(name), {1});
    }
    peer.socket->emitEvent(QStringLiteral("fine"));
    QCOMPARE(peer.client.nextText(), QByteArray(R"(42["fine"])"));
}

// WebSocket: a volatile packet goes out unless the peer's backlog is over the high-water mark.
// However many are dropped, none is duplicated or reordered.
void tst_Socket::volatileOverWebSocket()
{
    ServerOptions options;
    options.engine.volatileHighWaterMark = 4096;
    auto io = startServer(options);
    QVERIFY(io);
    Peer peer(io.get());
    QVERIFY(peer.socket);
    const QString filler(1000, u'x');
    for (int i = 0; i < 200; ++i)
        peer.socket->emitVolatile(QStringLiteral("v"), {i, filler});
    peer.socket->emitEvent(QStringLiteral("done"));
    QList<int> seen;
    for (;;) {
        const QByteArray frame = peer.client.nextText();
        QVERIFY(!frame.isEmpty());
        if (frame == R"(42["done"])")
            break;
        QVERIFY(frame.startsWith(R"(42["v",)"));
        seen.append(frame.mid(7, frame.indexOf(',', 7) - 7).toInt());
    }
    QVERIFY(!seen.isEmpty());
    QCOMPARE(seen.first(), 0);
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY2(seen.at(i) > seen.at(i - 1), qPrintable(QString::number(i)));
    // 200 kB written in one pass of the event loop, flushed after it: past the 4 KiB high-water
    // mark the rest is dropped.
    QVERIFY2(seen.size() >= 2 && seen.size() < 20, qPrintable(QString::number(seen.size())));
}

// Polling: a volatile packet goes out only into a pending GET with nothing queued before it.
void tst_Socket::volatileOverPolling()
{
    auto io = startServer();
    QVERIFY(io);
    QSignalSpy connected(io->mainNamespace(), &Namespace::socketConnected);
    PollingClient client(io->serverPort());
    QVERIFY(client.handshake());
    QVERIFY(client.post("40"));
    QVERIFY(client.get().startsWith("40{\"sid\":\""));
    QCOMPARE(connected.size(), 1);
    Socket *socket = connected.at(0).at(0).value<Socket *>();
    QCOMPARE(socket->transportName(), u"polling"_qs);

    // No GET pending: dropped. Something queued: dropped too.
    socket->emitVolatile(QStringLiteral("v"), {1});
    socket->emitEvent(QStringLiteral("n"), {2});
    socket->emitVolatile(QStringLiteral("v"), {3});
    QCOMPARE(client.get(), QByteArray(R"(42["n",2])"));

    // A GET pending and nothing queued: sent, once.
    QNetworkReply *pending = client.startGet();
    QTRY_VERIFY(socket->conn()->transport()->isWritable());
    socket->emitVolatile(QStringLiteral("v"), {4});
    socket->emitVolatile(QStringLiteral("v"), {5}); // that GET is answered already
    QCOMPARE(client.finish(pending), QByteArray(R"(42["v",4])"));
    socket->emitEvent(QStringLiteral("n"), {6});
    QCOMPARE(client.get(), QByteArray(R"(42["n",6])"));
}

QTEST_MAIN(tst_Socket)
void tst_Socket::closeWithCallbackClosesAnAttachedHttpServer()
{
    HttpServer http;
    Server io;
    io.attach(&http);
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    const quint16 port = http.serverPort();
    Peer peer(&io);
    QVERIFY(peer.socket);
    PollingClient polling(port);
    QVERIFY(polling.handshake());
    QVERIFY(polling.post("40"));
    QVERIFY(polling.get().startsWith("40{"));
    QTRY_COMPARE(io.mainNamespace()->sockets().size(), 2);
    QStringList reasons;
    for (Socket *socket : io.mainNamespace()->sockets()) {
        QObject::connect(socket, &Socket::disconnected, this, [&reasons](const QString &why) { reasons.append(why); });
    }

    bool closed = false;
    io.close([&closed] { closed = true; });
    QCOMPARE(reasons, (QStringList{u"server shutting down"_qs, u"server shutting down"_qs}));
    QTRY_VERIFY(peer.client.isClosed());
    // The polling session still has to collect its close packet: the port stays open for it.
    QVERIFY(http.isListening());
    QVERIFY(!closed);
    QCOMPARE(polling.get(), QByteArray("1"));
    QTRY_VERIFY(closed);
    QVERIFY(!http.isListening());
    QCOMPARE(http.connectionCount(), 0);
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!late.waitForConnected(5000));
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
}

#include "tst_socket.moc"
