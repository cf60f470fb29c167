#pragma once

#include "adminmirror.h"
#include "attachprofile.h"
#include "consolebackend.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QPointer>

namespace Plugboard {

namespace Io {
class Socket;
}

// A remote server watched through the admin-ui protocol (@socket.io/admin-ui's instrument()
// on Node, the admin block of plugboard): a Plugboard::Client connection to its admin
// namespace, mirrored into monitor batches; operator actions become the protocol's commands.
// Reconnects by itself once attached; until then the data on screen is marked stale.
class RemoteBackend : public ConsoleBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteBackend)

public:
    explicit RemoteBackend(AttachProfile profile, QObject *parent = nullptr);
    ~RemoteBackend() override;

    const AttachProfile &profile() const { return m_profile; }
    QStringList features() const { return m_mirror.features(); }

    void attach();
    State state() const override { return m_state; }
    QString description() const override;
    QString lastError() const override { return m_lastError; }
    Capabilities capabilities() const override;
    bool isEmbedded() const override { return false; }

    void stop() override;
    void requestSnapshot() override;
    quint64 emitEvent(const EmitRequest &request) override;
    quint64 disconnectSocket(const QString &nsp, const QString &socketId, bool close) override;
    quint64 disconnectRoom(const QString &nsp, const QString &room, bool close) override;
    quint64 joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room) override;
    quint64 leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room) override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Command
    {
        QString event;
        QCborArray args;
        int timeoutMs = 0; // > 0: the reply is awaited this long whatever the server advertises
    };
    void setState(State state);
    void onConnected();
    void onConnectError(const QString &message);
    void onDisconnected(const QString &reason);
    void onEvent(const QString &event, const QCborArray &args);
    // Sends the commands (one per target) and answers the ticket once all are done.
    quint64 send(const QList<Command> &commands, const QString &summary);
    quint64 refuse(const QString &message);
    quint64 changeMembership(const QString &nsp, const QStringList &socketIds, const QString &room, bool join);
    bool has(const char *feature) const;
    QString explain(const QString &message) const;

    AttachProfile m_profile;
    QPointer<Io::Socket> m_socket;
    AdminMirror m_mirror;
    State m_state = State::Stopped;
    QString m_lastError;
    bool m_everConnected = false;
    bool m_stale = false;
    bool m_warnedMalformed = false;
    QBasicTimer m_flushTimer;
    QBasicTimer m_configTimer;
    quint64 m_nextTicket = 1;
};

} // namespace Plugboard
