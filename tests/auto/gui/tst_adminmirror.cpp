// AdminMirror: the admin-ui protocol's events (as Node's @socket.io/admin-ui 0.5.1 and
// plugboard send them) turned into monitor batches.

#include <adminmirror.h>

#include <QtCore/QCborMap>
#include <QtTest/QTest>

using namespace Plugboard;

namespace {

QCborMap serialized(const QString &nsp, const QString &id, const QStringList &rooms, const QString &transport = QStringLiteral("polling"))
{
    QCborArray roomList;
    for (const QString &room : rooms)
        roomList.append(room);
    QCborMap handshake{{QStringLiteral("address"), QStringLiteral("127.0.0.1")},
                       {QStringLiteral("issued"), qint64(1795702198092)},
                       {QStringLiteral("headers"), QCborMap{{QStringLiteral("user-agent"), QStringLiteral("test")}}},
                       {QStringLiteral("query"), QCborMap{{QStringLiteral("EIO"), QStringLiteral("4")}}}};
    return QCborMap{{QStringLiteral("id"), id},
                    {QStringLiteral("clientId"), QStringLiteral("xrSULVd2TFHJ")},
                    {QStringLiteral("transport"), transport},
                    {QStringLiteral("nsp"), nsp},
                    {QStringLiteral("data"), QCborMap{{QStringLiteral("user"), QStringLiteral("alice")}}},
                    {QStringLiteral("handshake"), handshake},
                    {QStringLiteral("rooms"), roomList}};
}

const QString Ts = QStringLiteral("2026-11-26T14:09:58.094Z");

} // namespace

class tst_AdminMirror : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsFromAllSocketsThenPatches();
    void hidesTheAdminNamespace();
    void statsFromServerStats();
    void refusesMalformedMessages_data();
    void refusesMalformedMessages();
};

