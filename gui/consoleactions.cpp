#include "consoleactions.h"

#include "consolesettings.h"
#include "consolebackend.h"

#include <QtGui/QAction>

#include <QtCore/QMap>
#include <QtWidgets/QMessageBox>

namespace Plugboard {

namespace {

QMap<QString, QStringList> byNamespace(const QList<SocketRef> &sockets)
{
    QMap<QString, QStringList> groups;
    for (const SocketRef &socket : sockets)
        groups[socket.nsp].append(socket.id);
    return groups;
}

} // namespace

ConsoleActions::ConsoleActions(ConsoleBackend *runner, ConsoleSettings *settings, QObject *parent)
    : QObject(parent), m_runner(runner), m_settings(settings)
{
    connect(runner, &ConsoleBackend::capabilitiesChanged, this, &ConsoleActions::capabilitiesChanged);
}

void ConsoleActions::gate(QAction *action, Kind kind, bool selectionAllows) const
{
    // The action's own tooltip is kept aside the first time, to come back when allowed again.
    if (!action->property("plugboardTip").isValid())
        action->setProperty("plugboardTip", action->toolTip());
    const ConsoleBackend::Capabilities can = m_runner->capabilities();
    bool offered = true;
    QString why;
    switch (kind) {
    case Kind::Emit:
        offered = can.emit;
        why = can.emitWhyNot;
        break;
    case Kind::Membership:
        offered = can.join && can.leave;
        why = can.membershipWhyNot;
        break;
    case Kind::Disconnect:
        offered = can.disconnect;
        why = can.disconnectWhyNot;
        break;
    case Kind::DisconnectRoom:
        offered = can.disconnectRoom;
        why = can.disconnect ? tr("this server cannot disconnect a whole room") : can.disconnectWhyNot;
        break;
    }
    action->setEnabled(selectionAllows && offered);
    action->setToolTip(offered ? action->property("plugboardTip").toString() : why);
}

bool ConsoleActions::confirm(QWidget *asker, const QString &title, const QString &text) const
{
    if (!m_settings->confirmDestructiveActions())
        return true;
    return QMessageBox::question(asker, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
           == QMessageBox::Yes;
}

bool ConsoleActions::disconnectSockets(QWidget *asker, const QList<SocketRef> &sockets, bool close)
{
    if (sockets.isEmpty())
        return false;
    const QString what = sockets.size() == 1 ? tr("socket %1 (%2)").arg(sockets.first().id, sockets.first().nsp)
                                             : tr("%n socket(s)", nullptr, int(sockets.size()));
    const QString title = close ? tr("Close connection") : tr("Disconnect socket");
    const QString text = close ? tr("Close the whole connection of %1? Every namespace of that client is "
                                    "disconnected (reason \"server namespace disconnect\").").arg(what)
                               : tr("Disconnect %1 from its namespace? The client sees "
                                    "\"io server disconnect\" and does not reconnect by itself.").arg(what);
    if (!confirm(asker, title, text))
        return false;
    for (const SocketRef &socket : sockets)
        m_runner->disconnectSocket(socket.nsp, socket.id, close);
    return true;
}

bool ConsoleActions::disconnectRoom(QWidget *asker, const QString &nsp, const QString &room, int members)
{
    if (room.isEmpty())
        return false;
    if (!confirm(asker, tr("Disconnect room"),
                 tr("Disconnect every member of room \"%1\" in %2 (%n socket(s))?", nullptr, members).arg(room, nsp)))
        return false;
    m_runner->disconnectRoom(nsp, room, false);
    return true;
}

bool ConsoleActions::joinRoom(const QList<SocketRef> &sockets, const QString &room)
{
    if (sockets.isEmpty() || room.isEmpty())
        return false;
    const auto groups = byNamespace(sockets);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        m_runner->joinRoom(it.key(), it.value(), room);
    return true;
}

bool ConsoleActions::leaveRoom(const QList<SocketRef> &sockets, const QString &room)
{
    if (sockets.isEmpty() || room.isEmpty())
        return false;
    const auto groups = byNamespace(sockets);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        m_runner->leaveRoom(it.key(), it.value(), room);
    return true;
}

void ConsoleActions::requestEmitToSockets(const QString &nsp, const QStringList &socketIds)
{
    Q_EMIT emitToSocketsRequested(nsp, socketIds);
}

void ConsoleActions::requestEmitToRoom(const QString &nsp, const QString &room)
{
    Q_EMIT emitToRoomRequested(nsp, room);
}

void ConsoleActions::requestSocketDetails(const QString &socketKey)
{
    Q_EMIT socketDetailsRequested(socketKey);
}

} // namespace Plugboard
