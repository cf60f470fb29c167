#pragma once

#include "ack.h"
#include "broadcastoperator.h"
#include "handshake.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>
#include <optional>

namespace Plugboard {

class Adapter;
class Client;
class Server;
class Socket;

// A communication channel over shared connections (Node's Namespace): its sockets, its
// middleware chain and its adapter (rooms, broadcasting). Owned by the Server.
class Namespace : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Namespace)

public:
    // Call next() to admit the socket, next(ConnectError{...}) to refuse it. May be called
    // later (after an asynchronous check); calls after the first are ignored.
    using Next = std::function<void(const std::optional<ConnectError> &error)>;
    using Middleware = std::function<void(Socket *socket, const Next &next)>;

    Namespace(const QString &name, Server *server);
    ~Namespace() override;

    QString name() const { return m_name; }
    Server *server() const { return m_server; }
    Adapter *adapter() const { return m_adapter; }

    void use(Middleware middleware);
    const QList<Middleware> &middlewares() const { return m_middlewares; }

    const QHash<QString, Socket *> &sockets() const { return m_sockets; }
    Socket *socket(const QString &id) const { return m_sockets.value(id); }

    BroadcastOperator to(const QString &room) const;
    BroadcastOperator to(const QStringList &rooms) const;
    BroadcastOperator in(const QString &room) const { return to(room); }
    BroadcastOperator except(const QString &room) const;
    BroadcastOperator asVolatile() const;
    BroadcastOperator local() const;
    BroadcastOperator timeout(int ms) const;
    BroadcastOperator all() const;

    void emitEvent(const QString &event, const QCborArray &args = {});
    void emitWithAck(const QString &event, const QCborArray &args, BroadcastAckCallback callback);
    QList<Socket *> fetchSockets() const;
    void socketsJoin(const QStringList &rooms);
    void socketsLeave(const QStringList &rooms);
    void disconnectSockets(bool close = false);
    void serverSideEmit(const QString &event, const QCborArray &args = {});

    // For Client, Socket and adapters.
    void addClient(Client *client, const QCborMap &auth);
    void removeSocket(Socket *socket, const QString &reason);
    qint64 nextAckId() { return m_nextAckId++; }

Q_SIGNALS:
    void socketConnected(Plugboard::Socket *socket);
    void socketDisconnected(Plugboard::Socket *socket, const QString &reason);
    // A CONNECT refused by a middleware.
    void connectionRefused(const QString &clientId, const Plugboard::ConnectError &error);
    // The last socket left.
    void emptied();

protected:
    // Replaces the adapter (the namespace owns it).
    void setAdapter(Adapter *adapter);

private:
    void runMiddlewares(Socket *socket, qsizetype index, const std::function<void(const std::optional<ConnectError> &)> &done);
    void completeConnect(Client *client, Socket *socket);

    QString m_name;
    Server *m_server;
    Adapter *m_adapter;
    QList<Middleware> m_middlewares;
    QHash<QString, Socket *> m_sockets;
    qint64 m_nextAckId = 0;
};

} // namespace Plugboard

Q_DECLARE_METATYPE(Plugboard::ConnectError)
