#pragma once

#include "../sio/ack.h"

#include <QtCore/QCborArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

namespace Plugboard {

class Server;

// Who an operator's emit goes to: always explicit, never an implicit "everyone".
struct EmitRequest
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

struct ControlResult
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
class ServerControl : public QObject
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

Q_SIGNALS:
    void finished(const Plugboard::ControlResult &result);

private:
    quint64 dispatch(const std::function<void(quint64 id)> &action);
    quint64 changeMembership(const QString &nsp, const QStringList &socketIds, const QString &room, bool join);
    void finish(ControlResult result);

    QPointer<Server> m_server;
    QAtomicInteger<quint64> m_nextId = 1;
};

} // namespace Plugboard

Q_DECLARE_METATYPE(Plugboard::EmitRequest)
Q_DECLARE_METATYPE(Plugboard::ControlResult)
