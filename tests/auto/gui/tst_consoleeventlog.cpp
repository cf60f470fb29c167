// The event log against real clients: rows and their rendering, every filter, pause and
// resume, clear, export, the ring bound and a socket's timeline.

#include "consolefixture.h"

#include <consolesettings.h>
#include <eventfilterproxy.h>
#include <eventlogmodel.h>
#include <eventlogpage.h>
#include <mainwindow.h>
#include <roomsmodel.h>
#include <socketdetailspanel.h>

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>
#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>

using namespace Plugboard;

class tst_ConsoleEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void incomingEventsAreShown();
    void filters();
    void pauseCountsAndResumes();
    void clearEmpties();
    void exportNdjson();
    void boundedBySetting();
    void timelineOfOneSocket();

private:
    template<typename T>
    T *find(const QString &name) const
    {
        T *widget = m_console->window()->findChild<T *>(name);
        if (!widget)
            qFatal("no widget %s", qPrintable(name));
        return widget;
    }
    QAbstractItemModel *shown() const { return m_console->window()->eventLogPage()->view()->model(); }
    // The events column of every shown row.
    QStringList shownEvents() const;
    int rowsOfEvent(const QString &event) const { return int(shownEvents().count(event)); }

    std::unique_ptr<ConsoleFixture> m_console;
};

void tst_ConsoleEventLog::initTestCase()
{
    QString why;
    // The test command installs the npm clients: without them the test fails, never passes.
    QVERIFY2(NodeClient::isAvailable(&why), qPrintable(why));
}

void tst_ConsoleEventLog::init()
{
    m_console = std::make_unique<ConsoleFixture>();
    QVERIFY(m_console->start());
}

void tst_ConsoleEventLog::cleanup()
{
    m_console.reset();
}

QStringList tst_ConsoleEventLog::shownEvents() const
{
    QStringList events;
    for (int row = 0; row < shown()->rowCount(); ++row)
        events.append(shown()->index(row, EventLogModel::EventColumn).data().toString());
    return events;
}

void tst_ConsoleEventLog::incomingEventsAreShown()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    a->emitEvent(QStringLiteral("chat"), {QStringLiteral("hi"), QJsonObject{{QStringLiteral("$hex"), QStringLiteral("0102ff")}}, 3.5});
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("chat")), 1);
    const int row = int(shownEvents().indexOf(QStringLiteral("chat")));
    QCOMPARE(shown()->index(row, EventLogModel::KindColumn).data().toString(), QStringLiteral("in"));
    QCOMPARE(shown()->index(row, EventLogModel::NamespaceColumn).data().toString(), QStringLiteral("/"));
    QCOMPARE(shown()->index(row, EventLogModel::SocketColumn).data().toString(), a->id());
    QCOMPARE(shown()->index(row, EventLogModel::ArgumentsColumn).data().toString(),
             QStringLiteral(R"(["hi",<3 bytes: 0102ff>,3.5])"));
    QVERIFY(!shown()->index(row, EventLogModel::TimeColumn).data().toString().isEmpty());
    // The connection came first.
    QCOMPARE(shown()->index(0, EventLogModel::KindColumn).data().toString(), QStringLiteral("connect"));
}

