// Namespace and ParentNamespace: middlewares (refusal frames with data, chains, asynchronous
// next), dynamic children (inheritance, parent emits, cleanup), and the namespace-wide
// operations fetchSockets / socketsJoin / socketsLeave / disconnectSockets.

#include "rawclient.h"

#include <adapter/adapter.h>
#include <sio/namespace.h>
#include <sio/parentnamespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Plugboard;
using namespace SioTest;

namespace {

std::unique_ptr<Server> startServer(ServerOptions options = {})
{
    auto io = std::make_unique<Server>(options);
    if (!io->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    io->of(QStringLiteral("/probe")); // a namespace to check that a connection is still usable
    return io;
}

QStringList sorted(QStringList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

QStringList sortedRooms(const Socket *socket)
{
    return sorted(socket->rooms().values());
}

// fetchSockets of the in-memory adapter answers before it returns.
QList<RemoteSocket> fetchNow(const BroadcastOperator &op)
{
    std::optional<FetchSocketsResult> result;
    op.fetchSockets([&](const FetchSocketsResult &r) { result = r; });
    if (!result || !result->ok)
        qWarning("fetchSockets did not answer at once");
    return result ? result->sockets : QList<RemoteSocket>();
}

QStringList fetchedIds(const BroadcastOperator &op)
{
    QStringList out;
    for (const RemoteSocket &socket : fetchNow(op))
        out.append(socket.id());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class tst_Namespace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void middlewareRefusal_data();
    void middlewareRefusal();
    void middlewareChain();
    void middlewareNextTwice();
    void connectionGoneDuringMiddleware();
    void dynamicChild_data();
    void dynamicChild();
    void parentEmitReachesChildren();
    void parentToRoomReachesChildren();
    void cleanupEmptyChildNamespaces_data();
    void cleanupEmptyChildNamespaces();
    void fetchJoinLeave();
    void disconnectSockets_data();
    void disconnectSockets();
};

void tst_Namespace::middlewareRefusal_data()
{
    QTest::addColumn<bool>("refuse");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QCborValue>("data");
    QTest::addColumn<bool>("async");
    QTest::addColumn<QByteArray>("expected"); // the whole frame, or its prefix when admitted

    const QCborValue none(QCborValue::Undefined);
    QCborMap object;
    object.insert(QStringLiteral("code"), 4001);
    object.insert(QStringLiteral("hint"), QStringLiteral("send a token"));

    QTest::newRow("admitted") << false << QString() << none << false << QByteArray(R"(40/mw,{"sid":)");
    QTest::newRow("admitted later") << false << QString() << none << true << QByteArray(R"(40/mw,{"sid":)");
    QTest::newRow("message only") << true << u"nope"_qs << none << false << QByteArray(R"(44/mw,{"message":"nope"})");
    QTest::newRow("message only, later") << true << u"nope"_qs << none << true << QByteArray(R"(44/mw,{"message":"nope"})");
    QTest::newRow("object data") << true << u"nope"_qs << QCborValue(object) << false
                                 << QByteArray(R"(44/mw,{"message":"nope","data":{"code":4001,"hint":"send a token"}})");
    QTest::newRow("object data, later") << true << u"nope"_qs << QCborValue(object) << true
                                        << QByteArray(R"(44/mw,{"message":"nope","data":{"code":4001,"hint":"send a token"}})");
    QTest::newRow("null data") << true << u"n"_qs << QCborValue(QCborValue::Null) << false
                               << QByteArray(R"(44/mw,{"message":"n","data":null})");
    QTest::newRow("zero data") << true << u"z"_qs << QCborValue(0) << false << QByteArray(R"(44/mw,{"message":"z","data":0})");
    QTest::newRow("string data") << true << u"s"_qs << QCborValue(u"why"_qs) << false
                                 << QByteArray(R"(44/mw,{"message":"s","data":"why"})");
    QTest::newRow("array data") << true << u"a"_qs << QCborValue(QCborArray{1, u"two"_qs, false}) << false
                                << QByteArray(R"(44/mw,{"message":"a","data":[1,"two",false]})");
    QTest::newRow("escaped message") << true << u"é \"q\" \\ \x1e"_qs << none << false
                                     << QByteArray("44/mw,{\"message\":\"\xc3\xa9 \\\"q\\\" \\\\ \\u001e\"}");
    QTest::newRow("empty message") << true << QString() << none << false << QByteArray(R"(44/mw,{"message":""})");
}

void tst_Namespace::middlewareRefusal()
{
    QFETCH(bool, refuse);
    QFETCH(QString, message);
    QFETCH(QCborValue, data);
    QFETCH(bool, async);
    QFETCH(QByteArray, expected);

    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->of(QStringLiteral("/mw"));
    const std::optional<ConnectError> verdict = refuse ? std::optional(ConnectError{message, data}) : std::nullopt;
    nsp->use([&](Socket *socket, const Namespace::Next &next) {
        if (async)
            QTimer::singleShot(1, socket, [next, verdict] { next(verdict); });
        else
            next(verdict);
    });
    QSignalSpy refused(nsp, &Namespace::connectionRefused);
    QSignalSpy connected(nsp, &Namespace::socketConnected);

    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(!client.connect().isEmpty());
    client.send("40/mw,");
    const QByteArray reply = client.nextText();
    if (refuse) {
        QCOMPARE(reply, expected);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).at(0).toString(), client.engineSid());
        QCOMPARE(refused.at(0).at(1).value<ConnectError>().message, message);
        QCOMPARE(connected.size(), 0);
        QCOMPARE(nsp->sockets().size(), 0);
        QCOMPARE(io->counters().connectErrors, quint64(1));
        QCOMPARE(nsp->adapter()->rooms().size(), 0); // the refused socket's own room is gone
    } else {
        QVERIFY2(reply.startsWith(expected), reply.constData());
        QCOMPARE(connected.size(), 1);
        QCOMPARE(refused.size(), 0);
        QCOMPARE(io->counters().connectErrors, quint64(0));
    }
    // Either way the connection lives on.
    QVERIFY(!client.connect("/probe").isEmpty());
    QVERIFY(!client.isClosed());
}

void tst_Namespace::middlewareChain()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    QStringList ran;
    nsp->use([&](Socket *socket, const Namespace::Next &next) {
        ran.append(QStringLiteral("first"));
        socket->data().insert(QStringLiteral("user"), socket->handshake().auth.value(QStringLiteral("user")));
        next(std::nullopt);
    });
    nsp->use([&](Socket *socket, const Namespace::Next &next) {
        ran.append(QStringLiteral("second:") + socket->data().value(QStringLiteral("user")).toString());
        if (socket->data().value(QStringLiteral("user")).toString() == QLatin1String("mallory"))
            return next(ConnectError{QStringLiteral("banned"), {}});
        QTimer::singleShot(0, socket, [next] { next(std::nullopt); });
    });
    nsp->use([&](Socket *, const Namespace::Next &next) {
        ran.append(QStringLiteral("third"));
        next(std::nullopt);
    });

