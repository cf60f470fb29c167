#pragma once

#include <monitor/monitortypes.h>
#include <monitor/servercontrol.h>
#include <service.h>

#include <QtCore/QTimer>
#include <QtWidgets/QMainWindow>

class QDockWidget;
class QLabel;
class QTabWidget;

namespace Plugboard {

class ConnectionsModel;
class ConnectionsPage;
class ConsoleActions;
class ConsoleSettings;
class DashboardPage;
class EmitComposer;
class EventLogModel;
class EventLogPage;
class MessageBanner;
class NamespacesModel;
class RoomsModel;
class RoomsPage;
class ConsoleBackend;
class ServerSettingsPage;
class SocketDetailsPanel;
class StatsHistory;

// The console window: pages for the dashboard, connections, rooms, events, the emit composer
// and the server settings; a dock with the selected socket's details; a status bar with the
// listen address, counts and memory. Owns the models and applies every monitor batch to them.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Page { DashboardTab, ConnectionsTab, RoomsTab, EventsTab, EmitTab, ServerTab };
    Q_ENUM(Page)

    // The Server page exists only for an embedded backend (a ServerRunner).
    MainWindow(ConsoleBackend *runner, ConsoleSettings *settings, const ServiceConfig &config,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    ConsoleBackend *runner() const { return m_runner; }
    ConsoleSettings *settings() const { return m_settings; }
    ConnectionsModel *connectionsModel() const { return m_connections; }
    RoomsModel *roomsModel() const { return m_rooms; }
    NamespacesModel *namespacesModel() const { return m_namespaces; }
    EventLogModel *eventLogModel() const { return m_events; }
    StatsHistory *statsHistory() const { return m_history; }

    DashboardPage *dashboardPage() const { return m_dashboardPage; }
    ConnectionsPage *connectionsPage() const { return m_connectionsPage; }
    RoomsPage *roomsPage() const { return m_roomsPage; }
    EventLogPage *eventLogPage() const { return m_eventLogPage; }
    EmitComposer *emitComposer() const { return m_composer; }
    // Null when attached to a remote server.
    ServerSettingsPage *serverSettingsPage() const { return m_settingsPage; }
    SocketDetailsPanel *socketDetails() const { return m_details; }
    MessageBanner *banner() const { return m_banner; }

    void showPage(Page page);
    Page currentPage() const;

Q_SIGNALS:
    // File > Attach to server…: the console opens a window of its own for it.
    void attachRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // Big batches are applied in slices, as many per event-loop pass as fit in a time budget,
    // so that the window stays responsive through bursts (thousands of sockets leaving at once).
    static constexpr int MaxChangesPerSlice = 250;
    static constexpr int PassBudgetMs = 10;
    struct Slice
    {
        MonitorBatch changes;
        bool lastOfBatch = true; // carries the batch's stats
    };
    void takeBatch(const MonitorBatch &batch);
    void applyNextSlice();
    void applySlice(const Slice &slice);
    void clearModels();
    void updateStatusBar();
    void onActionFinished(quint64 ticket, const ControlResult &result);

    ConsoleBackend *m_runner;
    ConsoleSettings *m_settings;
    ConnectionsModel *m_connections;
    RoomsModel *m_rooms;
    NamespacesModel *m_namespaces;
    EventLogModel *m_events;
    StatsHistory *m_history;
    ConsoleActions *m_actions;

    MessageBanner *m_banner;
    QTabWidget *m_tabs;
    DashboardPage *m_dashboardPage;
    ConnectionsPage *m_connectionsPage;
    RoomsPage *m_roomsPage;
    EventLogPage *m_eventLogPage;
    EmitComposer *m_composer;
    ServerSettingsPage *m_settingsPage = nullptr;
    SocketDetailsPanel *m_details;
    QDockWidget *m_detailsDock;

    QLabel *m_statusAddress;
    QLabel *m_statusCounts;
    QLabel *m_statusRates;
    QLabel *m_statusMemory;
    bool m_stale = false;
    bool m_closeWhenStopped = false;
    bool m_forceClose = false;
    QList<Slice> m_slices;
    QTimer m_sliceTimer;
};

} // namespace Plugboard
