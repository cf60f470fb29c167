#pragma once

#include <monitor/monitortypes.h>
#include <monitor/servercontrol.h>
#include <service.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class ServerMonitor;

// The console's side of the server thread: owns the Service with its ServerMonitor and
// ServerControl, and relays their signals. Every slot runs in the server thread; the console
// calls them through queued invocations (see ServerRunner) and hears back through signals.
class ServerHost : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerHost)

public:
    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    bool isRunning() const { return m_service != nullptr; }

public Q_SLOTS:
    void start(const Plugboard::ServiceConfig &config);
    // Graceful: clients are told the server is shutting down; stopped() follows.
    void stop();
    // Immediate: for when the console goes away without waiting.
    void shutdown();
    void requestSnapshot();

    // Each answers with controlFinished(ticket, result); ticket is the caller's own number.
    void emitEvent(quint64 ticket, const Plugboard::EmitRequest &request);
    void disconnectSocket(quint64 ticket, const QString &nsp, const QString &socketId, bool close);
    void disconnectRoom(quint64 ticket, const QString &nsp, const QString &room, bool close);
    void joinRoom(quint64 ticket, const QString &nsp, const QStringList &socketIds, const QString &room);
    void leaveRoom(quint64 ticket, const QString &nsp, const QStringList &socketIds, const QString &room);

Q_SIGNALS:
    void started(const QString &listenAddress, quint16 port);
    void startFailed(const QString &error);
    void stopped();
    void batchReady(const Plugboard::MonitorBatch &batch);
    void snapshotReady(const Plugboard::MonitorBatch &batch);
    void controlFinished(quint64 ticket, const Plugboard::ControlResult &result);

private:
    bool ensureRunning(quint64 ticket);
    void track(quint64 ticket, quint64 requestId);
    void onControlFinished(const Plugboard::ControlResult &result);
    enum class Deletion { Now, Later };
    void teardown(Deletion deletion);

    QPointer<Service> m_service;
    QPointer<ServerMonitor> m_monitor;
    QPointer<ServerControl> m_control;
    QHash<quint64, quint64> m_ticketByRequest;
    bool m_stopping = false;
};

} // namespace Plugboard
