// The Connections, Rooms and Namespaces views and the socket details, against real clients.

#include "consolefixture.h"

#include <connectionsmodel.h>
#include <connectionspage.h>
#include <mainwindow.h>
#include <namespacesmodel.h>
#include <socketdetailspanel.h>

#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>

using namespace Plugboard;

class tst_ConsoleConnections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void clientsAppearAndDisappear();
    void filterBox();
    void sortById();
    void namespacesCountSockets();
    void statusBarCounts();
    void detailsShowHandshake();

private:
    std::unique_ptr<ConsoleFixture> m_console;
};

void tst_ConsoleConnections::initTestCase()
{
    QString why;
    // The test command installs the npm clients: without them the test fails, never passes.
    QVERIFY2(NodeClient::isAvailable(&why), qPrintable(why));
}

void tst_ConsoleConnections::init()
{
    m_console = std::make_unique<ConsoleFixture>();
    QVERIFY(m_console->start());
}

void tst_ConsoleConnections::cleanup()
{
    m_console.reset();
}

void tst_ConsoleConnections::clientsAppearAndDisappear()
{
    QTableView *view = m_console->window()->connectionsPage()->view();
    QCOMPARE(view->model()->rowCount(), 0);
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    QTRY_COMPARE(view->model()->rowCount(), 2);
    QVERIFY(m_console->connectionsRow(a->id()) >= 0);
    QVERIFY(m_console->connectionsRow(b->id()) >= 0);

    const int row = m_console->connectionsRow(a->id());
    const QAbstractItemModel *model = view->model();
    QCOMPARE(model->index(row, ConnectionsModel::IdColumn).data().toString(), a->id());
    QCOMPARE(model->index(row, ConnectionsModel::NamespaceColumn).data().toString(), QStringLiteral("/"));
    QVERIFY(model->index(row, ConnectionsModel::AddressColumn).data().toString().contains(QLatin1String("127.0.0.1")));
    QVERIFY(!model->index(row, ConnectionsModel::ConnectedColumn).data().toString().isEmpty());
    // Polling first, then the upgrade: the transport column follows.
    QTRY_COMPARE(model->index(m_console->connectionsRow(a->id()), ConnectionsModel::TransportColumn).data().toString(),
                 QStringLiteral("websocket"));

    a->disconnectSocket();
    QCOMPARE(a->waitForDisconnect(), QStringLiteral("io client disconnect"));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QCOMPARE(m_console->connectionsRow(a->id()), -1);
    QVERIFY(m_console->connectionsRow(b->id()) >= 0);

    b->stop();
    QTRY_COMPARE(view->model()->rowCount(), 0);
}

void tst_ConsoleConnections::filterBox()
{
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    QTableView *view = m_console->window()->connectionsPage()->view();
    QTRY_COMPARE(view->model()->rowCount(), 2);

    auto *filter = m_console->window()->findChild<QLineEdit *>(QStringLiteral("connectionsFilter"));
    QVERIFY(filter);
    QTest::keyClicks(filter, b->id().left(8));
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 0).data(ConnectionsModel::SocketIdRole).toString(), b->id());

    filter->clear();
    QCOMPARE(view->model()->rowCount(), 2);
    QTest::keyClicks(filter, QStringLiteral("no such socket"));
    QCOMPARE(view->model()->rowCount(), 0);
}

void tst_ConsoleConnections::sortById()
{
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        NodeClient *client = m_console->connectClient();
        QVERIFY(client);
        ids.append(client->id());
    }
    QTableView *view = m_console->window()->connectionsPage()->view();
    QTRY_COMPARE(view->model()->rowCount(), 3);
    view->sortByColumn(ConnectionsModel::IdColumn, Qt::DescendingOrder);
    QStringList shown;
    for (int row = 0; row < 3; ++row)
        shown.append(view->model()->index(row, ConnectionsModel::IdColumn).data().toString());
    QStringList expected = ids;
    std::sort(expected.begin(), expected.end(),
              [](const QString &x, const QString &y) { return QString::compare(x, y, Qt::CaseInsensitive) > 0; });
    QCOMPARE(shown, expected);
}

