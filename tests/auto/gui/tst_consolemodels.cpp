// The console's models fed with hand-made monitor batches, each under
// QAbstractItemModelTester, and the proxies and history that sit on them.

#include <connectionsmodel.h>
#include <eventfilterproxy.h>
#include <eventlogmodel.h>
#include <namespacesmodel.h>
#include <roomfilterproxy.h>
#include <roomsmodel.h>
#include <statshistory.h>

#include <QtCore/QCborArray>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Plugboard;

namespace {

SocketInfo socket(const QString &id, const QStringList &rooms = {}, const QCborMap &data = {})
{
    SocketInfo info;
    info.nsp = QStringLiteral("/");
    info.id = id;
    info.clientId = QStringLiteral("c-") + id;
    info.transport = QStringLiteral("websocket");
    info.address = QStringLiteral("127.0.0.1");
    info.connectedAt = QDateTime::currentDateTimeUtc();
    info.rooms = QStringList{id} + rooms;
    info.rooms.sort();
    info.data = data;
    return info;
}

RoomInfo room(const QString &name, const QStringList &members, const QString &nsp = QStringLiteral("/"))
{
    return {nsp, name, members, members.size() == 1 && members.first() == name};
}

EventRecord record(EventRecord::Kind kind, const QString &socketId, const QString &name = {}, const QCborArray &args = {},
                  const QString &detail = {})
{
    static quint64 seq = 0;
    EventRecord r;
    r.seq = ++seq;
    r.time = QDateTime::currentDateTimeUtc();
    r.kind = kind;
    r.nsp = QStringLiteral("/");
    r.socketId = socketId;
    r.event = name;
    r.args = args;
    r.detail = detail;
    return r;
}

QStringList column(const QAbstractItemModel *model, int column)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values.append(model->index(row, column).data().toString());
    return values;
}

} // namespace

class tst_ConsoleModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectionsApplyBatches();
    void connectionsDataColumns();
    void connectionsRemoveManyRanges();
    void connectionsRemoveScatteredRows();
    void connectionsSnapshotReplacesAll();
    void roomsApplyBatches();
    void roomFilterProxy();
    void namespacesKeepRowsWhenCountsChange();
    void eventLogRing();
    void eventLogPause();
    void eventLogNdjson();
    void eventFilters_data();
    void eventFilters();
    void statsHistoryRates();
};