    RawClient alice(io->serverPort());
    QVERIFY(alice.open());
    const QString aliceId = alice.connect("/", R"({"user":"alice"})");
    QVERIFY(!aliceId.isEmpty());
    QCOMPARE(ran, (QStringList{u"first"_qs, u"second:alice"_qs, u"third"_qs}));
    const QList<RemoteSocket> fetched = fetchNow(nsp->all());
    QCOMPARE(fetched.size(), 1);
    QCOMPARE(fetched.first().id(), aliceId);
    QVERIFY(fetched.first().isLocal());
    QCOMPARE(fetched.first().data().value(QStringLiteral("user")).toString(), u"alice"_qs);
    QCOMPARE(fetched.first().rooms(), QStringList{aliceId});
    QCOMPARE(fetched.first().handshake().auth.value(QStringLiteral("user")).toString(), u"alice"_qs);

    ran.clear();
    RawClient mallory(io->serverPort());
    QVERIFY(mallory.open());
    QVERIFY(mallory.connect("/", R"({"user":"mallory"})").isEmpty());
    QCOMPARE(mallory.lastConnectReply, QByteArray(R"(44{"message":"banned"})"));
    QCOMPARE(ran, (QStringList{u"first"_qs, u"second:mallory"_qs}));
    QCOMPARE(fetchedIds(nsp->all()), QStringList{aliceId});
}