void tst_ConsoleEventLog::filters()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0);
    // Put a in a room (from the Connections page) so the room filter has something to find.
    m_console->selectSockets({a->id()});
    QTest::keyClicks(find<QLineEdit>(QStringLiteral("connectionsRoom")), QStringLiteral("red"));
    find<QAction>(QStringLiteral("joinRoomAction"))->trigger();
    QTRY_VERIFY(m_console->window()->roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("red"))));

    a->emitEvent(QStringLiteral("chat"), {QStringLiteral("apple")});
    a->emitEvent(QStringLiteral("move"), {1, 2});
    b->emitEvent(QStringLiteral("chat"), {QStringLiteral("banana")});
    b->emitEvent(QStringLiteral("typing"));
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("chat")), 2);
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("typing")), 1);
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("move")), 1);

    auto *eventName = find<QLineEdit>(QStringLiteral("eventNameFilter"));
    QTest::keyClicks(eventName, QStringLiteral("chat"));
    QCOMPARE(shownEvents(), (QStringList{QStringLiteral("chat"), QStringLiteral("chat")}));
    auto *status = find<QLabel>(QStringLiteral("eventLogStatus"));
    QVERIFY2(status->text().startsWith(QLatin1String("Showing 2 of ")), qPrintable(status->text()));

    auto *text = find<QLineEdit>(QStringLiteral("eventTextFilter"));
    QTest::keyClicks(text, QStringLiteral("banana"));
    QCOMPARE(shown()->rowCount(), 1);
    QCOMPARE(shown()->index(0, EventLogModel::SocketColumn).data().toString(), b->id());
    text->clear();
    eventName->clear();

    auto *socket = find<QLineEdit>(QStringLiteral("eventSocketFilter"));
    QTest::keyClicks(socket, a->id());
    for (int row = 0; row < shown()->rowCount(); ++row)
        QCOMPARE(shown()->index(row, EventLogModel::SocketColumn).data().toString(), a->id());
    QVERIFY(shownEvents().contains(QStringLiteral("move")));
    QVERIFY(!shownEvents().contains(QStringLiteral("typing")));
    socket->clear();

    auto *direction = find<QComboBox>(QStringLiteral("eventDirectionFilter"));
    direction->setCurrentIndex(direction->findData(int(EventFilterProxy::Direction::Connections)));
    QCOMPARE(shown()->rowCount(), 2); // two connects
    for (int row = 0; row < shown()->rowCount(); ++row)
        QCOMPARE(shown()->index(row, EventLogModel::KindColumn).data().toString(), QStringLiteral("connect"));
    direction->setCurrentIndex(direction->findData(int(EventFilterProxy::Direction::Rooms)));
    QCOMPARE(shown()->rowCount(), 1);
    QCOMPARE(shown()->index(0, EventLogModel::ArgumentsColumn).data().toString(), QStringLiteral("red"));
    direction->setCurrentIndex(direction->findData(int(EventFilterProxy::Direction::Incoming)));
    QCOMPARE(shown()->rowCount(), 4);

    // The room filter: what red's member did (and its join), nothing of b.
    auto *room = find<QLineEdit>(QStringLiteral("eventRoomFilter"));
    QTest::keyClicks(room, QStringLiteral("red"));
    QCOMPARE(shownEvents(), (QStringList{QStringLiteral("chat"), QStringLiteral("move")}));
    direction->setCurrentIndex(0);
    QVERIFY(!shownEvents().contains(QStringLiteral("typing")));
    room->clear();

    auto *nsp = find<QComboBox>(QStringLiteral("eventNamespaceFilter"));
    nsp->setCurrentIndex(nsp->findData(QStringLiteral("/")));
    QCOMPARE(shown()->rowCount(), m_console->window()->eventLogModel()->rowCount());
}

void tst_ConsoleEventLog::pauseCountsAndResumes()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    a->emitEvent(QStringLiteral("before"));
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("before")), 1);
    auto *pause = find<QPushButton>(QStringLiteral("eventPauseButton"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(m_console->window()->eventLogModel()->isPaused());
    const int rowsWhenPaused = shown()->rowCount();

    for (int i = 0; i < 3; ++i)
        a->emitEvent(QStringLiteral("during"), {i});
    QTRY_COMPARE(m_console->window()->eventLogModel()->pendingCount(), 3);
    QCOMPARE(pause->text(), QStringLiteral("Resume (3 new)"));
    QCOMPARE(shown()->rowCount(), rowsWhenPaused);

    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!m_console->window()->eventLogModel()->isPaused());
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QCOMPARE(rowsOfEvent(QStringLiteral("during")), 3);
    QCOMPARE(shown()->rowCount(), rowsWhenPaused + 3);
}

