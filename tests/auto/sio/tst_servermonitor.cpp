// ServerMonitor: batches of socket, room, namespace and event changes published on a timer,
// snapshots, the per-batch event cap, stats counters, and secret masking; fed by a real server
// and raw clients on 127.0.0.1.

#include "rawclient.h"

#include <monitor/servermonitor.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Plugboard;
using namespace SioTest;

namespace {

std::unique_ptr<Server> startServer()
{
    auto io = std::make_unique<Server>();
    if (!io->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    return io;
}

ServerMonitor::Options fastBatches()
{
    ServerMonitor::Options options;
    options.batchIntervalMs = 20;
    return options;
}

// Every batch the monitor publishes, and lookups across them.
struct Batches
{
    explicit Batches(ServerMonitor *monitor)
    {
        QObject::connect(monitor, &ServerMonitor::batchReady, &context,
                         [this](const MonitorBatch &batch) { list.append(batch); });
    }
    QList<EventRecord> events(qsizetype from = 0) const
    {
        QList<EventRecord> out;
        for (qsizetype i = from; i < list.size(); ++i)
            out += list.at(i).events;
        return out;
    }
    QList<EventRecord> events(EventRecord::Kind kind, qsizetype from = 0) const
    {
        QList<EventRecord> out;
        for (const EventRecord &r : events(from)) {
            if (r.kind == kind)
                out.append(r);
        }
        return out;
    }
    // The latest description of a socket, if any batch had one.
    std::optional<SocketInfo> socket(const QString &key) const
    {
        for (qsizetype i = list.size() - 1; i >= 0; --i) {
            for (const SocketInfo &info : list.at(i).socketsAdded) {
                if (info.key() == key)
                    return info;
            }
        }
        return std::nullopt;
    }
    std::optional<RoomInfo> room(const QString &name) const
    {
        for (qsizetype i = list.size() - 1; i >= 0; --i) {
            for (const RoomInfo &info : list.at(i).roomsChanged) {
                if (info.name == name)
                    return info;
            }
        }
        return std::nullopt;
    }
    bool roomRemoved(const QString &name) const
    {
        for (const MonitorBatch &b : list) {
            for (const auto &room : b.roomsRemoved) {
                if (room.second == name)
                    return true;
            }
        }
        return false;
    }
    bool socketRemoved(const QString &key) const
    {
        for (const MonitorBatch &b : list) {
            if (b.socketsRemoved.contains(key))
                return true;
        }
        return false;
    }
    quint64 dropped(qsizetype from = 0) const
    {
        quint64 n = 0;
        for (qsizetype i = from; i < list.size(); ++i)
            n += list.at(i).eventsDropped;
        return n;
    }

    QList<MonitorBatch> list;
    QObject context;
};

} // namespace

class tst_ServerMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void socketLifecycle();
    void refusedConnection();
    void directEmitIsSentWithRecovery();
    void snapshot();
    void eventCap_data();
    void eventCap();
    void maskSecrets_data();
    void maskSecrets();
};

void tst_ServerMonitor::initTestCase()
{
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::MonitorBatch>();
}