void tst_Namespace::middlewareNextTwice()
{
    auto io = startServer();
    QVERIFY(io);
    io->use([](Socket *, const Namespace::Next &next) {
        next(std::nullopt);
        next(ConnectError{QStringLiteral("too late"), {}});
        next(std::nullopt);
    });
    QSignalSpy connected(io->mainNamespace(), &Namespace::socketConnected);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(!client.connect().isEmpty());
    QVERIFY(!client.connect("/probe").isEmpty());
    QCOMPARE(connected.size(), 1);
    QVERIFY(client.queue.isEmpty()); // one CONNECT reply, no CONNECT_ERROR
}

// The client leaves while an asynchronous middleware decides: no socket, no crash.
void tst_Namespace::connectionGoneDuringMiddleware()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace::Next pending;
    io->use([&](Socket *, const Namespace::Next &next) { pending = next; });
    QSignalSpy connected(io->mainNamespace(), &Namespace::socketConnected);
    QSignalSpy closed(io.get(), &Server::clientDisconnected);
    {
        RawClient client(io->serverPort());
        QVERIFY(client.open());
        client.send("40");
        QTRY_VERIFY(bool(pending));
        client.abort();
    }
    QTRY_COMPARE(closed.size(), 1);
    pending(std::nullopt);
    QCOMPARE(connected.size(), 0);
    QCOMPARE(io->mainNamespace()->sockets().size(), 0);
    QTRY_COMPARE(io->mainNamespace()->adapter()->rooms().size(), 0);
}

void tst_Namespace::dynamicChild_data()
{
    QTest::addColumn<bool>("regex");
    QTest::addColumn<QByteArray>("connect");
    QTest::addColumn<QString>("child"); // empty: refused

    QTest::newRow("regex") << true << QByteArray("40/dyn-1,") << u"/dyn-1"_qs;
    QTest::newRow("regex, long number") << true << QByteArray("40/dyn-0042,") << u"/dyn-0042"_qs;
    QTest::newRow("regex, no number") << true << QByteArray("40/dyn-,") << QString();
    QTest::newRow("regex, suffix") << true << QByteArray("40/dyn-1x,") << QString();
    QTest::newRow("predicate") << false << QByteArray(R"(40/org-a,{"org":"a"})") << u"/org-a"_qs;
    QTest::newRow("predicate, other org") << false << QByteArray(R"(40/org-a,{"org":"b"})") << QString();
    QTest::newRow("predicate, no auth") << false << QByteArray("40/org-a,") << QString();
    QTest::newRow("predicate, auth not an object") << false << QByteArray(R"(40/org-a,"a")") << QString();
}

void tst_Namespace::dynamicChild()
{
    QFETCH(bool, regex);
    QFETCH(QByteArray, connect);
    QFETCH(QString, child);

    auto io = startServer();
    QVERIFY(io);
    ParentNamespace *parent = regex ? io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")))
                                    : io->of([](const QString &name, const QCborMap &auth) {
                                          return name.startsWith(QLatin1String("/org-"))
                                              && auth.value(QStringLiteral("org")).toString() == name.mid(5);
                                      });
    parent->use([](Socket *socket, const Namespace::Next &next) {
        socket->data().insert(QStringLiteral("parent"), true);
        next(std::nullopt);
    });
    QSignalSpy childCreated(parent, &ParentNamespace::childCreated);
    QSignalSpy parentConnected(parent, &Namespace::socketConnected);
    QSignalSpy parentDisconnected(parent, &Namespace::socketDisconnected);

    RawClient client(io->serverPort());
    QVERIFY(client.open());
    client.send(connect);
    const QByteArray reply = client.nextText();
    if (child.isEmpty()) {
        if (connect.endsWith("\"a\"")) {
            // A CONNECT payload that is not an object is a protocol error (Node closes).
            QVERIFY(client.waitClosed());
        } else {
            const QByteArray name = connect.mid(2, connect.indexOf(',') - 2);
            QCOMPARE(reply, QByteArray("44" + name + R"(,{"message":"Invalid namespace"})"));
        }
        QCOMPARE(childCreated.size(), 0);
        QVERIFY(parent->children().isEmpty());
        return;
    }
    QVERIFY2(reply.startsWith(QByteArray("40" + child.toUtf8() + ",{\"sid\":")), reply.constData());
    QCOMPARE(childCreated.size(), 1);
    Namespace *ns = io->existingNamespace(child);
    QVERIFY(ns);
    QCOMPARE(childCreated.at(0).at(0).value<Namespace *>(), ns);
    QCOMPARE(parent->children(), QList<Namespace *>{ns});
    QCOMPARE(ns->name(), child);
    QCOMPARE(ns->middlewares().size(), 1); // inherited
    QCOMPARE(parentConnected.size(), 1);
    Socket *socket = parentConnected.at(0).at(0).value<Socket *>();
    QCOMPARE(socket->nsp(), ns);
    QCOMPARE(socket->data().value(QStringLiteral("parent")), QCborValue(true));
    QVERIFY(parent->sockets().isEmpty()); // sockets live in the child

    // A second client reuses the child.
    RawClient again(io->serverPort());
    QVERIFY(again.open());
    again.send(connect);
    QVERIFY(again.nextText().startsWith(QByteArray("40" + child.toUtf8() + ",{\"sid\":")));
    QCOMPARE(childCreated.size(), 1);
    QCOMPARE(ns->sockets().size(), 2);

    client.send(QByteArray("41" + child.toUtf8() + ","));
    QTRY_COMPARE(parentDisconnected.size(), 1);
    QCOMPARE(parentDisconnected.at(0).at(1).toString(), u"client namespace disconnect"_qs);
}

