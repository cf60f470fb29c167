#include "mainwindow.h"

#include "batchslicer.h"
#include "connectionsmodel.h"
#include "connectionspage.h"
#include "consoleactions.h"
#include "consolesettings.h"
#include "dashboardpage.h"
#include "emitcomposer.h"
#include "eventlogmodel.h"
#include "eventlogpage.h"
#include "messagebanner.h"
#include "namespacesmodel.h"
#include "roomsmodel.h"
#include "roomspage.h"
#include "consolebackend.h"
#include "serverrunner.h"
#include "serversettingspage.h"
#include "socketdetailspanel.h"
#include "statshistory.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QLocale>
#include <QtCore/QTimer>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

namespace {

// How long closing the window waits for the graceful stop before leaving anyway.
constexpr int CloseTimeoutMs = 3000;

} // namespace

MainWindow::MainWindow(ConsoleBackend *runner, ConsoleSettings *settings, const ServiceConfig &config, QWidget *parent)
    : QMainWindow(parent),
      m_runner(runner),
      m_settings(settings),
      m_connections(new ConnectionsModel(this)),
      m_rooms(new RoomsModel(this)),
      m_namespaces(new NamespacesModel(this)),
      m_events(new EventLogModel(this)),
      m_history(new StatsHistory(this)),
      m_actions(new ConsoleActions(runner, settings, this)),
      m_banner(new MessageBanner(this)),
      m_tabs(new QTabWidget(this)),
      m_statusAddress(new QLabel(this)),
      m_statusCounts(new QLabel(this)),
      m_statusRates(new QLabel(this)),
      m_statusMemory(new QLabel(this))
{
    setWindowTitle(tr("Plugboard console"));
    m_connections->setObjectName(QStringLiteral("connectionsModel"));
    m_rooms->setObjectName(QStringLiteral("roomsModel"));
    m_namespaces->setObjectName(QStringLiteral("namespacesModel"));
    m_events->setObjectName(QStringLiteral("eventLogModel"));
    m_events->setCapacity(settings->eventLogCapacity());
    connect(settings, &ConsoleSettings::eventLogCapacityChanged, m_events, &EventLogModel::setCapacity);

    m_dashboardPage = new DashboardPage(m_history, m_namespaces, this);
    m_connectionsPage = new ConnectionsPage(m_connections, m_rooms, m_actions, this);
    m_roomsPage = new RoomsPage(m_rooms, m_namespaces, m_actions, this);
    m_eventLogPage = new EventLogPage(m_events, m_rooms, m_namespaces, this);
    m_composer = new EmitComposer(runner, m_connections, m_rooms, m_namespaces, this);
    if (auto *embedded = qobject_cast<ServerRunner *>(runner))
        m_settingsPage = new ServerSettingsPage(embedded, settings, config, this);
    m_tabs->setObjectName(QStringLiteral("pages"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_dashboardPage, tr("Dashboard"));
    m_tabs->addTab(m_connectionsPage, tr("Connections"));
    m_tabs->addTab(m_roomsPage, tr("Rooms"));
    m_tabs->addTab(m_eventLogPage, tr("Events"));
    m_tabs->addTab(m_composer, tr("Emit"));
    if (m_settingsPage)
        m_tabs->addTab(m_settingsPage, tr("Server"));
    else
        setWindowTitle(tr("Plugboard console: %1").arg(runner->description()));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *attach = file->addAction(tr("&Attach to server…"), this, &MainWindow::attachRequested);
    attach->setObjectName(QStringLiteral("attachAction"));
    file->addSeparator();
    file->addAction(tr("&Close window"), QKeySequence::Close, this, &QWidget::close);

    m_details = new SocketDetailsPanel(m_connections, m_events, m_actions, this);
    m_detailsDock = new QDockWidget(tr("Socket"), this);
    m_detailsDock->setObjectName(QStringLiteral("socketDock"));
    m_detailsDock->setWidget(m_details);
    m_detailsDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                               | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, m_detailsDock);
    m_detailsDock->hide();

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    for (QLabel *label : {m_statusAddress, m_statusCounts, m_statusRates, m_statusMemory})
        statusBar()->addPermanentWidget(label);
    m_statusAddress->setObjectName(QStringLiteral("statusAddress"));
    m_statusCounts->setObjectName(QStringLiteral("statusCounts"));
    m_statusRates->setObjectName(QStringLiteral("statusRates"));
    m_statusMemory->setObjectName(QStringLiteral("statusMemory"));

    connect(m_actions, &ConsoleActions::emitToSocketsRequested, this, [this](const QString &nsp, const QStringList &ids) {
        m_composer->setSocketTarget(nsp, ids);
        showPage(EmitTab);
    });
    connect(m_actions, &ConsoleActions::emitToRoomRequested, this, [this](const QString &nsp, const QString &room) {
        m_composer->setRoomTarget(nsp, room);
        showPage(EmitTab);
    });
    connect(m_actions, &ConsoleActions::socketDetailsRequested, this, [this](const QString &key) {
        m_details->showSocket(key);
        m_detailsDock->show();
    });
    connect(m_events, &EventLogModel::eventNamesSeen, m_composer, &EmitComposer::addEventNames);

    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &MainWindow::applyNextSlice);
    connect(runner, &ConsoleBackend::batchReady, this, &MainWindow::takeBatch);
    connect(runner, &ConsoleBackend::snapshotReady, this, &MainWindow::takeBatch);
    connect(runner, &ConsoleBackend::started, this, [this] {
        m_banner->clearMessage();
        clearModels();
        m_runner->requestSnapshot();
        updateStatusBar();
    });
    connect(runner, &ConsoleBackend::startFailed, this, [this](const QString &error) {
        m_banner->showMessage(MessageBanner::Level::Error,
                              m_settingsPage ? tr("The server could not start: %1. Change the address on the Server "
                                                  "page and press Start.").arg(error)
                                             : error);
        updateStatusBar();
    });
    connect(runner, &ConsoleBackend::staleChanged, this, [this](bool stale, const QString &why) {
        m_stale = stale;
        if (stale)
            m_banner->showMessage(MessageBanner::Level::Warning, why);
        else
            m_banner->clearMessage();
        updateStatusBar();
    });
    connect(runner, &ConsoleBackend::warning, this, [this](const QString &message) {
        m_banner->showMessage(MessageBanner::Level::Warning, message);
    });
    connect(runner, &ConsoleBackend::stopped, this, [this] {
        // Sockets and rooms are gone with the server; the event log stays for reading.
        m_connections->clear();
        m_rooms->clear();
        m_namespaces->clear();
        updateStatusBar();
        if (m_closeWhenStopped)
            close();
    });
    connect(runner, &ConsoleBackend::stateChanged, this, &MainWindow::updateStatusBar);
    connect(runner, &ConsoleBackend::actionFinished, this, &MainWindow::onActionFinished);
    connect(m_history, &StatsHistory::statsUpdated, this, &MainWindow::updateStatusBar);

    resize(1280, 800);
    updateStatusBar();
}

