#pragma once

#include <plugboard_core_export.h>

#include "../adapter/adapterhost.h"
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
// middleware chain and its adapter (rooms, broadcasting; made by ServerOptions::adapter).
// Owned by the Server.
class PLUGBOARD_CORE_EXPORT Namespace : public QObject, public AdapterHost
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

    QString name() const override { return m_name; }
    Server *server() const { return m_server; }
    Adapter *adapter() const { return m_adapter; }

    void use(Middleware middleware);
    const QList<Middleware> &middlewares() const { return m_middlewares; }

    const QHash<QString, Socket *> &sockets() const { return m_sockets; }
    Socket *socket(const QString &id) const { return m_sockets.value(id); }
    // This namespace's socket of that id, or a child namespace's for a parent namespace.
    virtual Socket *findSocket(const QString &id) const { return socket(id); }

    BroadcastOperator to(const QString &room) const;
    BroadcastOperator to(const QStringList &rooms) const;
    BroadcastOperator in(const QString &room) const { return to(room); }
    BroadcastOperator in(const QStringList &rooms) const { return to(rooms); }
    BroadcastOperator except(const QString &room) const;
    BroadcastOperator except(const QStringList &rooms) const;
    BroadcastOperator compress(bool compress) const;
    BroadcastOperator asVolatile() const;
    BroadcastOperator local() const;
    BroadcastOperator timeout(int ms) const;
    BroadcastOperator all() const;

    void emitEvent(const QString &event, const QCborArray &args = {});
    void emitWithAck(const QString &event, const QCborArray &args, BroadcastAckCallback callback);
    // Every socket of the namespace on every server of the cluster (see BroadcastOperator).
    void fetchSockets(FetchSocketsCallback callback) const;
    void allSockets(ReplyCallback<QStringList> callback) const;
    // Every room of the namespace on every server (Node's adapter.allRooms()).
    void allRooms(ReplyCallback<QStringList> callback) const;
    void serverCount(std::function<void(int)> callback) const;
    void socketsJoin(const QStringList &rooms);
    void socketsLeave(const QStringList &rooms);
    void disconnectSockets(bool close = false);
    // Reaches serverSideEventReceived of this namespace on the other servers of the cluster.
    void serverSideEmit(const QString &event, const QCborArray &args = {});
    // As above; the callback gets one reply per other server (the first value its handler
    // acknowledged with), or "timeout reached while waiting for serverSideEmit response"
    // with the replies so far.
    void serverSideEmitWithAck(const QString &event, const QCborArray &args, ReplyCallback<QCborArray> callback);

    // For Client and Socket.
    void addClient(Client *client, const QCborMap &auth);
    void removeSocket(Socket *socket, const QString &reason);

    // AdapterHost: what the adapter asks of its namespace.
    Recovery recoveryOptions() const override;
    QStringList localSocketIds() const override { return m_sockets.keys(); }
    bool hasLocalSocket(const QString &id) const override { return m_sockets.contains(id); }
    std::optional<SocketDetails> localSocketDetails(const QString &id) const override;
    int deliverToLocalSockets(const SocketIO::Packet &packet, const QStringList &ids,
                              const BroadcastFlags &flags) override;
    int deliverToLocalSocketsWithAck(const SocketIO::Packet &packet, const QStringList &ids, const BroadcastFlags &flags,
                                     QDeadlineTimer expiry,
                                     const std::function<void(const AckResponse &)> &ack) override;
    void joinLocalSockets(const QStringList &ids, const QSet<QString> &rooms) override;
    void leaveLocalSockets(const QStringList &ids, const QSet<QString> &rooms) override;
    void disconnectLocalSockets(const QStringList &ids, bool close) override;
    void receiveServerSideEmit(const QCborArray &packet, const std::function<void(const QCborValue &)> &reply) override;
    qint64 nextAckId() override { return m_nextAckId++; }

Q_SIGNALS:
    void socketConnected(Plugboard::Socket *socket);
    void socketDisconnected(Plugboard::Socket *socket, const QString &reason);
    // A CONNECT refused by a middleware.
    void connectionRefused(const QString &clientId, const Plugboard::ConnectError &error);
    // The last socket left.
    void emptied();
    // Another server of the cluster called serverSideEmit(event, args); when it wants an
    // answer, ack.isRequested() and ack({value}) sends value (the first argument) back.
    void serverSideEventReceived(const QString &event, const QCborArray &args, const Plugboard::Ack &ack);

protected:
    // For ParentNamespace: a namespace whose adapter is set afterwards.
    struct NoAdapter {};
    Namespace(const QString &name, Server *server, NoAdapter);
    // Replaces the adapter (the namespace owns it).
    void setAdapter(Adapter *adapter);

private:
    void runMiddlewares(Socket *socket, qsizetype index, const std::function<void(const std::optional<ConnectError> &)> &done);
    void completeConnect(Client *client, Socket *socket);
    int deliver(const SocketIO::Packet &packet, const QStringList &ids, const BroadcastFlags &flags,
                const std::function<void(Socket *)> &beforeWrite);

    QString m_name;
    Server *m_server;
    Adapter *m_adapter;
    QList<Middleware> m_middlewares;
    QHash<QString, Socket *> m_sockets;
    qint64 m_nextAckId = 0;
};

} // namespace Plugboard

Q_DECLARE_METATYPE(Plugboard::ConnectError)