void tst_ConsoleModels::connectionsApplyBatches()
{
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setDynamicSortFilter(true);
    proxy.sort(ConnectionsModel::IdColumn);
    QAbstractItemModelTester proxyTester(&proxy);

    MonitorBatch batch;
    batch.socketsAdded = {socket(QStringLiteral("b")), socket(QStringLiteral("a")), socket(QStringLiteral("c"))};
    model.applyBatch(batch);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(column(&proxy, ConnectionsModel::IdColumn), (QStringList{"a", "b", "c"}));

    QSignalSpy changed(&model, &ConnectionsModel::socketsChanged);
    MonitorBatch update;
    update.socketsAdded = {socket(QStringLiteral("a"), {QStringLiteral("lobby")})};
    update.socketsRemoved = {QStringLiteral("/#b")};
    model.applyBatch(update);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toStringList(), QStringList{QStringLiteral("/#a")});
    QCOMPARE(model.index(model.rowOf(QStringLiteral("/#a")), ConnectionsModel::RoomsColumn).data().toString(),
             QStringLiteral("lobby"));
    QCOMPARE(model.rowOf(QStringLiteral("/#b")), -1);
    QCOMPARE(model.find(QStringLiteral("/#c"))->id, QStringLiteral("c"));

    MonitorBatch unknown;
    unknown.socketsRemoved = {QStringLiteral("/#nope")};
    model.applyBatch(unknown);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_ConsoleModels::connectionsDataColumns()
{
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model);
    MonitorBatch batch;
    batch.socketsAdded = {socket(QStringLiteral("a"), {}, QCborMap{{QStringLiteral("user"), QStringLiteral("ann")}}),
                          socket(QStringLiteral("b"))};
    model.applyBatch(batch);
    QCOMPARE(model.columnCount(), ConnectionsModel::FixedColumnCount + 1);
    const int userColumn = ConnectionsModel::FixedColumnCount;
    QCOMPARE(model.headerData(userColumn, Qt::Horizontal).toString(), QStringLiteral("data.user"));
    QCOMPARE(model.index(model.rowOf(QStringLiteral("/#a")), userColumn).data().toString(), QStringLiteral("ann"));
    QVERIFY(!model.index(model.rowOf(QStringLiteral("/#b")), userColumn).data().isValid());

    MonitorBatch later;
    later.socketsAdded = {socket(QStringLiteral("b"), {}, QCborMap{{QStringLiteral("score"), 7}, {QStringLiteral("user"), QStringLiteral("bob")}})};
    model.applyBatch(later);
    QCOMPARE(model.dataKeys(), (QStringList{QStringLiteral("user"), QStringLiteral("score")}));
    QCOMPARE(model.index(model.rowOf(QStringLiteral("/#b")), userColumn + 1).data().toString(), QStringLiteral("7"));
    QCOMPARE(model.index(model.rowOf(QStringLiteral("/#b")), userColumn + 1).data(ConnectionsModel::SortRole).toDouble(), 7.0);

    // The filter box searches data columns too.
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterKeyColumn(-1);
    proxy.setFilterFixedString(QStringLiteral("bob"));
    QCOMPARE(proxy.rowCount(), 1);

    MonitorBatch snapshot;
    snapshot.isSnapshot = true;
    snapshot.socketsAdded = {socket(QStringLiteral("z"))};
    model.applyBatch(snapshot);
    QCOMPARE(model.columnCount(), int(ConnectionsModel::FixedColumnCount));
}

void tst_ConsoleModels::connectionsRemoveManyRanges()
{
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model);
    MonitorBatch batch;
    for (int i = 0; i < 50; ++i)
        batch.socketsAdded.append(socket(QString::number(i)));
    model.applyBatch(batch);
    MonitorBatch removal;
    for (int i = 0; i < 50; ++i) {
        if (i % 3 == 0 || (i > 20 && i < 30))
            removal.socketsRemoved.append(QStringLiteral("/#") + QString::number(i));
    }
    // Slots that look sockets up while the ranges are announced (a view's current row moving,
    // the details panel following it) find the rows that stay where they are.
    int lookups = 0;
    connect(&model, &QAbstractItemModel::rowsRemoved, this, [&] {
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString key = QStringLiteral("/#") + model.at(row).id;
            if (removal.socketsRemoved.contains(key))
                continue; // on its way out, in a range not yet announced
            QCOMPARE(model.rowOf(key), row);
            QCOMPARE(model.find(key)->id, model.at(row).id);
            ++lookups;
        }
    });
    model.applyBatch(removal);
    QVERIFY(lookups > 0);
    QStringList expected;
    for (int i = 0; i < 50; ++i) {
        if (!(i % 3 == 0 || (i > 20 && i < 30)))
            expected.append(QString::number(i));
    }
    QCOMPARE(column(&model, ConnectionsModel::IdColumn), expected);
    for (const QString &id : expected)
        QCOMPARE(model.at(model.rowOf(QStringLiteral("/#") + id)).id, id);
}

