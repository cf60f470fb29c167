#pragma once

#include <monitor/monitortypes.h>
#include <monitor/servercontrol.h>
#include <service.h>

#include <QtCore/QObject>
#include <QtCore/QThread>

namespace Plugboard {

class ServerHost;

// The console's handle on the server: runs a ServerHost in a worker thread and offers its
// slots to the GUI thread without ever blocking it. Actions return a ticket that
// actionFinished() carries back. Batches arrive through queued signals.
class ServerRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerRunner)

public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    explicit ServerRunner(QObject *parent = nullptr);
    // Shuts the server down at once (no graceful close) and joins the thread.
    ~ServerRunner() override;

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    QString listenAddress() const { return m_listenAddress; }
    quint16 port() const { return m_port; }
    QString lastError() const { return m_lastError; }

    void start(const ServiceConfig &config);
    void stop();
    void requestSnapshot();

    quint64 emitEvent(const EmitRequest &request);
    quint64 disconnectSocket(const QString &nsp, const QString &socketId, bool close);
    quint64 disconnectRoom(const QString &nsp, const QString &room, bool close);
    quint64 joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room);
    quint64 leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room);

Q_SIGNALS:
    void stateChanged(Plugboard::ServerRunner::State state);
    void started(const QString &listenAddress);
    void startFailed(const QString &error);
    void stopped();
    void batchReady(const Plugboard::MonitorBatch &batch);
    void snapshotReady(const Plugboard::MonitorBatch &batch);
    void actionFinished(quint64 ticket, const Plugboard::ControlResult &result);

private:
    void setState(State state);
    template<typename Call>
    quint64 dispatch(Call call);

    QThread m_thread;
    ServerHost *m_host;
    State m_state = State::Stopped;
    QString m_listenAddress;
    quint16 m_port = 0;
    QString m_lastError;
    quint64 m_nextTicket = 1;
};

} // namespace Plugboard
