#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>

class QAction;
class QWidget;

namespace Plugboard {

class ConsoleSettings;
class ConsoleBackend;

struct SocketRef
{
    QString nsp;
    QString id;
};

// The operator's actions on sockets and rooms, shared by every page: destructive ones ask
// first (unless ConsoleSettings says not to), all go to the server through ServerRunner.
// Requests to open another view (the composer, a socket's details) are signals that the main
// window routes.
class ConsoleActions : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleActions)

public:
    ConsoleActions(ConsoleBackend *runner, ConsoleSettings *settings, QObject *parent = nullptr);

    enum class Kind { Emit, Membership, Disconnect, DisconnectRoom };
    // Enables `action` when the selection allows it and the server offers it; when the server
    // does not, the tooltip says why (a read-only server, one that cannot disconnect a room).
    void gate(QAction *action, Kind kind, bool selectionAllows) const;

    ConsoleBackend *runner() const { return m_runner; }

    // Each returns false when nothing was sent (nothing chosen, or the operator declined).
    bool disconnectSockets(QWidget *asker, const QList<SocketRef> &sockets, bool close);
    bool disconnectRoom(QWidget *asker, const QString &nsp, const QString &room, int members);
    bool joinRoom(const QList<SocketRef> &sockets, const QString &room);
    bool leaveRoom(const QList<SocketRef> &sockets, const QString &room);

    void requestEmitToSockets(const QString &nsp, const QStringList &socketIds);
    void requestEmitToRoom(const QString &nsp, const QString &room);
    void requestSocketDetails(const QString &socketKey);

Q_SIGNALS:
    // What the server offers changed: pages update their actions.
    void capabilitiesChanged();
    void emitToSocketsRequested(const QString &nsp, const QStringList &socketIds);
    void emitToRoomRequested(const QString &nsp, const QString &room);
    void socketDetailsRequested(const QString &socketKey);

private:
    bool confirm(QWidget *asker, const QString &title, const QString &text) const;

    ConsoleBackend *m_runner;
    ConsoleSettings *m_settings;
};

} // namespace Plugboard