// Over a thousand separate ranges (sockets leaving all over the table) go as one layout change;
// persistent indexes, the way views keep selections, follow the rows that stay.
void tst_ConsoleModels::connectionsRemoveScatteredRows()
{
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ConnectionsModel::SortRole);
    proxy.sort(ConnectionsModel::IdColumn, Qt::DescendingOrder);
    QAbstractItemModelTester proxyTester(&proxy);
    MonitorBatch batch;
    for (int i = 0; i < 2400; ++i)
        batch.socketsAdded.append(socket(QStringLiteral("s%1").arg(i, 4, 10, QLatin1Char('0'))));
    model.applyBatch(batch);
    const QPersistentModelIndex kept = model.index(model.rowOf(u"/#s1151"_qs), ConnectionsModel::AddressColumn);
    const QPersistentModelIndex gone = model.index(model.rowOf(u"/#s1150"_qs), 0);
    const QPersistentModelIndex keptInProxy = proxy.mapFromSource(model.index(model.rowOf(u"/#s2399"_qs), 0));

    QSignalSpy layoutChanged(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy rowsRemoved(&model, &QAbstractItemModel::rowsRemoved);
    MonitorBatch removal;
    QStringList expected;
    for (int i = 0; i < 2400; ++i) {
        const QString id = QStringLiteral("s%1").arg(i, 4, 10, QLatin1Char('0'));
        if (i % 2 == 0)
            removal.socketsRemoved.append(QStringLiteral("/#") + id);
        else
            expected.append(id);
    }
    model.applyBatch(removal);
    QCOMPARE(layoutChanged.size(), 1);
    QCOMPARE(rowsRemoved.size(), 0);
    QCOMPARE(column(&model, ConnectionsModel::IdColumn), expected);
    for (const QString &id : std::as_const(expected))
        QCOMPARE(model.at(model.rowOf(QStringLiteral("/#") + id)).id, id);
    QCOMPARE(model.rowOf(u"/#s1150"_qs), -1);

    QVERIFY(kept.isValid());
    QCOMPARE(kept.row(), model.rowOf(u"/#s1151"_qs));
    QCOMPARE(kept.column(), int(ConnectionsModel::AddressColumn));
    QVERIFY(!gone.isValid());
    QCOMPARE(proxy.rowCount(), 1200);
    QVERIFY(keptInProxy.isValid());
    QCOMPARE(keptInProxy.data().toString(), u"s2399"_qs);
    QCOMPARE(proxy.index(0, ConnectionsModel::IdColumn).data().toString(), u"s2399"_qs);
    QCOMPARE(proxy.index(1199, ConnectionsModel::IdColumn).data().toString(), u"s0001"_qs);
}

void tst_ConsoleModels::connectionsSnapshotReplacesAll()
{
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model);
    MonitorBatch batch;
    batch.socketsAdded = {socket(QStringLiteral("old"))};
    model.applyBatch(batch);
    MonitorBatch snapshot;
    snapshot.isSnapshot = true;
    snapshot.socketsAdded = {socket(QStringLiteral("x")), socket(QStringLiteral("y"))};
    model.applyBatch(snapshot);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("/#old")), -1);
    QCOMPARE(model.rowOf(QStringLiteral("/#y")), 1);
}

void tst_ConsoleModels::roomsApplyBatches()
{
    RoomsModel model;
    QAbstractItemModelTester tester(&model);
    MonitorBatch batch;
    batch.roomsChanged = {room(QStringLiteral("lobby"), {"a", "b"}), room(QStringLiteral("a"), {"a"}),
                          room(QStringLiteral("lobby"), {"c"}, QStringLiteral("/chat"))};
    model.applyBatch(batch);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.membersOf(QStringLiteral("lobby")), (QSet<QString>{"a", "b", "c"}));
    QCOMPARE(model.membersOf(QStringLiteral("lobby"), QStringLiteral("/")), (QSet<QString>{"a", "b"}));
    QCOMPARE(model.publicRoomNames(), QStringList{QStringLiteral("lobby")});
    const int row = model.rowOf(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("lobby")));
    QCOMPARE(model.index(row, RoomsModel::MemberCountColumn).data().toInt(), 2);
    QCOMPARE(model.index(row, RoomsModel::MembersColumn).data().toString(), QStringLiteral("a, b"));

    MonitorBatch update;
    update.roomsChanged = {room(QStringLiteral("lobby"), {"b"})};
    update.roomsRemoved = {{QStringLiteral("/chat"), QStringLiteral("lobby")}, {QStringLiteral("/"), QStringLiteral("a")}};
    model.applyBatch(update);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.at(0).members, QStringList{QStringLiteral("b")});
}