void tst_ServerMonitor::socketLifecycle()
{
    auto io = startServer();
    QVERIFY(io);
    ServerMonitor monitor(io.get(), fastBatches());
    Batches batches(&monitor);

    RawClient client(io->serverPort(), "&room=lobby");
    QVERIFY(client.open());
    const QString sid = client.connect("/", R"({"user":"u","token":"secret","nested":{"password":"p"}})");
    QVERIFY(!sid.isEmpty());
    const QString key = u"/#"_qs + sid;
    Socket *socket = io->mainNamespace()->socket(sid);
    socket->join(QStringLiteral("r"));
    socket->data().insert(QStringLiteral("score"), 3);
    socket->join(QStringLiteral("r2")); // marks the socket changed after the data was set

    QTRY_VERIFY(batches.socket(key) && batches.socket(key)->rooms.size() == 3);
    const SocketInfo info = *batches.socket(key);
    QCOMPARE(info.nsp, u"/"_qs);
    QCOMPARE(info.id, sid);
    QCOMPARE(info.clientId, client.engineSid());
    QCOMPARE(info.transport, u"websocket"_qs);
    QCOMPARE(info.address, u"127.0.0.1"_qs);
    QStringList expectedRooms{sid, u"r"_qs, u"r2"_qs};
    std::sort(expectedRooms.begin(), expectedRooms.end());
    QCOMPARE(info.rooms, expectedRooms);
    QCOMPARE(info.data.value(QStringLiteral("score")).toInteger(), 3);
    QCOMPARE(info.query.value(QStringLiteral("room")).toString(), u"lobby"_qs);
    QCOMPARE(info.auth.value(QStringLiteral("user")).toString(), u"u"_qs);
    QCOMPARE(info.auth.value(QStringLiteral("token")).toString(), u"••••••"_qs);
    QCOMPARE(info.auth.value(QStringLiteral("nested")).toMap().value(QStringLiteral("password")).toString(), u"••••••"_qs);
    QVERIFY(!info.recovered);

    // Events: received (with the ack flag), sent to this socket, broadcast (once).
    client.send(R"(42["hello",1])");
    client.send(R"(421["hi"])");
    QTRY_COMPARE(io->counters().eventsIn, quint64(2));
    socket->emitEvent(QStringLiteral("direct"), {2});
    io->mainNamespace()->to(QStringLiteral("r")).except(QStringLiteral("nobody")).emitEvent(QStringLiteral("b"), {3});
    QTRY_COMPARE(batches.events(EventRecord::Kind::Broadcast).size(), 1);

    const QList<EventRecord> connectedRecords = batches.events(EventRecord::Kind::Connected);
    QCOMPARE(connectedRecords.size(), 1);
    QCOMPARE(connectedRecords.first().socketId, sid);
    QCOMPARE(connectedRecords.first().detail, u"websocket"_qs);
    const QList<EventRecord> joined = batches.events(EventRecord::Kind::RoomJoined);
    QCOMPARE(joined.size(), 2); // not the socket's own room
    QCOMPARE(joined.at(0).detail, u"r"_qs);
    QCOMPARE(joined.at(1).detail, u"r2"_qs);
    const QList<EventRecord> received = batches.events(EventRecord::Kind::Received);
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).event, u"hello"_qs);
    QCOMPARE(received.at(0).args, QCborArray{1});
    QVERIFY(!received.at(0).ackRequested);
    QCOMPARE(received.at(1).event, u"hi"_qs);
    QVERIFY(received.at(1).ackRequested);
    const QList<EventRecord> sent = batches.events(EventRecord::Kind::Sent);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().event, u"direct"_qs);
    QCOMPARE(sent.first().socketId, sid);
    QCOMPARE(sent.first().args, QCborArray{2});
    const EventRecord broadcast = batches.events(EventRecord::Kind::Broadcast).first();
    QCOMPARE(broadcast.event, u"b"_qs);
    QCOMPARE(broadcast.rooms, QStringList{u"r"_qs});
    QCOMPARE(broadcast.except, QStringList{u"nobody"_qs});
    QCOMPARE(broadcast.recipients, 1);
    QVERIFY(broadcast.socketId.isEmpty());
    quint64 seq = 0;
    for (const EventRecord &r : batches.events()) {
        QVERIFY(r.seq > seq);
        seq = r.seq;
    }

    const std::optional<RoomInfo> room = batches.room(u"r"_qs);
    QVERIFY(room);
    QCOMPARE(room->nsp, u"/"_qs);
    QCOMPARE(room->members, QStringList{sid});
    QVERIFY(!room->isPrivate);
    QVERIFY(batches.room(sid) && batches.room(sid)->isPrivate);

    const ServerStats stats = batches.list.last().stats;
    QCOMPARE(stats.clients, 1);
    QCOMPARE(stats.webSocketClients, 1);
    QCOMPARE(stats.pollingClients, 0);
    QCOMPARE(stats.sockets, 1);
    QCOMPARE(stats.rooms, 2); // the socket's own room is not counted, as in /metrics
    QCOMPARE(stats.eventsIn, quint64(2));
    QCOMPARE(stats.eventsOut, quint64(2));
    QCOMPARE(stats.connectionsTotal, quint64(1));
    QVERIFY(stats.bytesIn > 0 && stats.bytesOut > 0);

    // The socket leaves: removed, with its reason counted; its rooms go away.
    client.send("41");
    QTRY_VERIFY(batches.socketRemoved(key));
    QTRY_VERIFY(batches.roomRemoved(u"r"_qs) && batches.roomRemoved(sid));
    const QList<EventRecord> gone = batches.events(EventRecord::Kind::Disconnected);
    QCOMPARE(gone.size(), 1);
    QCOMPARE(gone.first().socketId, sid);
    QCOMPARE(gone.first().detail, u"client namespace disconnect"_qs);
    QTRY_COMPARE(batches.list.last().stats.sockets, 0);
    QCOMPARE(batches.list.last().stats.disconnectsByReason,
             (QHash<QString, quint64>{{u"client namespace disconnect"_qs, 1}}));
    bool namespaceCounted = false;
    for (const MonitorBatch &b : std::as_const(batches.list)) {
        for (const NamespaceInfo &n : b.namespaces)
            namespaceCounted = namespaceCounted || (n.name == u"/" && n.sockets == 1);
    }
    QVERIFY(namespaceCounted);
}