void tst_Namespace::parentEmitReachesChildren()
{
    auto io = startServer();
    QVERIFY(io);
    ParentNamespace *parent = io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    ParentNamespace *other = io->of(QRegularExpression(QStringLiteral("^/other-\\d+$")));
    RawClient a(io->serverPort());
    RawClient b(io->serverPort());
    RawClient c(io->serverPort());
    QVERIFY(a.open() && b.open() && c.open());
    QVERIFY(!a.connect("/dyn-1").isEmpty());
    QVERIFY(!a.connect("/").isEmpty());
    QVERIFY(!b.connect("/dyn-2").isEmpty());
    QVERIFY(!c.connect("/other-1").isEmpty());
    QCOMPARE(parent->children().size(), 2);
    QCOMPARE(other->children().size(), 1);

    parent->emitEvent(QStringLiteral("news"), {1, QStringLiteral("x")});
    QCOMPARE(a.nextText(), QByteArray(R"(42/dyn-1,["news",1,"x"])"));
    QCOMPARE(b.nextText(), QByteArray(R"(42/dyn-2,["news",1,"x"])"));
    // Nothing for the other parent's child, nor for "/": the next frame each gets is this one.
    io->mainNamespace()->emitEvent(QStringLiteral("marker"));
    other->emitEvent(QStringLiteral("marker"));
    QCOMPARE(a.nextText(), QByteArray(R"(42["marker"])"));
    QCOMPARE(c.nextText(), QByteArray(R"(42/other-1,["marker"])"));
}

// Node's ParentNamespace broadcasts through a ParentBroadcastAdapter that forwards to every
// child's adapter, so `io.of(/regex/).to("room").emit()` reaches the room in every child.
void tst_Namespace::parentToRoomReachesChildren()
{
    auto io = startServer();
    QVERIFY(io);
    ParentNamespace *parent = io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    RawClient a(io->serverPort());
    RawClient b(io->serverPort());
    QVERIFY(a.open() && b.open());
    QVERIFY(!a.connect("/dyn-1").isEmpty());
    QVERIFY(!b.connect("/dyn-2").isEmpty());
    for (Namespace *child : parent->children())
        child->socketsJoin({QStringLiteral("vip")});

    parent->to(QStringLiteral("vip")).emitEvent(QStringLiteral("vip-news"), {1});
    const QByteArray got = a.nextText(500);
    QCOMPARE(got, QByteArray(R"(42/dyn-1,["vip-news",1])"));
    QCOMPARE(b.nextText(), QByteArray(R"(42/dyn-2,["vip-news",1])"));
}

void tst_Namespace::cleanupEmptyChildNamespaces_data()
{
    QTest::addColumn<bool>("cleanup");
    QTest::newRow("on") << true;
    QTest::newRow("off") << false;
}

