// Operator actions from the real widgets against real clients: join and leave, the emit
// composer with acknowledgements, kicks, room disconnects and confirmations.

#include "consolefixture.h"

#include <connectionspage.h>
#include <consolesettings.h>
#include <emitcomposer.h>
#include <mainwindow.h>
#include <roomfilterproxy.h>
#include <roomsmodel.h>
#include <roomspage.h>

#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtGui/QAction>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>

using namespace Plugboard;

class tst_ConsoleActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void joinShowsInRooms();
    void leaveRoom();
    void memberSelectionSurvivesMembershipChanges();
    void emitWithAckFromComposer();
    void composerResultsKeepTheNewestEmits();
    void emitToRoomReachesOnlyMembers();
    void emitToWholeNamespace();
    void argumentsValidateAsYouType_data();
    void argumentsValidateAsYouType();
    void kickGivesIoServerDisconnect();
    void closeConnection();
    void disconnectRoomDisconnectsExactlyItsMembers();
    void declinedConfirmationDoesNothing();

private:
    template<typename T>
    T *find(const QString &name) const
    {
        T *widget = m_console->window()->findChild<T *>(name);
        if (!widget)
            qFatal("no widget %s", qPrintable(name));
        return widget;
    }
    QAction *action(const QString &name) const { return find<QAction>(name); }
    void join(const QStringList &socketIds, const QString &room);
    void composeEvent(const QString &event, const QString &arguments, bool ack);

    std::unique_ptr<ConsoleFixture> m_console;
};

void tst_ConsoleActions::initTestCase()
{
    QString why;
    // The test command installs the npm clients: without them the test fails, never passes.
    QVERIFY2(NodeClient::isAvailable(&why), qPrintable(why));
}

void tst_ConsoleActions::init()
{
    m_console = std::make_unique<ConsoleFixture>();
    QVERIFY(m_console->start());
}

void tst_ConsoleActions::cleanup()
{
    m_console.reset();
}

void tst_ConsoleActions::join(const QStringList &socketIds, const QString &room)
{
    for (const QString &id : socketIds)
        QTRY_VERIFY(m_console->connectionsRow(id) >= 0);
    m_console->selectSockets(socketIds);
    auto *roomEdit = find<QLineEdit>(QStringLiteral("connectionsRoom"));
    roomEdit->clear();
    QTest::keyClicks(roomEdit, room);
    QAction *joinAction = action(QStringLiteral("joinRoomAction"));
    QVERIFY(joinAction->isEnabled());
    joinAction->trigger();
}

void tst_ConsoleActions::composeEvent(const QString &event, const QString &arguments, bool ack)
{
    auto *name = find<QLineEdit>(QStringLiteral("emitEventName"));
    name->clear();
    QTest::keyClicks(name, event);
    auto *args = find<QPlainTextEdit>(QStringLiteral("emitArguments"));
    args->clear();
    QTest::keyClicks(args, arguments);
    find<QCheckBox>(QStringLiteral("emitAck"))->setChecked(ack);
}

void tst_ConsoleActions::joinShowsInRooms()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    NodeClient *c = m_console->connectClient();
    QVERIFY(a && b && c);
    join({a->id(), b->id()}, QStringLiteral("lobby"));

    RoomsModel *rooms = m_console->window()->roomsModel();
    QTRY_VERIFY(rooms->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("lobby"))));
    const RoomInfo *lobby = rooms->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("lobby")));
    QStringList expected{a->id(), b->id()};
    expected.sort();
    QCOMPARE(lobby->members, expected);

    // The Rooms view shows it with its member count; private rooms stay hidden.
    QTableView *view = m_console->window()->roomsPage()->view();
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, RoomsModel::NameColumn).data().toString(), QStringLiteral("lobby"));
    QCOMPARE(view->model()->index(0, RoomsModel::MemberCountColumn).data().toInt(), 2);
    QVERIFY(m_console->window()->roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("lobby")));
    auto *members = find<QListWidget>(QStringLiteral("roomMembers"));
    QCOMPARE(members->count(), 2);

    find<QCheckBox>(QStringLiteral("roomsShowPrivate"))->setChecked(true);
    QCOMPARE(view->model()->rowCount(), 4); // lobby + three private rooms

    // And the Connections table lists the room.
    const QAbstractItemModel *connections = m_console->window()->connectionsPage()->view()->model();
    QTRY_COMPARE(connections->index(m_console->connectionsRow(a->id()), 4).data().toString(), QStringLiteral("lobby"));
    QCOMPARE(connections->index(m_console->connectionsRow(c->id()), 4).data().toString(), QString());
}