void tst_ConsoleModels::roomFilterProxy()
{
    RoomsModel model;
    RoomFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy);
    MonitorBatch batch;
    batch.roomsChanged = {room(QStringLiteral("lobby"), {"a"}), room(QStringLiteral("a"), {"a"}),
                          room(QStringLiteral("games"), {"c"}, QStringLiteral("/chat"))};
    model.applyBatch(batch);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setShowPrivate(true);
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setNamespaceFilter(QStringLiteral("/chat"));
    QCOMPARE(column(&proxy, RoomsModel::NameColumn), QStringList{QStringLiteral("games")});
    proxy.setNamespaceFilter({});
    proxy.setNameFilter(QStringLiteral("LOB"));
    QCOMPARE(column(&proxy, RoomsModel::NameColumn), QStringList{QStringLiteral("lobby")});
}

void tst_ConsoleModels::namespacesKeepRowsWhenCountsChange()
{
    NamespacesModel model;
    QAbstractItemModelTester tester(&model);
    MonitorBatch batch;
    batch.namespaces = {{QStringLiteral("/chat"), 1}, {QStringLiteral("/"), 2}};
    model.applyBatch(batch);
    QCOMPARE(model.names(), (QStringList{QStringLiteral("/"), QStringLiteral("/chat")}));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    MonitorBatch counts;
    counts.namespaces = {{QStringLiteral("/"), 5}, {QStringLiteral("/chat"), 0}};
    model.applyBatch(counts);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, NamespacesModel::SocketsColumn).data().toInt(), 5);
    model.applyBatch(MonitorBatch()); // no namespace news: unchanged
    QCOMPARE(model.rowCount(), 2);
}

void tst_ConsoleModels::eventLogRing()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model);
    model.setCapacity(5);
    QList<EventRecord> records;
    for (int i = 0; i < 3; ++i)
        records.append(record(EventRecord::Kind::Received, QStringLiteral("a"), QStringLiteral("e%1").arg(i), {i}));
    model.append(records);
    QCOMPARE(model.rowCount(), 3);
    records.clear();
    for (int i = 3; i < 12; ++i)
        records.append(record(EventRecord::Kind::Received, QStringLiteral("a"), QStringLiteral("e%1").arg(i), {i}));
    model.append(records);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(column(&model, EventLogModel::EventColumn), (QStringList{"e7", "e8", "e9", "e10", "e11"}));
    QCOMPARE(model.droppedCount(), quint64(7));

    MonitorBatch batch;
    batch.eventsDropped = 10;
    model.applyBatch(batch);
    QCOMPARE(model.droppedCount(), quint64(17));
    model.setCapacity(2);
    QCOMPARE(column(&model, EventLogModel::EventColumn), (QStringList{"e10", "e11"}));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.droppedCount(), quint64(0));
}

void tst_ConsoleModels::eventLogPause()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model);
    model.setCapacity(100);
    QSignalSpy pending(&model, &EventLogModel::pendingCountChanged);
    model.setPaused(true);
    model.append({record(EventRecord::Kind::Received, QStringLiteral("a"), QStringLiteral("x"))});
    model.append({record(EventRecord::Kind::Sent, QStringLiteral("a"), QStringLiteral("y"))});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 2);
    QCOMPARE(pending.last().first().toInt(), 2);
    model.setPaused(false);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(column(&model, EventLogModel::EventColumn), (QStringList{"x", "y"}));
    QCOMPARE(column(&model, EventLogModel::KindColumn), (QStringList{"in", "out"}));
}