void tst_Namespace::cleanupEmptyChildNamespaces()
{
    QFETCH(bool, cleanup);

    ServerOptions options;
    options.cleanupEmptyChildNamespaces = cleanup;
    auto io = startServer(options);
    QVERIFY(io);
    ParentNamespace *parent = io->of(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    QSignalSpy removed(io.get(), &Server::namespaceRemoved);
    QSignalSpy created(io.get(), &Server::namespaceCreated);
    RawClient a(io->serverPort());
    RawClient b(io->serverPort());
    QVERIFY(a.open() && b.open());
    QVERIFY(!a.connect("/dyn-5").isEmpty());
    QVERIFY(!b.connect("/dyn-5").isEmpty());
    QPointer<Namespace> child = io->existingNamespace(u"/dyn-5"_qs);
    QVERIFY(child);

    a.send("41/dyn-5,");
    QTRY_COMPARE(child->sockets().size(), 1);
    QCOMPARE(removed.size(), 0);

    b.close(); // transport close counts as well
    QTRY_COMPARE(io->clients().size(), 1);
    if (cleanup) {
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(0).toString(), u"/dyn-5"_qs);
        QVERIFY(!io->existingNamespace(u"/dyn-5"_qs));
        QVERIFY(parent->children().isEmpty());
        QTRY_VERIFY(child.isNull()); // deleted later
    } else {
        QCOMPARE(removed.size(), 0);
        QCOMPARE(io->existingNamespace(u"/dyn-5"_qs), child.data());
        QCOMPARE(parent->children().size(), 1);
    }

    // Connecting again works, with a new child when the old one went away.
    QVERIFY(!a.connect("/dyn-5").isEmpty());
    QCOMPARE(created.size(), cleanup ? 2 : 1);
    QCOMPARE(parent->children().size(), 1);
}

void tst_Namespace::fetchJoinLeave()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    RawClient a(io->serverPort());
    RawClient b(io->serverPort());
    RawClient c(io->serverPort());
    QVERIFY(a.open() && b.open() && c.open());
    const QString ida = a.connect(), idb = b.connect(), idc = c.connect();
    QVERIFY(!ida.isEmpty() && !idb.isEmpty() && !idc.isEmpty());
    nsp->socket(ida)->join(QStringLiteral("x"));
    nsp->socket(idb)->join(QSet<QString>{QStringLiteral("x"), QStringLiteral("y")});

    QCOMPARE(fetchedIds(nsp->all()), sorted({ida, idb, idc}));
    QCOMPARE(fetchedIds(nsp->to(QStringLiteral("x"))), sorted({ida, idb}));
    QCOMPARE(fetchedIds(nsp->to(QStringLiteral("x")).except(QStringLiteral("y"))), QStringList{ida});
    QCOMPARE(fetchedIds(nsp->to(QStringList{u"y"_qs, idc})), sorted({idb, idc}));
    QCOMPARE(fetchedIds(nsp->except(QStringLiteral("x"))), QStringList{idc});
    QCOMPARE(fetchedIds(nsp->to(QStringLiteral("nobody"))), QStringList());

    QSignalSpy joined(nsp->adapter(), &Adapter::roomJoined);
    nsp->to(QStringLiteral("x")).socketsJoin({QStringLiteral("z"), QStringLiteral("y")});
    QCOMPARE(joined.size(), 3); // a: z, y; b: z (already in y)
    QCOMPARE(sortedRooms(nsp->socket(ida)), sorted({ida, u"x"_qs, u"y"_qs, u"z"_qs}));
    QCOMPARE(sortedRooms(nsp->socket(idb)), sorted({idb, u"x"_qs, u"y"_qs, u"z"_qs}));
    QCOMPARE(sortedRooms(nsp->socket(idc)), QStringList{idc});

    nsp->except(QStringLiteral("nobody")).socketsLeave({QStringLiteral("x"), QStringLiteral("never")});
    QCOMPARE(sortedRooms(nsp->socket(ida)), sorted({ida, u"y"_qs, u"z"_qs}));
    QCOMPARE(sortedRooms(nsp->socket(idb)), sorted({idb, u"y"_qs, u"z"_qs}));
    QVERIFY(!nsp->adapter()->rooms().contains(u"x"_qs));

    nsp->socketsJoin({QStringLiteral("all")});
    QCOMPARE(fetchedIds(nsp->to(QStringLiteral("all"))), sorted({ida, idb, idc}));
    nsp->socketsLeave({QStringLiteral("all")});
    QVERIFY(!nsp->adapter()->rooms().contains(u"all"_qs));
    // No frames are sent for any of this.
    QVERIFY(a.queue.isEmpty() && b.queue.isEmpty() && c.queue.isEmpty());
}