void tst_AdminMirror::buildsFromAllSocketsThenPatches()
{
    AdminMirror mirror;
    QVERIFY(mirror.handle(QStringLiteral("config"),
                          {QCborMap{{QStringLiteral("supportedFeatures"), QCborArray{QStringLiteral("JOIN"), QStringLiteral("ALL_EVENTS")}}}}));
    QCOMPARE(mirror.features(), (QStringList{QStringLiteral("JOIN"), QStringLiteral("ALL_EVENTS")}));
    QVERIFY(mirror.handle(QStringLiteral("all_sockets"), {QCborValue(QCborArray{serialized(QStringLiteral("/"), QStringLiteral("a"), {QStringLiteral("a"), QStringLiteral("lobby")})})}));
    MonitorBatch batch = mirror.takeBatch();
    QVERIFY(batch.isSnapshot);
    QCOMPARE(batch.socketsAdded.size(), 1);
    QCOMPARE(batch.socketsAdded.first().rooms, (QStringList{QStringLiteral("a"), QStringLiteral("lobby")}));
    QCOMPARE(batch.socketsAdded.first().data.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
    QCOMPARE(batch.roomsChanged.size(), 2);
    QVERIFY(!mirror.hasChanges());

    // A new socket: Node sends its private room first, then socket_connected.
    QVERIFY(mirror.handle(QStringLiteral("room_joined"), {QStringLiteral("/"), QStringLiteral("b"), QStringLiteral("b"), Ts}));
    QVERIFY(mirror.handle(QStringLiteral("socket_connected"), {serialized(QStringLiteral("/"), QStringLiteral("b"), {QStringLiteral("b")}), Ts}));
    QVERIFY(mirror.handle(QStringLiteral("socket_updated"), {QCborMap{{QStringLiteral("id"), QStringLiteral("b")}, {QStringLiteral("nsp"), QStringLiteral("/")}, {QStringLiteral("transport"), QStringLiteral("websocket")}}}));
    QVERIFY(mirror.handle(QStringLiteral("room_joined"), {QStringLiteral("/"), QStringLiteral("lobby"), QStringLiteral("b"), Ts}));
    QVERIFY(mirror.handle(QStringLiteral("event_received"), {QStringLiteral("/"), QStringLiteral("b"), QCborArray{QStringLiteral("chat"), QStringLiteral("hi")}, Ts}));
    batch = mirror.takeBatch();
    QVERIFY(!batch.isSnapshot);
    QCOMPARE(batch.socketsAdded.size(), 1);
    QCOMPARE(batch.socketsAdded.first().transport, QStringLiteral("websocket"));
    QCOMPARE(batch.socketsAdded.first().rooms, (QStringList{QStringLiteral("b"), QStringLiteral("lobby")}));
    const auto lobby = std::find_if(batch.roomsChanged.cbegin(), batch.roomsChanged.cend(),
                                    [](const RoomInfo &r) { return r.name == QLatin1String("lobby"); });
    QVERIFY(lobby != batch.roomsChanged.cend());
    QCOMPARE(lobby->members, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // connected, joined lobby (the private room is not logged), the event
    QCOMPARE(batch.events.size(), 3);
    QCOMPARE(batch.events.at(0).kind, EventRecord::Kind::Connected);
    QCOMPARE(batch.events.at(1).kind, EventRecord::Kind::RoomJoined);
    QCOMPARE(batch.events.at(2).event, QStringLiteral("chat"));
    QCOMPARE(batch.events.at(2).args, QCborArray{QStringLiteral("hi")});
    QCOMPARE(batch.events.at(2).time, QDateTime::fromMSecsSinceEpoch(1795702198094, Qt::UTC));

    // It leaves: disconnected (with an operator's reason, a Plugboard extension), then its rooms.
    QVERIFY(mirror.handle(QStringLiteral("socket_disconnected"), {QStringLiteral("/"), QStringLiteral("b"), QStringLiteral("server namespace disconnect"), Ts, QStringLiteral("spam")}));
    QVERIFY(mirror.handle(QStringLiteral("room_left"), {QStringLiteral("/"), QStringLiteral("lobby"), QStringLiteral("b"), Ts}));
    QVERIFY(mirror.handle(QStringLiteral("room_left"), {QStringLiteral("/"), QStringLiteral("b"), QStringLiteral("b"), Ts}));
    batch = mirror.takeBatch();
    QCOMPARE(batch.socketsRemoved, QStringList{QStringLiteral("/#b")});
    QCOMPARE(batch.roomsRemoved.size(), 1); // b's own room; lobby still has a
    QCOMPARE(batch.events.first().detail, QStringLiteral("server namespace disconnect: spam"));
    QCOMPARE(mirror.socketCount(), 1);
}

void tst_AdminMirror::hidesTheAdminNamespace()
{
    AdminMirror mirror(AdminMirror::Options{100, {QStringLiteral("/admin")}});
    QVERIFY(mirror.handle(QStringLiteral("all_sockets"), {QCborValue(QCborArray{serialized(QStringLiteral("/admin"), QStringLiteral("x"), {QStringLiteral("x")}),
                                                                              serialized(QStringLiteral("/"), QStringLiteral("a"), {QStringLiteral("a")})})}));
    const MonitorBatch batch = mirror.takeBatch();
    QCOMPARE(batch.socketsAdded.size(), 1);
    QCOMPARE(batch.socketsAdded.first().nsp, QStringLiteral("/"));
}

void tst_AdminMirror::statsFromServerStats()
{
    AdminMirror mirror;
    const auto stats = [](const QString &server, int clients, int polling, int packetsIn) {
        return QCborArray{QCborMap{{QStringLiteral("serverId"), server},
                                   {QStringLiteral("uptime"), 10.5},
                                   {QStringLiteral("clientsCount"), clients},
                                   {QStringLiteral("pollingClientsCount"), polling},
                                   {QStringLiteral("aggregatedEvents"),
                                    QCborArray{QCborMap{{QStringLiteral("timestamp"), qint64(1795702510000)},
                                                        {QStringLiteral("type"), QStringLiteral("packetsIn")},
                                                        {QStringLiteral("count"), packetsIn}}}},
                                   {QStringLiteral("namespaces"),
                                    QCborArray{QCborMap{{QStringLiteral("name"), QStringLiteral("/")}, {QStringLiteral("socketsCount"), clients}}}}}};
    };
    QVERIFY(mirror.handle(QStringLiteral("server_stats"), stats(QStringLiteral("one"), 5, 2, 10)));
    QVERIFY(mirror.handle(QStringLiteral("server_stats"), stats(QStringLiteral("two"), 3, 0, 4)));
    QVERIFY(mirror.handle(QStringLiteral("server_stats"), stats(QStringLiteral("one"), 6, 1, 1)));
    const MonitorBatch batch = mirror.takeBatch();
    QCOMPARE(batch.stats.clients, 9); // latest of each server
    QCOMPARE(batch.stats.pollingClients, 1);
    QCOMPARE(batch.stats.webSocketClients, 8);
    QCOMPARE(batch.stats.eventsIn, 15u); // every report counts once
    QVERIFY(batch.stats.startedAt.isValid());
    // Without ALL_EVENTS (production mode) the counts are the servers' own.
    QCOMPARE(batch.namespaces.size(), 1);
    QCOMPARE(batch.namespaces.first().sockets, 9);
}

void tst_AdminMirror::refusesMalformedMessages_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QCborArray>("args");
    QTest::newRow("config without features") << QStringLiteral("config") << QCborArray{QCborMap{}};
    QTest::newRow("all_sockets not a list") << QStringLiteral("all_sockets") << QCborArray{42};
    QTest::newRow("socket without id") << QStringLiteral("socket_connected") << QCborArray{QCborMap{{QStringLiteral("nsp"), QStringLiteral("/")}}};
    QTest::newRow("room with numbers") << QStringLiteral("room_joined") << QCborArray{1, 2, 3};
    QTest::newRow("event without packet") << QStringLiteral("event_received") << QCborArray{QStringLiteral("/"), QStringLiteral("a"), QStringLiteral("chat")};
    QTest::newRow("stats without counts") << QStringLiteral("server_stats") << QCborArray{QCborMap{{QStringLiteral("serverId"), QStringLiteral("x")}}};
    QTest::newRow("disconnect without id") << QStringLiteral("socket_disconnected") << QCborArray{QStringLiteral("/")};
}

void tst_AdminMirror::refusesMalformedMessages()
{
    QFETCH(QString, event);
    QFETCH(QCborArray, args);
    AdminMirror mirror;
    QVERIFY(!mirror.handle(event, args));
    QCOMPARE(mirror.socketCount(), 0);
}

QTEST_GUILESS_MAIN(tst_AdminMirror)
#include "tst_adminmirror.moc"