MainWindow::~MainWindow() = default;

void MainWindow::showPage(Page page)
{
    m_tabs->setCurrentIndex(page);
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_tabs->currentIndex());
}

void MainWindow::takeBatch(const MonitorBatch &batch)
{
    if (batch.isSnapshot) {
        m_slices.clear(); // older than the snapshot
        m_sliceTimer.stop();
        applySlice({batch, true});
        return;
    }
    const QList<MonitorBatch> slices = sliceBatch(batch, MaxChangesPerSlice);
    for (qsizetype i = 0; i < slices.size(); ++i)
        m_slices.append({slices.at(i), i == slices.size() - 1});
    if (!m_sliceTimer.isActive())
        applyNextSlice();
}

void MainWindow::applyNextSlice()
{
    QElapsedTimer pass;
    pass.start();
    while (!m_slices.isEmpty() && pass.elapsed() < PassBudgetMs)
        applySlice(m_slices.takeFirst());
    if (!m_slices.isEmpty())
        m_sliceTimer.start();
}

void MainWindow::applySlice(const Slice &slice)
{
    const MonitorBatch &batch = slice.changes;
    m_connections->applyBatch(batch);
    m_rooms->applyBatch(batch);
    m_namespaces->applyBatch(batch);
    if (!batch.isSnapshot)
        m_events->applyBatch(batch);
    if (slice.lastOfBatch)
        m_history->add(batch.stats);
}

void MainWindow::clearModels()
{
    m_slices.clear();
    m_sliceTimer.stop();
    m_connections->clear();
    m_rooms->clear();
    m_namespaces->clear();
    m_history->clear();
}

void MainWindow::updateStatusBar()
{
    switch (m_runner->state()) {
    case ConsoleBackend::State::Running:
        m_statusAddress->setText(m_stale ? tr("%1 (stale: reconnecting)").arg(m_runner->description())
                                         : m_runner->description());
        break;
    case ConsoleBackend::State::Starting:
        m_statusAddress->setText(tr("Starting…"));
        break;
    case ConsoleBackend::State::Stopping:
        m_statusAddress->setText(tr("Stopping…"));
        break;
    case ConsoleBackend::State::Stopped:
        m_statusAddress->setText(m_runner->lastError().isEmpty() ? tr("Stopped") : tr("Not running (see above)"));
        break;
    }
    const ServerStats &stats = m_history->latest();
    const QLocale locale;
    m_statusCounts->setText(tr("%1 clients · %2 sockets · %3 rooms")
                                .arg(locale.toString(stats.clients), locale.toString(stats.sockets),
                                     locale.toString(stats.rooms)));
    if (!m_history->samples().empty()) {
        const StatsHistory::Sample &sample = m_history->samples().back();
        m_statusRates->setText(tr("%1 in/s · %2 out/s")
                                   .arg(locale.toString(qRound(sample.eventsInPerSecond)),
                                        locale.toString(qRound(sample.eventsOutPerSecond))));
    } else {
        m_statusRates->clear();
    }
    m_statusMemory->setText(stats.residentBytes > 0
                                ? tr("Memory %1").arg(locale.formattedDataSize(stats.residentBytes, 1,
                                                                                 QLocale::DataSizeTraditionalFormat))
                                : QString());
}

void MainWindow::onActionFinished(quint64, const ControlResult &result)
{
    if (result.ok) {
        statusBar()->showMessage(result.message, 5000);
        return;
    }
    // Acks that time out are the composer's to show; everything else failing is news.
    if (!result.timedOut)
        m_banner->showMessage(MessageBanner::Level::Error, tr("Action failed: %1").arg(result.message));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_runner->state() == ConsoleBackend::State::Stopped || m_forceClose || !m_runner->isEmbedded()) {
        if (!m_runner->isEmbedded())
            m_runner->stop();
        event->accept();
        return;
    }
    // Let clients hear "server shutting down" first; the runner's destructor is the backstop.
    event->ignore();
    if (m_closeWhenStopped)
        return;
    m_closeWhenStopped = true;
    m_runner->stop();
    QTimer::singleShot(CloseTimeoutMs, this, [this] {
        m_forceClose = true;
        close();
    });
}

} // namespace Plugboard