void tst_ConsoleActions::leaveRoom()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    join({a->id(), b->id()}, QStringLiteral("lobby"));
    RoomsModel *rooms = m_console->window()->roomsModel();
    const QString key = RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("lobby"));
    QTRY_VERIFY(rooms->find(key) && rooms->find(key)->members.size() == 2);

    m_console->selectSockets({a->id()});
    action(QStringLiteral("leaveRoomAction"))->trigger();
    QTRY_COMPARE(rooms->find(key)->members, QStringList{b->id()});

    // From the Rooms page: remove the last member; the room goes away.
    QVERIFY(m_console->window()->roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("lobby")));
    auto *members = find<QListWidget>(QStringLiteral("roomMembers"));
    QCOMPARE(members->count(), 1);
    members->item(0)->setSelected(true);
    action(QStringLiteral("removeMembersAction"))->trigger();
    QTRY_VERIFY(!rooms->find(key));
}

void tst_ConsoleActions::memberSelectionSurvivesMembershipChanges()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    NodeClient *c = m_console->connectClient();
    QVERIFY(a && b && c);
    join({a->id(), b->id(), c->id()}, QStringLiteral("lobby"));
    RoomsModel *rooms = m_console->window()->roomsModel();
    const QString key = RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("lobby"));
    QTRY_VERIFY(rooms->find(key) && rooms->find(key)->members.size() == 3);

    QVERIFY(m_console->window()->roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("lobby")));
    auto *members = find<QListWidget>(QStringLiteral("roomMembers"));
    QCOMPARE(members->count(), 3);
    for (int i = 0; i < members->count(); ++i)
        members->item(i)->setSelected(members->item(i)->text() != a->id());

    // Another member leaves: the list is rebuilt and the operator's selection is kept.
    m_console->selectSockets({a->id()});
    action(QStringLiteral("leaveRoomAction"))->trigger();
    QTRY_COMPARE(members->count(), 2);
    QStringList selected;
    for (const QListWidgetItem *item : members->selectedItems())
        selected.append(item->text());
    selected.sort();
    QStringList expected{b->id(), c->id()};
    expected.sort();
    QCOMPARE(selected, expected);
    QVERIFY(action(QStringLiteral("removeMembersAction"))->isEnabled());
}

void tst_ConsoleActions::emitWithAckFromComposer()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    a->setAckReply({QJsonObject{{QStringLiteral("answer"), 42}}});
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0 && m_console->connectionsRow(b->id()) >= 0);

    // Start from the Connections page: "Emit…" opens the composer aimed at the selection.
    m_console->selectSockets({a->id()});
    action(QStringLiteral("emitToSelectedAction"))->trigger();
    QCOMPARE(m_console->window()->currentPage(), MainWindow::EmitTab);
    QCOMPARE(find<QComboBox>(QStringLiteral("emitTargetKind"))->currentIndex(), int(EmitComposer::SocketsTarget));
    QCOMPARE(find<QListView>(QStringLiteral("emitSockets"))->selectionModel()->selectedIndexes().size(), 1);

    composeEvent(QStringLiteral("greeting"), QStringLiteral(R"(["hello", {"n": 1}, {"$hex": "0102ff"}])"), true);
    auto *send = find<QPushButton>(QStringLiteral("emitSendButton"));
    QVERIFY(send->isEnabled());
    QSignalSpy answered(m_console->window()->emitComposer(), &EmitComposer::answered);
    QTest::mouseClick(send, Qt::LeftButton);

    const QJsonObject received = a->waitForEvent(QStringLiteral("greeting"));
    QVERIFY2(!received.isEmpty(), "the client did not receive the event");
    QCOMPARE(received.value(QStringLiteral("args")).toArray(),
             (QJsonArray{QStringLiteral("hello"), QJsonObject{{QStringLiteral("n"), 1}},
                         QJsonObject{{QStringLiteral("$hex"), QStringLiteral("0102ff")}}}));
    QVERIFY(received.value(QStringLiteral("ack")).toBool());

    QTRY_COMPARE(answered.size(), 1);
    const auto result = answered.first().at(1).value<ControlResult>();
    QVERIFY(result.ok);
    QCOMPARE(result.responses.size(), 1);
    // The reply is shown under the emit, with the socket id.
    QTreeWidget *results = m_console->window()->emitComposer()->results();
    QCOMPARE(results->topLevelItemCount(), 1);
    QTreeWidgetItem *item = results->topLevelItem(0);
    QCOMPARE(item->text(1), QStringLiteral("1 of 1 replied"));
    QCOMPARE(item->childCount(), 1);
    QCOMPARE(item->child(0)->text(0), a->id());
    QCOMPARE(item->child(0)->text(1), QStringLiteral(R"([{"answer":42}])"));
    QVERIFY(b->events(QStringLiteral("greeting")).isEmpty());
}

