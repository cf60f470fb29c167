#include "consolefixture.h"

#include <connectionsmodel.h>
#include <connectionspage.h>
#include <consolesettings.h>
#include <emitcomposer.h>
#include <eventlogmodel.h>
#include <eventlogpage.h>
#include <mainwindow.h>
#include <namespacesmodel.h>
#include <roomsmodel.h>
#include <roomspage.h>
#include <serverrunner.h>
#include <socketdetailspanel.h>

#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QListView>
#include <QtWidgets/QTableView>

using namespace Plugboard;

ConsoleFixture::ConsoleFixture()
    : m_settings(std::make_unique<ConsoleSettings>()), m_runner(std::make_unique<ServerRunner>())
{
    m_settings->setConfirmDestructiveActions(false);
}

ConsoleFixture::~ConsoleFixture()
{
    qDeleteAll(m_clients);
    qDeleteAll(m_testers);
    m_window.reset();
    m_runner.reset();
}

void ConsoleFixture::watch(QAbstractItemModel *model)
{
    m_testers.append(new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest));
}

bool ConsoleFixture::start(quint16 port)
{
    ServiceConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = port;
    m_window = std::make_unique<MainWindow>(m_runner.get(), m_settings.get(), config);
    MainWindow *w = m_window.get();
    for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
             w->connectionsModel(), w->roomsModel(), w->namespacesModel(), w->eventLogModel(),
             w->connectionsPage()->view()->model(), w->roomsPage()->view()->model(),
             w->eventLogPage()->view()->model(), w->socketDetails()->timeline()->model(),
             w->emitComposer()->findChild<QListView *>(QStringLiteral("emitSockets"))->model(),
             w->emitComposer()->findChild<QComboBox *>(QStringLiteral("emitRoom"))->model()})
        watch(model);
    w->show();
    QSignalSpy started(m_runner.get(), &ServerRunner::started);
    QSignalSpy failed(m_runner.get(), &ServerRunner::startFailed);
    m_runner->start(config);
    return QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 5000) && !started.isEmpty();
}

quint16 ConsoleFixture::port() const
{
    return m_runner->port();
}

QString ConsoleFixture::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

NodeClient *ConsoleFixture::connectClient(const QStringList &extraArguments)
{
    auto *client = new NodeClient;
    m_clients.append(client);
    client->start(url(), extraArguments);
    if (client->waitForConnected().isEmpty()) {
        qWarning("client did not connect: %s", qPrintable(client->standardError()));
        return nullptr;
    }
    return client;
}

int ConsoleFixture::connectionsRow(const QString &socketId) const
{
    const QAbstractItemModel *model = m_window->connectionsPage()->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(ConnectionsModel::SocketIdRole).toString() == socketId)
            return row;
    }
    return -1;
}

void ConsoleFixture::selectSockets(const QStringList &socketIds)
{
    QTableView *view = m_window->connectionsPage()->view();
    view->clearSelection();
    QItemSelection selection;
    for (const QString &id : socketIds) {
        const int row = connectionsRow(id);
        if (row >= 0)
            selection.select(view->model()->index(row, 0), view->model()->index(row, view->model()->columnCount() - 1));
    }
    view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}
