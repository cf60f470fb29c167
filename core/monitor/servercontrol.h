#pragma once

#include <plugboard_core_export.h>

#include "../sio/ack.h"
#include "../sio/broadcastoperator.h"

#include <QtCore/QCborArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <optional>

namespace Plugboard {

class Server;

// Who an operator's emit goes to: always explicit, never an implicit "everyone".
struct PLUGBOARD_CORE_EXPORT EmitRequest
{
    enum class Target { Namespace, Rooms, Sockets };
    QString nsp = QStringLiteral("/");
    Target target = Target::Sockets;
    QStringList rooms;     // Target::Rooms
    QStringList socketIds; // Target::Sockets
    QString event;
    QCborArray args;
    int ackTimeoutMs = 0; // > 0: ask every recipient for an acknowledgement
};

// Which sockets an action applies to: those in any of `rooms` (a socket id names the socket's
// own room), or every socket of the namespace. Never empty by accident: an empty room list
// without wholeNamespace selects nothing and is refused.
struct PLUGBOARD_CORE_EXPORT SocketSelection
{
    QString nsp = QStringLiteral("/");
    QStringList rooms;
    bool wholeNamespace = false;

    static SocketSelection inRooms(const QString &nsp, const QStringList &rooms) { return {nsp, rooms, false}; }
    static SocketSelection everyone(const QString &nsp) { return {nsp, {}, true}; }
};

// The selection's sockets on `server`, or nullopt with *whyNot saying why not (an unknown
// namespace, nothing chosen).
PLUGBOARD_CORE_EXPORT std::optional<BroadcastOperator> selectSockets(Server *server, const SocketSelection &selection, QString *whyNot);

struct PLUGBOARD_CORE_EXPORT ControlResult
{
    quint64 requestId = 0;
    bool ok = false;
    QString message;              // what went wrong, or a summary
    int recipients = 0;           // emit: sockets addressed; actions: sockets affected
    QList<AckResponse> responses; // emit with ack: every reply received
    bool timedOut = false;
};

// The actions of operators and consoles, carried out through the server's real API (the same
// broadcast operators as user code). Every call may be made from any thread: it is carried
// out in the server's thread and answered with finished(result).
class PLUGBOARD_CORE_EXPORT ServerControl : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerControl)

public:
    explicit ServerControl(Server *server, QObject *parent = nullptr);

    // Each returns the request id that finished() will carry.
    quint64 emitEvent(const EmitRequest &request);
    // close: end the whole connection, not only this namespace.
    quint64 disconnectSocket(const QString &nsp, const QString &socketId, bool close);
    quint64 disconnectRoom(const QString &nsp, const QString &room, bool close);
    quint64 joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room);
    quint64 leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room);
    // The same on a selection (Node's io.of(nsp).in(rooms).socketsJoin / socketsLeave /
    // disconnectSockets): what the admin protocol's commands map to.
    quint64 joinRoom(const SocketSelection &selection, const QString &room);
    quint64 leaveRoom(const SocketSelection &selection, const QString &room);
    quint64 disconnectSockets(const SocketSelection &selection, bool close);

Q_SIGNALS:
    void finished(const Plugboard::ControlResult &result);

private:
    quint64 dispatch(const std::function<void(quint64 id)> &action);
    quint64 changeMembership(const SocketSelection &selection, const QString &room, bool join);
    void finish(ControlResult result);

    QPointer<Server> m_server;
    QAtomicInteger<quint64> m_nextId = 1;
};

} // namespace Plugboard

Q_DECLARE_METATYPE(Plugboard::EmitRequest)
Q_DECLARE_METATYPE(Plugboard::ControlResult)
