#pragma once

#include <monitor/monitortypes.h>
#include <monitor/servercontrol.h>

#include <QtCore/QObject>
#include <QtCore/QString>

namespace Plugboard {

// What a console window watches and drives: the server inside the console (ServerRunner) or
// a remote server speaking the admin-ui protocol (RemoteBackend). Pages see only this.
// Actions return a ticket that actionFinished() carries back; they never block.
class ConsoleBackend : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleBackend)

public:
    // Running: serving (embedded) or attached and receiving (remote).
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    // What the server lets the operator do; each flag that is false comes with the reason
    // shown in tooltips.
    struct Capabilities
    {
        bool emit = true;
        bool emitWithAck = true;
        bool join = true;
        bool leave = true;
        bool disconnect = true;
        bool disconnectRoom = true;
        QString emitWhyNot;
        QString emitWithAckWhyNot;
        QString membershipWhyNot;
        QString disconnectWhyNot;
    };

    explicit ConsoleBackend(QObject *parent = nullptr) : QObject(parent) {}

    virtual State state() const = 0;
    bool isRunning() const { return state() == State::Running; }
    // "Listening on 127.0.0.1:3000", "Attached to http://host:3000/admin".
    virtual QString description() const = 0;
    virtual QString lastError() const = 0;
    virtual Capabilities capabilities() const { return {}; }
    // True when the window may start and stop the server (the embedded one).
    virtual bool isEmbedded() const = 0;

    virtual void stop() = 0;
    virtual void requestSnapshot() = 0;
    virtual quint64 emitEvent(const EmitRequest &request) = 0;
    virtual quint64 disconnectSocket(const QString &nsp, const QString &socketId, bool close) = 0;
    virtual quint64 disconnectRoom(const QString &nsp, const QString &room, bool close) = 0;
    virtual quint64 joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room) = 0;
    virtual quint64 leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room) = 0;

Q_SIGNALS:
    void stateChanged(Plugboard::ConsoleBackend::State state);
    void started(const QString &description);
    void startFailed(const QString &error);
    void stopped();
    void batchReady(const Plugboard::MonitorBatch &batch);
    void snapshotReady(const Plugboard::MonitorBatch &batch);
    void actionFinished(quint64 ticket, const Plugboard::ControlResult &result);
    void capabilitiesChanged();
    // The data on screen is no longer live (remote: the connection dropped; it reconnects
    // by itself), or live again.
    void staleChanged(bool stale, const QString &why);
    // Something the operator should know that does not stop the window (a newer protocol).
    void warning(const QString &message);
};

} // namespace Plugboard