void tst_ConsoleEventLog::clearEmpties()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    a->emitEvent(QStringLiteral("x"));
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("x")), 1);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("eventClearButton")), Qt::LeftButton);
    QCOMPARE(shown()->rowCount(), 0);
    a->emitEvent(QStringLiteral("y"));
    QTRY_COMPARE(shownEvents(), QStringList{QStringLiteral("y")});
}

void tst_ConsoleEventLog::exportNdjson()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    a->emitEvent(QStringLiteral("chat"), {QStringLiteral("one"), QJsonObject{{QStringLiteral("$hex"), QStringLiteral("ff00")}}});
    a->emitEvent(QStringLiteral("other"));
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("other")), 1);
    QTest::keyClicks(find<QLineEdit>(QStringLiteral("eventNameFilter")), QStringLiteral("chat"));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.ndjson"));
    QString error;
    QVERIFY2(m_console->window()->eventLogPage()->exportTo(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1); // what the filters show
    const QJsonObject record = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(record.value(QStringLiteral("kind")).toString(), QStringLiteral("in"));
    QCOMPARE(record.value(QStringLiteral("event")).toString(), QStringLiteral("chat"));
    QCOMPARE(record.value(QStringLiteral("socket")).toString(), a->id());
    QCOMPARE(record.value(QStringLiteral("nsp")).toString(), QStringLiteral("/"));
    QCOMPARE(record.value(QStringLiteral("args")).toArray(),
             (QJsonArray{QStringLiteral("one"), QJsonObject{{QStringLiteral("$base64"), QStringLiteral("/wA=")}}}));
    QVERIFY(QDateTime::fromString(record.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).isValid());
}

void tst_ConsoleEventLog::boundedBySetting()
{
    auto *capacity = find<QSpinBox>(QStringLiteral("eventLogCapacitySpin"));
    QCOMPARE(capacity->value(), 10000);
    capacity->setValue(ConsoleSettings::MinimumEventLogCapacity);
    QCOMPARE(m_console->window()->eventLogModel()->capacity(), ConsoleSettings::MinimumEventLogCapacity);
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    for (int i = 0; i < 150; ++i)
        a->emitEvent(QStringLiteral("flood"), {i});
    // The newest 100 stay; the earliest (the connect, the first floods) went.
    QTRY_COMPARE(shown()->index(shown()->rowCount() - 1, EventLogModel::ArgumentsColumn).data().toString(),
                 QStringLiteral("[149]"));
    QCOMPARE(shown()->rowCount(), 100);
    QCOMPARE(shown()->index(0, EventLogModel::ArgumentsColumn).data().toString(), QStringLiteral("[50]"));
    QVERIFY(find<QLabel>(QStringLiteral("eventLogStatus"))->text().contains(QLatin1String("51 dropped")));
}

void tst_ConsoleEventLog::timelineOfOneSocket()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    a->emitEvent(QStringLiteral("mine"));
    b->emitEvent(QStringLiteral("theirs"));
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("theirs")), 1);
    QTRY_COMPARE(rowsOfEvent(QStringLiteral("mine")), 1);
    SocketDetailsPanel *details = m_console->window()->socketDetails();
    details->showSocket(QStringLiteral("/#") + a->id());
    const QAbstractItemModel *timeline = details->timeline()->model();
    QStringList kinds;
    for (int row = 0; row < timeline->rowCount(); ++row)
        kinds.append(timeline->index(row, EventLogModel::KindColumn).data().toString() + QLatin1Char(' ')
                     + timeline->index(row, EventLogModel::EventColumn).data().toString());
    QCOMPARE(kinds, (QStringList{QStringLiteral("connect "), QStringLiteral("in mine")}));
}

QTEST_MAIN(tst_ConsoleEventLog)
#include "tst_consoleeventlog.moc"