void tst_Namespace::disconnectSockets_data()
{
    QTest::addColumn<QString>("room"); // empty: everyone
    QTest::addColumn<bool>("close");
    QTest::addColumn<QList<bool>>("hit"); // per client a, b, c (a and b are in "kick")

    QTest::newRow("room") << u"kick"_qs << false << QList<bool>{true, true, false};
    QTest::newRow("room, close") << u"kick"_qs << true << QList<bool>{true, true, false};
    QTest::newRow("everyone") << QString() << false << QList<bool>{true, true, true};
    QTest::newRow("everyone, close") << QString() << true << QList<bool>{true, true, true};
    QTest::newRow("empty room") << u"nobody"_qs << false << QList<bool>{false, false, false};
    QTest::newRow("empty room, close") << u"nobody"_qs << true << QList<bool>{false, false, false};
}

void tst_Namespace::disconnectSockets()
{
    QFETCH(QString, room);
    QFETCH(bool, close);
    QFETCH(QList<bool>, hit);

    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Namespace *admin = io->of(QStringLiteral("/admin"));
    RawClient clients[3]{RawClient(io->serverPort()), RawClient(io->serverPort()), RawClient(io->serverPort())};
    QList<QSignalSpy *> spies;
    QList<QSignalSpy *> adminSpies;
    for (int i = 0; i < 3; ++i) {
        QVERIFY(clients[i].open());
        const QString id = clients[i].connect();
        QVERIFY(!id.isEmpty());
        const QString adminId = clients[i].connect("/admin");
        QVERIFY(!adminId.isEmpty());
        if (i < 2)
            nsp->socket(id)->join(QStringLiteral("kick"));
        spies.append(new QSignalSpy(nsp->socket(id), &Socket::disconnected));
        adminSpies.append(new QSignalSpy(admin->socket(adminId), &Socket::disconnected));
    }
    const auto cleanup = qScopeGuard([&] { qDeleteAll(spies); qDeleteAll(adminSpies); });

    if (room.isEmpty())
        nsp->disconnectSockets(close);
    else
        nsp->to(room).disconnectSockets(close);

    for (int i = 0; i < 3; ++i) {
        if (!hit.at(i))
            continue;
        // A DISCONNECT for "/"; with close, one for /admin too (in no particular order),
        // then the connection ends.
        QByteArrayList frames{clients[i].nextText()};
        if (close)
            frames.append(clients[i].nextText());
        std::sort(frames.begin(), frames.end());
        const QByteArrayList expected = close ? QByteArrayList{"41", "41/admin,"} : QByteArrayList{"41"};
        QCOMPARE(frames, expected);
        QTRY_COMPARE(spies.at(i)->size(), 1);
        QCOMPARE(spies.at(i)->at(0).at(0).toString(), u"server namespace disconnect"_qs);
        if (close) {
            QVERIFY(clients[i].waitClosed());
            QCOMPARE(adminSpies.at(i)->size(), 1);
            QCOMPARE(adminSpies.at(i)->at(0).at(0).toString(), u"server namespace disconnect"_qs);
        }
    }
    // The others (and /admin without close) are untouched.
    for (int i = 0; i < 3; ++i) {
        if (hit.at(i) && close)
            continue;
        QVERIFY(!clients[i].connect("/probe").isEmpty());
        QVERIFY(!clients[i].isClosed());
        QCOMPARE(adminSpies.at(i)->size(), 0);
        if (!hit.at(i))
            QCOMPARE(spies.at(i)->size(), 0);
    }
    int remaining = 0;
    for (bool h : hit)
        remaining += h ? 0 : 1;
    QCOMPARE(nsp->sockets().size(), remaining);
}

void tst_Namespace::initTestCase()
{
    // Signal arguments declared with forward-declared types, for QSignalSpy.
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::Namespace *>();
}

QTEST_MAIN(tst_Namespace)
#include "tst_namespace.moc"