void tst_ConsoleModels::eventLogNdjson()
{
    EventRecord r = record(EventRecord::Kind::Broadcast, {}, QStringLiteral("news"), {QByteArray("\x01")});
    r.rooms = {QStringLiteral("lobby")};
    r.recipients = 3;
    const QJsonObject object = QJsonDocument::fromJson(EventLogModel::toNdjson(r)).object();
    QCOMPARE(object.value(QStringLiteral("kind")).toString(), QStringLiteral("broadcast"));
    QCOMPARE(object.value(QStringLiteral("rooms")).toArray(), QJsonArray{QStringLiteral("lobby")});
    QCOMPARE(object.value(QStringLiteral("recipients")).toInt(), 3);
    QCOMPARE(object.value(QStringLiteral("args")).toArray().at(0).toObject().value(QStringLiteral("$base64")).toString(),
             QStringLiteral("AQ=="));
    QVERIFY(!object.contains(QStringLiteral("socket")));
    QVERIFY(EventLogModel::toNdjson(r).endsWith('\n'));
}

void tst_ConsoleModels::eventFilters_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("socketId");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("eventName");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // the event (or detail) column of what shows

    using D = EventFilterProxy::Direction;
    const QStringList all{"conn:a", "chat", "move", "chat", "join:red", "news", "disc:b"};
    QTest::newRow("no filter") << QString() << QString() << QString() << QString() << int(D::Any) << QString() << all;
    QTest::newRow("namespace /") << QStringLiteral("/") << QString() << QString() << QString() << int(D::Any) << QString() << all;
    QTest::newRow("other namespace") << QStringLiteral("/x") << QString() << QString() << QString() << int(D::Any) << QString()
                                     << QStringList();
    QTest::newRow("socket a") << QString() << QStringLiteral("a") << QString() << QString() << int(D::Any) << QString()
                              << QStringList{"conn:a", "chat", "move", "join:red", "news"};
    QTest::newRow("socket b") << QString() << QStringLiteral("b") << QString() << QString() << int(D::Any) << QString()
                              << QStringList{"chat", "disc:b"};
    QTest::newRow("room red") << QString() << QString() << QStringLiteral("red") << QString() << int(D::Any) << QString()
                              << QStringList{"conn:a", "chat", "move", "join:red"};
    QTest::newRow("event chat") << QString() << QString() << QString() << QStringLiteral("CHA") << int(D::Any) << QString()
                                << QStringList{"chat", "chat"};
    QTest::newRow("incoming") << QString() << QString() << QString() << QString() << int(D::Incoming) << QString()
                              << QStringList{"chat", "move", "chat"};
    QTest::newRow("outgoing") << QString() << QString() << QString() << QString() << int(D::Outgoing) << QString()
                              << QStringList{"news"};
    QTest::newRow("connections") << QString() << QString() << QString() << QString() << int(D::Connections) << QString()
                                 << QStringList{"conn:a", "disc:b"};
    QTest::newRow("rooms") << QString() << QString() << QString() << QString() << int(D::Rooms) << QString()
                           << QStringList{"join:red"};
    QTest::newRow("text in args") << QString() << QString() << QString() << QString() << int(D::Any) << QStringLiteral("BANANA")
                                  << QStringList{"chat"};
    QTest::newRow("text in detail") << QString() << QString() << QString() << QString() << int(D::Any)
                                    << QStringLiteral("transport close") << QStringList{"disc:b"};
    QTest::newRow("combined") << QString() << QStringLiteral("a") << QString() << QStringLiteral("chat") << int(D::Incoming)
                              << QStringLiteral("apple") << QStringList{"chat"};
    QTest::newRow("nothing matches") << QString() << QStringLiteral("a") << QString() << QString() << int(D::Any)
                                     << QStringLiteral("banana") << QStringList();
}