void tst_ServerMonitor::refusedConnection()
{
    auto io = startServer();
    QVERIFY(io);
    io->of(QStringLiteral("/mw"))->use([](Socket *, const Namespace::Next &next) {
        next(ConnectError{QStringLiteral("go away"), QCborValue(1)});
    });
    ServerMonitor monitor(io.get(), fastBatches());
    Batches batches(&monitor);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    QVERIFY(client.connect("/mw").isEmpty());
    QTRY_COMPARE(batches.events(EventRecord::Kind::ConnectRefused).size(), 1);
    const EventRecord r = batches.events(EventRecord::Kind::ConnectRefused).first();
    QCOMPARE(r.nsp, u"/mw"_qs);
    QCOMPARE(r.socketId, client.engineSid());
    QCOMPARE(r.detail, u"go away"_qs);
    QTRY_COMPARE(batches.list.last().stats.connectErrors, quint64(1));
    QCOMPARE(batches.list.last().stats.sockets, 0);
}

// EventRecord::Kind::Sent is "an event to one socket". With connection-state recovery on,
// Socket::emitEvent goes through the adapter (so that it is stored with an offset), and the
// monitor then records a Broadcast to the socket's own room instead.
void tst_ServerMonitor::directEmitIsSentWithRecovery()
{
    ServerOptions options;
    options.connectionStateRecovery.enabled = true;
    Server io(options);
    QVERIFY(io.listen(QHostAddress::LocalHost, 0));
    ServerMonitor monitor(&io, fastBatches());
    Batches batches(&monitor);
    RawClient client(io.serverPort());
    QVERIFY(client.open());
    const QString sid = client.connect();
    QVERIFY(!sid.isEmpty());
    io.mainNamespace()->socket(sid)->emitEvent(QStringLiteral("direct"), {1});
    QVERIFY(client.nextText().startsWith("42[\"direct\",1,"));
    QTRY_VERIFY(!batches.events(EventRecord::Kind::Sent).isEmpty() || !batches.events(EventRecord::Kind::Broadcast).isEmpty());
    QCOMPARE(batches.events(EventRecord::Kind::Sent).size(), 1);
    QCOMPARE(batches.events(EventRecord::Kind::Sent).first().socketId, sid);
    QCOMPARE(batches.events(EventRecord::Kind::Broadcast).size(), 0);
}

void tst_ServerMonitor::snapshot()
{
    auto io = startServer();
    QVERIFY(io);
    io->of(QStringLiteral("/admin"));
    RawClient a(io->serverPort()), b(io->serverPort());
    QVERIFY(a.open() && b.open());
    const QString ida = a.connect(), idb = b.connect("/admin");
    QVERIFY(!ida.isEmpty() && !idb.isEmpty());
    io->mainNamespace()->socket(ida)->join(QStringLiteral("r"));

    ServerMonitor::Options options;
    options.batchIntervalMs = 60000; // no batch during this test
    ServerMonitor monitor(io.get(), options);
    const MonitorBatch snap = monitor.snapshot();
    QVERIFY(snap.isSnapshot);
    QStringList keys;
    for (const SocketInfo &info : snap.socketsAdded)
        keys.append(info.key());
    keys.sort();
    QStringList expectedKeys{u"/#"_qs + ida, u"/admin#"_qs + idb};
    expectedKeys.sort();
    QCOMPARE(keys, expectedKeys);
    QHash<QString, int> perNamespace;
    for (const NamespaceInfo &n : snap.namespaces)
        perNamespace.insert(n.name, n.sockets);
    QCOMPARE(perNamespace, (QHash<QString, int>{{u"/"_qs, 1}, {u"/admin"_qs, 1}}));
    QStringList rooms;
    for (const RoomInfo &r : snap.roomsChanged)
        rooms.append(r.nsp + u':' + r.name);
    rooms.sort();
    QStringList expectedRooms{u"/:"_qs + ida, u"/:r"_qs, u"/admin:"_qs + idb};
    expectedRooms.sort();
    QCOMPARE(rooms, expectedRooms);
    QCOMPARE(snap.stats.sockets, 2);
    QCOMPARE(snap.stats.clients, 2);
    QVERIFY(snap.events.isEmpty());

    QSignalSpy ready(&monitor, &ServerMonitor::snapshotReady);
    monitor.requestSnapshot();
    QCOMPARE(ready.size(), 1);
    QVERIFY(ready.at(0).at(0).value<MonitorBatch>().isSnapshot);
    QCOMPARE(ready.at(0).at(0).value<MonitorBatch>().socketsAdded.size(), 2);
}

