#pragma once

#include "consolebackend.h"

#include <service.h>

#include <QtCore/QObject>
#include <QtCore/QThread>

namespace Plugboard {

class ServerHost;

// The console's handle on the server: runs a ServerHost in a worker thread and offers its
// slots to the GUI thread without ever blocking it. Actions return a ticket that
// actionFinished() carries back. Batches arrive through queued signals.
class ServerRunner : public ConsoleBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerRunner)

public:
    explicit ServerRunner(QObject *parent = nullptr);
    // Shuts the server down at once (no graceful close) and joins the thread.
    ~ServerRunner() override;

    State state() const override { return m_state; }
    QString description() const override;
    bool isEmbedded() const override { return true; }
    QString listenAddress() const { return m_listenAddress; }
    quint16 port() const { return m_port; }
    QString lastError() const override { return m_lastError; }

    void start(const ServiceConfig &config);
    void stop() override;
    void requestSnapshot() override;

    quint64 emitEvent(const EmitRequest &request) override;
    quint64 disconnectSocket(const QString &nsp, const QString &socketId, bool close) override;
    quint64 disconnectRoom(const QString &nsp, const QString &room, bool close) override;
    quint64 joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room) override;
    quint64 leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room) override;

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