void tst_ConsoleModels::eventFilters()
{
    QFETCH(QString, nsp);
    QFETCH(QString, socketId);
    QFETCH(QString, room);
    QFETCH(QString, eventName);
    QFETCH(int, direction);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);

    EventLogModel model;
    EventFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy);
    EventRecord broadcast = record(EventRecord::Kind::Broadcast, {}, QStringLiteral("news"), {1});
    broadcast.rooms = {QStringLiteral("a")};
    model.append({record(EventRecord::Kind::Connected, QStringLiteral("a"), {}, {}, QStringLiteral("polling")),
                  record(EventRecord::Kind::Received, QStringLiteral("a"), QStringLiteral("chat"), {QStringLiteral("apple")}),
                  record(EventRecord::Kind::Received, QStringLiteral("a"), QStringLiteral("move"), {1, 2}),
                  record(EventRecord::Kind::Received, QStringLiteral("b"), QStringLiteral("chat"), {QStringLiteral("banana")}),
                  record(EventRecord::Kind::RoomJoined, QStringLiteral("a"), {}, {}, QStringLiteral("red")), broadcast,
                  record(EventRecord::Kind::Disconnected, QStringLiteral("b"), {}, {}, QStringLiteral("transport close"))});
    proxy.setNamespaceFilter(nsp);
    proxy.setSocketFilter(socketId);
    proxy.setRoomFilter(room, room.isEmpty() ? QSet<QString>() : QSet<QString>{QStringLiteral("a")});
    proxy.setEventFilter(eventName);
    proxy.setDirectionFilter(EventFilterProxy::Direction(direction));
    proxy.setTextFilter(text);

    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const EventRecord &r = model.record(proxy.mapToSource(proxy.index(row, 0)).row());
        switch (r.kind) {
        case EventRecord::Kind::Connected: shown.append(QStringLiteral("conn:") + r.socketId); break;
        case EventRecord::Kind::Disconnected: shown.append(QStringLiteral("disc:") + r.socketId); break;
        case EventRecord::Kind::RoomJoined: shown.append(QStringLiteral("join:") + r.detail); break;
        default: shown.append(r.event);
        }
    }
    QCOMPARE(shown, expected);
}

void tst_ConsoleModels::statsHistoryRates()
{
    StatsHistory history;
    QSignalSpy samples(&history, &StatsHistory::sampleAdded);
    const QDateTime start = QDateTime::currentDateTimeUtc();
    ServerStats stats;
    stats.startedAt = start;
    stats.sampledAt = start;
    stats.sockets = 1;
    history.add(stats);
    QCOMPARE(samples.size(), 0);
    stats.sampledAt = start.addMSecs(500);
    stats.eventsIn = 10;
    history.add(stats);
    QCOMPARE(samples.size(), 0); // within one period
    stats.sampledAt = start.addMSecs(2000);
    stats.eventsIn = 100;
    stats.eventsOut = 50;
    stats.bytesIn = 4000;
    history.add(stats);
    QCOMPARE(samples.size(), 1);
    const StatsHistory::Sample &sample = history.samples().back();
    QCOMPARE(sample.eventsInPerSecond, 50.0);
    QCOMPARE(sample.eventsOutPerSecond, 25.0);
    QCOMPARE(sample.bytesInPerSecond, 2000.0);
    QCOMPARE(sample.sockets, 1);

    // A restarted server counts from zero: no negative rates, a new baseline.
    ServerStats restarted;
    restarted.startedAt = start.addSecs(10);
    restarted.sampledAt = start.addSecs(10);
    history.add(restarted);
    QCOMPARE(samples.size(), 1);
    history.setCapacity(2);
    for (int i = 1; i <= 3; ++i) {
        restarted.sampledAt = start.addSecs(10 + i);
        history.add(restarted);
    }
    QCOMPARE(history.samples().size(), size_t(2));
    history.clear();
    QVERIFY(history.samples().empty());
}

QTEST_MAIN(tst_ConsoleModels)
#include "tst_consolemodels.moc"