void tst_ConsoleActions::composerResultsKeepTheNewestEmits()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0);
    EmitComposer *composer = m_console->window()->emitComposer();
    composer->setSocketTarget(QStringLiteral("/"), {a->id()});
    QSignalSpy answered(composer, &EmitComposer::answered);
    const int sends = EmitComposer::MaxShownEmits + 5;
    for (int i = 0; i < sends; ++i) {
        composeEvent(QStringLiteral("tick"), QStringLiteral("[%1]").arg(i), false);
        composer->send();
    }
    QCOMPARE(composer->results()->topLevelItemCount(), EmitComposer::MaxShownEmits);
    QVERIFY(composer->results()->topLevelItem(0)->text(0).startsWith(QStringLiteral("tick [%1]").arg(sends - 1)));
    QVERIFY(composer->results()->topLevelItem(EmitComposer::MaxShownEmits - 1)->text(0).startsWith(QStringLiteral("tick [5]")));
    // Every emit shown gets its result; those whose rows were dropped still reach the client.
    const auto allAnswered = [composer] {
        for (int i = 0; i < composer->results()->topLevelItemCount(); ++i) {
            if (composer->results()->topLevelItem(i)->text(1) == EmitComposer::tr("sending…"))
                return false;
        }
        return true;
    };
    QTRY_VERIFY(allAnswered());
    QVERIFY(answered.size() >= EmitComposer::MaxShownEmits);
    QCOMPARE(a->waitForEvent(QStringLiteral("tick")).value(QStringLiteral("args")).toArray(), QJsonArray{0});
}

void tst_ConsoleActions::emitToRoomReachesOnlyMembers()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    NodeClient *c = m_console->connectClient();
    QVERIFY(a && b && c);
    join({a->id(), b->id()}, QStringLiteral("blue"));
    const QString key = RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("blue"));
    QTRY_VERIFY(m_console->window()->roomsModel()->find(key));

    QVERIFY(m_console->window()->roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("blue")));
    action(QStringLiteral("emitToRoomAction"))->trigger();
    QCOMPARE(m_console->window()->currentPage(), MainWindow::EmitTab);
    QCOMPARE(find<QComboBox>(QStringLiteral("emitRoom"))->currentText(), QStringLiteral("blue"));
    composeEvent(QStringLiteral("news"), QStringLiteral(R"(["for blue"])"), true);
    QSignalSpy answered(m_console->window()->emitComposer(), &EmitComposer::answered);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("emitSendButton")), Qt::LeftButton);
    QVERIFY(!a->waitForEvent(QStringLiteral("news")).isEmpty());
    QVERIFY(!b->waitForEvent(QStringLiteral("news")).isEmpty());
    QTRY_COMPARE(answered.size(), 1);
    // Both members replied, each shown with its id; the outsider heard nothing.
    QTreeWidgetItem *item = m_console->window()->emitComposer()->results()->topLevelItem(0);
    QCOMPARE(item->childCount(), 2);
    QStringList repliers{item->child(0)->text(0), item->child(1)->text(0)};
    repliers.sort();
    QStringList members{a->id(), b->id()};
    members.sort();
    QCOMPARE(repliers, members);
    QVERIFY(c->events(QStringLiteral("news")).isEmpty());
}

void tst_ConsoleActions::emitToWholeNamespace()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    QTRY_VERIFY(m_console->connectionsRow(b->id()) >= 0);
    m_console->window()->showPage(MainWindow::EmitTab);
    auto *kind = find<QComboBox>(QStringLiteral("emitTargetKind"));
    kind->setCurrentIndex(EmitComposer::NamespaceTarget);
    QCOMPARE(find<QComboBox>(QStringLiteral("emitNamespace"))->currentText(), QStringLiteral("/"));
    composeEvent(QStringLiteral("announcement"), QStringLiteral("[1, true, null]"), false);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("emitSendButton")), Qt::LeftButton);
    for (NodeClient *client : {a, b}) {
        const QJsonObject event = client->waitForEvent(QStringLiteral("announcement"));
        QCOMPARE(event.value(QStringLiteral("args")).toArray(), (QJsonArray{1, true, QJsonValue::Null}));
        QVERIFY(!event.value(QStringLiteral("ack")).toBool());
    }
}

