#include "servercontrol.h"

#include "../sio/namespace.h"
#include "../sio/server.h"
#include "../sio/socket.h"

#include <QtCore/QThread>

namespace Plugboard {

ServerControl::ServerControl(Server *server, QObject *parent) : QObject(parent), m_server(server)
{
    qRegisterMetaType<Plugboard::ControlResult>();
}

quint64 ServerControl::dispatch(const std::function<void(quint64 id)> &action)
{
    // Always queued: the caller gets its id before finished() can arrive, whatever the thread.
    const quint64 id = m_nextId.fetchAndAddRelaxed(1);
    QMetaObject::invokeMethod(this, [action, id] { action(id); }, Qt::QueuedConnection);
    return id;
}

void ServerControl::finish(ControlResult result)
{
    Q_EMIT finished(result);
}

quint64 ServerControl::emitEvent(const EmitRequest &request)
{
    return dispatch([this, request](quint64 id) {
        ControlResult result;
        result.requestId = id;
        Namespace *nsp = m_server ? m_server->existingNamespace(request.nsp) : nullptr;
        if (!nsp) {
            result.message = QStringLiteral("unknown namespace %1").arg(request.nsp);
            return finish(result);
        }
        if (request.event.isEmpty()) {
            result.message = QStringLiteral("the event name is empty");
            return finish(result);
        }
        BroadcastOperator op = nsp->all();
        switch (request.target) {
        case EmitRequest::Target::Namespace:
            break;
        case EmitRequest::Target::Rooms:
            if (request.rooms.isEmpty()) {
                result.message = QStringLiteral("no room chosen");
                return finish(result);
            }
            op = op.to(request.rooms);
            break;
        case EmitRequest::Target::Sockets:
            if (request.socketIds.isEmpty()) {
                result.message = QStringLiteral("no socket chosen");
                return finish(result);
            }
            op = op.to(request.socketIds); // every socket id is also a room
            break;
        }
        result.recipients = int(op.localSockets().size());
        if (request.ackTimeoutMs <= 0) {
            op.emitEvent(request.event, request.args);
            result.ok = true;
            result.message = QStringLiteral("sent to %1 socket(s)").arg(result.recipients);
            return finish(result);
        }
        QPointer<ServerControl> self(this);
        op.timeout(request.ackTimeoutMs)
            .emitWithAck(request.event, request.args, [self, result](const BroadcastAckResult &acks) mutable {
                if (!self)
                    return;
                result.ok = acks.ok;
                result.timedOut = !acks.ok;
                result.responses = acks.responses;
                result.message = acks.ok ? QStringLiteral("%1 of %2 replied").arg(acks.responses.size()).arg(result.recipients)
                                         : QStringLiteral("timed out: %1 of %2 replied").arg(acks.responses.size()).arg(result.recipients);
                self->finish(result);
            });
    });
}

quint64 ServerControl::disconnectSocket(const QString &nspName, const QString &socketId, bool close)
{
    return dispatch([=, this](quint64 id) {
        ControlResult result;
        result.requestId = id;
        Namespace *nsp = m_server ? m_server->existingNamespace(nspName) : nullptr;
        Socket *socket = nsp ? nsp->socket(socketId) : nullptr;
        if (!socket) {
            result.message = QStringLiteral("no socket %1 in %2").arg(socketId, nspName);
            return finish(result);
        }
        socket->disconnect(close);
        result.ok = true;
        result.recipients = 1;
        result.message = close ? QStringLiteral("connection closed") : QStringLiteral("socket disconnected");
        finish(result);
    });
}

quint64 ServerControl::disconnectRoom(const QString &nsp, const QString &room, bool close)
{
    return disconnectSockets(SocketSelection::inRooms(nsp, room.isEmpty() ? QStringList() : QStringList{room}), close);
}

quint64 ServerControl::joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return changeMembership(SocketSelection::inRooms(nsp, socketIds), room, true);
}

quint64 ServerControl::leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return changeMembership(SocketSelection::inRooms(nsp, socketIds), room, false);
}

quint64 ServerControl::joinRoom(const SocketSelection &selection, const QString &room)
{
    return changeMembership(selection, room, true);
}

quint64 ServerControl::leaveRoom(const SocketSelection &selection, const QString &room)
{
    return changeMembership(selection, room, false);
}

std::optional<BroadcastOperator> selectSockets(Server *server, const SocketSelection &selection, QString *whyNot)
{
    Namespace *nsp = server ? server->existingNamespace(selection.nsp) : nullptr;
    if (!nsp) {
        *whyNot = QStringLiteral("unknown namespace %1").arg(selection.nsp);
        return std::nullopt;
    }
    if (selection.wholeNamespace)
        return nsp->all();
    if (selection.rooms.isEmpty() || selection.rooms.contains(QString())) {
        *whyNot = QStringLiteral("no socket or room chosen");
        return std::nullopt;
    }
    return nsp->to(selection.rooms);
}

quint64 ServerControl::disconnectSockets(const SocketSelection &selection, bool close)
{
    return dispatch([=, this](quint64 id) {
        ControlResult result;
        result.requestId = id;
        const std::optional<BroadcastOperator> op = selectSockets(m_server, selection, &result.message);
        if (!op)
            return finish(result);
        result.recipients = int(op->localSockets().size());
        op->disconnectSockets(close);
        result.ok = true;
        result.message = QStringLiteral("%1 socket(s) disconnected").arg(result.recipients);
        finish(result);
    });
}

quint64 ServerControl::changeMembership(const SocketSelection &selection, const QString &room, bool join)
{
    return dispatch([=, this](quint64 id) {
        ControlResult result;
        result.requestId = id;
        if (room.isEmpty()) {
            result.message = QStringLiteral("the room name is empty");
            return finish(result);
        }
        const std::optional<BroadcastOperator> op = selectSockets(m_server, selection, &result.message);
        if (!op)
            return finish(result);
        result.recipients = int(op->localSockets().size());
        if (join)
            op->socketsJoin({room});
        else
            op->socketsLeave({room});
        result.ok = true;
        result.message = QStringLiteral("%1 socket(s) %2").arg(result.recipients).arg(join ? QStringLiteral("joined") : QStringLiteral("left"));
        finish(result);
    });
}

} // namespace Plugboard
