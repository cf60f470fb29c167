// sliceBatch: big monitor batches are split into bounded slices that, applied in order, have
// the same effect as the batch.

#include <batchslicer.h>
#include <connectionsmodel.h>
#include <roomsmodel.h>

#include <QtTest/QTest>

using namespace Plugboard;

class tst_BatchSlicer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallBatchIsKeptWhole();
    void snapshotIsNeverSplit();
    void slicesAreBoundedAndOrdered();
    void slicesHaveTheBatchsEffect();
};

namespace {

SocketInfo socket(int n, QStringList rooms = {})
{
    SocketInfo info;
    info.nsp = QStringLiteral("/");
    info.id = QStringLiteral("s%1").arg(n);
    info.rooms = rooms;
    return info;
}

EventRecord eventRecord(int n)
{
    EventRecord record;
    record.seq = quint64(n);
    record.event = QStringLiteral("e");
    return record;
}

} // namespace

void tst_BatchSlicer::smallBatchIsKeptWhole()
{
    MonitorBatch batch;
    batch.socketsAdded = {socket(1), socket(2)};
    batch.events = {eventRecord(1)};
    batch.stats.eventsIn = 7;
    const QList<MonitorBatch> slices = sliceBatch(batch, 3);
    QCOMPARE(slices.size(), 1);
    QCOMPARE(slices.first().socketsAdded.size(), 2);
    QCOMPARE(slices.first().events.size(), 1);
    QCOMPARE(slices.first().stats.eventsIn, quint64(7));
}

void tst_BatchSlicer::snapshotIsNeverSplit()
{
    MonitorBatch batch;
    batch.isSnapshot = true;
    for (int i = 0; i < 10; ++i)
        batch.socketsAdded.append(socket(i));
    const QList<MonitorBatch> slices = sliceBatch(batch, 3);
    QCOMPARE(slices.size(), 1);
    QVERIFY(slices.first().isSnapshot);
    QCOMPARE(slices.first().socketsAdded.size(), 10);
}

void tst_BatchSlicer::slicesAreBoundedAndOrdered()
{
    MonitorBatch batch;
    batch.socketsRemoved = {QStringLiteral("/#a"), QStringLiteral("/#b")};
    for (int i = 0; i < 5; ++i)
        batch.socketsAdded.append(socket(i));
    batch.roomsRemoved = {{QStringLiteral("/"), QStringLiteral("old")}};
    for (int i = 0; i < 4; ++i)
        batch.events.append(eventRecord(i));
    batch.namespaces = {{QStringLiteral("/"), 5}};
    batch.stats.eventsIn = 42;
    batch.eventsDropped = 3;

    const QList<MonitorBatch> slices = sliceBatch(batch, 3);
    QCOMPARE(slices.size(), 4); // 12 changes, 3 per slice
    QStringList removed;
    QStringList added;
    QList<quint64> seqs;
    for (qsizetype i = 0; i < slices.size(); ++i) {
        const MonitorBatch &slice = slices.at(i);
        QVERIFY(!slice.isSnapshot);
        QVERIFY(slice.socketsRemoved.size() + slice.socketsAdded.size() + slice.roomsRemoved.size() +
                    slice.roomsChanged.size() + slice.events.size() <= 3);
        removed += slice.socketsRemoved;
        for (const SocketInfo &info : slice.socketsAdded)
            added.append(info.id);
        for (const EventRecord &record : slice.events)
            seqs.append(record.seq);
        const bool last = i == slices.size() - 1;
        QCOMPARE(slice.namespaces.size(), last ? 1 : 0);
        QCOMPARE(slice.stats.eventsIn, last ? quint64(42) : quint64(0));
        QCOMPARE(slice.eventsDropped, last ? quint64(3) : quint64(0));
    }
    QCOMPARE(removed, batch.socketsRemoved);
    QCOMPARE(added, (QStringList{u"s0"_qs, u"s1"_qs, u"s2"_qs, u"s3"_qs, u"s4"_qs}));
    QCOMPARE(seqs, (QList<quint64>{0, 1, 2, 3}));
    // Removals come before changes: the first slice holds both removals.
    QCOMPARE(slices.first().socketsRemoved.size(), 2);
    QCOMPARE(slices.at(2).roomsRemoved.size(), 1);
}

void tst_BatchSlicer::slicesHaveTheBatchsEffect()
{
    // A socket that leaves and comes back (same key) within one batch, among many others.
    ConnectionsModel whole;
    ConnectionsModel sliced;
    MonitorBatch first;
    for (int i = 0; i < 50; ++i)
        first.socketsAdded.append(socket(i));
    whole.applyBatch(first);
    for (const MonitorBatch &slice : sliceBatch(first, 7))
        sliced.applyBatch(slice);

    MonitorBatch second;
    for (int i = 0; i < 20; ++i)
        second.socketsRemoved.append(socket(i).key());
    for (int i = 10; i < 60; ++i)
        second.socketsAdded.append(socket(i, {QStringLiteral("r")}));
    whole.applyBatch(second);
    for (const MonitorBatch &slice : sliceBatch(second, 7))
        sliced.applyBatch(slice);

    QCOMPARE(sliced.rowCount(), whole.rowCount());
    QCOMPARE(whole.rowCount(), 50);
    for (int row = 0; row < whole.rowCount(); ++row) {
        const SocketInfo &expected = whole.at(row);
        const SocketInfo *got = sliced.find(expected.key());
        QVERIFY2(got, qPrintable(expected.key()));
        QCOMPARE(got->rooms, expected.rooms);
    }
}

QTEST_MAIN(tst_BatchSlicer)
#include "tst_batchslicer.moc"