void tst_ConsoleActions::argumentsValidateAsYouType_data()
{
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty array") << QStringLiteral("[]") << true;
    QTest::newRow("nothing") << QString() << true;
    QTest::newRow("values") << QStringLiteral(R"(["a", 1, {"b": [true]}])") << true;
    QTest::newRow("binary") << QStringLiteral(R"([{"$hex": "00ff"}, {"$base64": "AQI="}])") << true;
    QTest::newRow("object, not array") << QStringLiteral(R"({"a": 1})") << false;
    QTest::newRow("bare string") << QStringLiteral(R"("hello")") << false;
    QTest::newRow("unterminated") << QStringLiteral(R"(["a", )") << false;
    QTest::newRow("trailing comma") << QStringLiteral("[1,]") << false;
    QTest::newRow("single quotes") << QStringLiteral("['a']") << false;
    QTest::newRow("odd hex") << QStringLiteral(R"([{"$hex": "abc"}])") << false;
}

void tst_ConsoleActions::argumentsValidateAsYouType()
{
    QFETCH(QString, arguments);
    QFETCH(bool, valid);
    // A whole-namespace target needs no client: only the arguments decide.
    QTRY_COMPARE(find<QComboBox>(QStringLiteral("emitNamespace"))->currentText(), QStringLiteral("/"));
    m_console->window()->emitComposer()->setNamespaceTarget(QStringLiteral("/"));
    composeEvent(QStringLiteral("x"), arguments, false);
    auto *error = find<QLabel>(QStringLiteral("emitArgumentsError"));
    QCOMPARE(find<QPushButton>(QStringLiteral("emitSendButton"))->isEnabled(), valid);
    QCOMPARE(error->isHidden(), valid);
    QCOMPARE(error->text().isEmpty(), valid);
    // No event name, no send, whatever the arguments.
    find<QLineEdit>(QStringLiteral("emitEventName"))->clear();
    QVERIFY(!find<QPushButton>(QStringLiteral("emitSendButton"))->isEnabled());
}

void tst_ConsoleActions::kickGivesIoServerDisconnect()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0);
    m_console->selectSockets({a->id()});
    action(QStringLiteral("disconnectSocketAction"))->trigger();
    QCOMPARE(a->waitForDisconnect(), QStringLiteral("io server disconnect"));
    QTRY_COMPARE(m_console->connectionsRow(a->id()), -1);
    QVERIFY(!b->isDisconnected());
    QVERIFY(m_console->connectionsRow(b->id()) >= 0);
}

void tst_ConsoleActions::closeConnection()
{
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0);
    m_console->selectSockets({a->id()});
    action(QStringLiteral("closeConnectionAction"))->trigger();
    // Node sends the namespace DISCONNECT before closing; either way the client is gone.
    const QString reason = a->waitForDisconnect();
    QVERIFY2(reason == QLatin1String("io server disconnect") || reason == QLatin1String("transport close"),
             qPrintable(reason));
    QTRY_COMPARE(m_console->connectionsRow(a->id()), -1);
}

void tst_ConsoleActions::disconnectRoomDisconnectsExactlyItsMembers()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    NodeClient *c = m_console->connectClient();
    QVERIFY(a && b && c);
    join({a->id(), c->id()}, QStringLiteral("doomed"));
    QTRY_VERIFY(m_console->window()->roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("doomed"))));
    QVERIFY(m_console->window()->roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("doomed")));
    QAction *disconnectRoom = action(QStringLiteral("disconnectRoomAction"));
    QVERIFY(disconnectRoom->isEnabled());
    disconnectRoom->trigger();
    QCOMPARE(a->waitForDisconnect(), QStringLiteral("io server disconnect"));
    QCOMPARE(c->waitForDisconnect(), QStringLiteral("io server disconnect"));
    QTRY_COMPARE(m_console->window()->connectionsPage()->view()->model()->rowCount(), 1);
    QVERIFY(m_console->connectionsRow(b->id()) >= 0);
    QVERIFY(!b->isDisconnected());
}

void tst_ConsoleActions::declinedConfirmationDoesNothing()
{
    m_console->settings()->setConfirmDestructiveActions(true);
    NodeClient *a = m_console->connectClient();
    QVERIFY(a);
    QTRY_VERIFY(m_console->connectionsRow(a->id()) >= 0);
    m_console->selectSockets({a->id()});

    bool asked = false;
    QTimer answer;
    answer.setInterval(10);
    connect(&answer, &QTimer::timeout, this, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = true;
            box->button(QMessageBox::Cancel)->click();
        }
    });
    answer.start();
    action(QStringLiteral("disconnectSocketAction"))->trigger();
    answer.stop();
    QVERIFY(asked);

    // Actions run in order in the server thread: once a later join shows, a kick would have too.
    join({a->id()}, QStringLiteral("still-here"));
    QTRY_VERIFY(m_console->window()->roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("still-here"))));
    QVERIFY(!a->isDisconnected());
    QVERIFY(m_console->connectionsRow(a->id()) >= 0);
}

QTEST_MAIN(tst_ConsoleActions)
#include "tst_consoleactions.moc"