void tst_ServerMonitor::eventCap_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<bool>("recordEvents");
    QTest::addColumn<bool>("recordArguments");

    QTest::newRow("no cap reached") << 5000 << true << true;
    QTest::newRow("cap of 3") << 3 << true << true;
    QTest::newRow("cap of 1, names only") << 1 << true << false;
    QTest::newRow("names only") << 5000 << true << false;
    QTest::newRow("no events recorded") << 5000 << false << true;
}

// However the events fall into batches: each batch holds at most `cap` records, and the
// records kept plus those counted as dropped are all of them.
void tst_ServerMonitor::eventCap()
{
    QFETCH(int, cap);
    QFETCH(bool, recordEvents);
    QFETCH(bool, recordArguments);

    auto io = startServer();
    QVERIFY(io);
    ServerMonitor::Options options = fastBatches();
    options.maxEventsPerBatch = cap;
    options.recordEvents = recordEvents;
    options.recordArguments = recordArguments;
    ServerMonitor monitor(io.get(), options);
    Batches batches(&monitor);
    RawClient client(io->serverPort());
    QVERIFY(client.open());
    const QString sid = client.connect();
    QVERIFY(!sid.isEmpty());
    // Wait until the connection is published, so that later batches hold only the events.
    QTRY_VERIFY(batches.socket(u"/#"_qs + sid));
    const qsizetype from = batches.list.size();

    constexpr int N = 20;
    for (int i = 0; i < N; ++i)
        client.send("42[\"e\"," + QByteArray::number(i) + "]");
    QTRY_COMPARE(io->counters().eventsIn, quint64(N));
    const qsizetype last = batches.list.size();
    QTRY_VERIFY(batches.list.size() > last); // one more flush after the last event

    for (qsizetype i = from; i < batches.list.size(); ++i)
        QVERIFY(batches.list.at(i).events.size() <= cap);
    const QList<EventRecord> kept = batches.events(EventRecord::Kind::Received, from);
    QCOMPARE(batches.events(from).size(), kept.size());
    if (!recordEvents) {
        QCOMPARE(kept.size(), 0);
        QCOMPARE(batches.dropped(from), quint64(0));
        QVERIFY(batches.socket(u"/#"_qs + sid)); // sockets are still published
        return;
    }
    QCOMPARE(quint64(kept.size()) + batches.dropped(from), quint64(N));
    if (cap >= N)
        QCOMPARE(kept.size(), N);
    for (const EventRecord &r : kept)
        QCOMPARE(r.args.isEmpty(), !recordArguments);
    for (qsizetype i = 1; i < kept.size(); ++i)
        QVERIFY(kept.at(i).seq > kept.at(i - 1).seq);
}

void tst_ServerMonitor::maskSecrets_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray dots = "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2";
    QTest::newRow("empty") << QByteArray("{}") << QByteArray("{}");
    QTest::newRow("nothing secret") << QByteArray(R"({"user":"u","n":1})") << QByteArray(R"({"user":"u","n":1})");
    QTest::newRow("token") << QByteArray(R"({"token":"abc","user":"u"})") << QByteArray("{\"token\":\"" + dots + R"(","user":"u"})");
    QTest::newRow("case and substrings") << QByteArray(R"({"Authorization":"Bearer x","apiKey":"k","myPassword":1})")
                                         << QByteArray("{\"Authorization\":\"" + dots + "\",\"apiKey\":\"" + dots
                                                       + "\",\"myPassword\":\"" + dots + "\"}");
    QTest::newRow("nested maps") << QByteArray(R"({"creds":{"secret":"s","id":7},"cookie":"c"})")
                                 << QByteArray("{\"creds\":{\"secret\":\"" + dots + "\",\"id\":7},\"cookie\":\"" + dots + "\"}");
    QTest::newRow("secret key holding an array") << QByteArray(R"({"tokens":["a","b"]})")
                                                 << QByteArray("{\"tokens\":\"" + dots + "\"}");
    QTest::newRow("secret key holding a map is searched, not masked")
        << QByteArray(R"({"token":{"value":"v","secret":"s"}})")
        << QByteArray("{\"token\":{\"value\":\"v\",\"secret\":\"" + dots + "\"}}");
}

void tst_ServerMonitor::maskSecrets()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QCborMap map = QCborValue::fromJsonValue(QJsonDocument::fromJson(input).object()).toMap();
    const QCborMap masked = ServerMonitor::maskSecrets(map);
    // Key order aside (QJsonObject compares as a set of keys).
    QCOMPARE(masked.toJsonObject(), QJsonDocument::fromJson(expected).object());
    QCOMPARE(masked.size(), map.size());
}

QTEST_MAIN(tst_ServerMonitor)
#include "tst_servermonitor.moc"