void tst_ConsoleConnections::namespacesCountSockets()
{
    NamespacesModel *namespaces = m_console->window()->namespacesModel();
    QVERIFY(m_console->connectClient());
    QVERIFY(m_console->connectClient());
    QTRY_COMPARE(namespaces->rowCount(), 1);
    QCOMPARE(namespaces->index(0, NamespacesModel::NameColumn).data().toString(), QStringLiteral("/"));
    QTRY_COMPARE(namespaces->index(0, NamespacesModel::SocketsColumn).data().toInt(), 2);
}

void tst_ConsoleConnections::statusBarCounts()
{
    auto *address = m_console->window()->findChild<QLabel *>(QStringLiteral("statusAddress"));
    auto *counts = m_console->window()->findChild<QLabel *>(QStringLiteral("statusCounts"));
    auto *memory = m_console->window()->findChild<QLabel *>(QStringLiteral("statusMemory"));
    QVERIFY(address && counts && memory);
    QVERIFY2(address->text().contains(QStringLiteral("127.0.0.1:%1").arg(m_console->port())), qPrintable(address->text()));
    QVERIFY(m_console->connectClient());
    QTRY_VERIFY2(counts->text().contains(QLatin1String("1 sockets")), qPrintable(counts->text()));
    QVERIFY2(memory->text().startsWith(QLatin1String("Memory ")), qPrintable(memory->text()));
}

void tst_ConsoleConnections::detailsShowHandshake()
{
    NodeClient *client = m_console->connectClient(
        {QStringLiteral("--query"), QStringLiteral(R"({"room":"lobby"})"), QStringLiteral("--auth"),
         QStringLiteral(R"({"token":"s3cret","user":"ann"})"), QStringLiteral("--name"), QStringLiteral("alice")});
    QVERIFY(client);
    QTRY_VERIFY(m_console->connectionsRow(client->id()) >= 0);
    m_console->selectSockets({client->id()});
    QTableView *view = m_console->window()->connectionsPage()->view();
    view->setCurrentIndex(view->model()->index(m_console->connectionsRow(client->id()), 0));

    SocketDetailsPanel *details = m_console->window()->socketDetails();
    QTRY_COMPARE(details->socketKey(), QStringLiteral("/#") + client->id());
    QVERIFY(m_console->window()->findChild<QDockWidget *>(QStringLiteral("socketDock"))->isVisible());
    QVERIFY(details->isConnected());
    auto *tree = details->findChild<QTreeWidget *>(QStringLiteral("detailsHandshake"));
    QVERIFY(tree);
    const auto value = [tree](const QString &section, const QString &key) {
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *top = tree->topLevelItem(i);
            if (!top->text(0).startsWith(section))
                continue;
            for (int j = 0; j < top->childCount(); ++j) {
                if (top->child(j)->text(0) == key)
                    return top->child(j)->text(1);
            }
        }
        return QStringLiteral("<missing>");
    };
    QCOMPARE(value(QStringLiteral("Headers"), QStringLiteral("x-client-name")), QStringLiteral("alice"));
    QCOMPARE(value(QStringLiteral("Query"), QStringLiteral("room")), QStringLiteral("lobby"));
    QCOMPARE(value(QStringLiteral("Auth"), QStringLiteral("user")), QStringLiteral("ann"));
    QCOMPARE(value(QStringLiteral("Auth"), QStringLiteral("token")), QStringLiteral("••••••"));

    // The timeline shows this socket's connection.
    QTRY_VERIFY(details->timeline()->model()->rowCount() >= 1);
    QCOMPARE(details->timeline()->model()->index(0, 1).data().toString(), QStringLiteral("connect"));

    client->disconnectSocket();
    QTRY_VERIFY(!details->isConnected());
    auto *summary = details->findChild<QLabel *>(QStringLiteral("detailsSummary"));
    QVERIFY(summary->text().contains(QLatin1String("disconnected")));
}

QTEST_MAIN(tst_ConsoleConnections)
#include "tst_consoleconnections.moc"
