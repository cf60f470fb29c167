#include "namespace.h"

#include "../adapter/inmemoryadapter.h"
#include "../engine/enginesocket.h"
#include "../logging.h"
#include "client.h"
#include "server.h"
#include "socket.h"

#include <QtCore/QPointer>

namespace Plugboard {

Namespace::Namespace(const QString &name, Server *server)
    : QObject(server), m_name(name), m_server(server), m_adapter(nullptr)
{
    m_adapter = new InMemoryAdapter(this);
}

Namespace::~Namespace() = default;

void Namespace::setAdapter(Adapter *adapter)
{
    delete m_adapter;
    m_adapter = adapter;
}

void Namespace::use(Middleware middleware)
{
    m_middlewares.append(std::move(middleware));
}

BroadcastOperator Namespace::all() const
{
    return BroadcastOperator(m_adapter);
}

BroadcastOperator Namespace::to(const QString &room) const
{
    return all().to(room);
}

BroadcastOperator Namespace::to(const QStringList &rooms) const
{
    return all().to(rooms);
}

BroadcastOperator Namespace::except(const QString &room) const
{
    return all().except(room);
}

BroadcastOperator Namespace::asVolatile() const
{
    return all().asVolatile();
}

BroadcastOperator Namespace::local() const
{
    return all().local();
}

BroadcastOperator Namespace::timeout(int ms) const
{
    return all().timeout(ms);
}

void Namespace::emitEvent(const QString &event, const QCborArray &args)
{
    all().emitEvent(event, args);
}

void Namespace::emitWithAck(const QString &event, const QCborArray &args, BroadcastAckCallback callback)
{
    all().emitWithAck(event, args, std::move(callback));
}

QList<Socket *> Namespace::fetchSockets() const
{
    return all().fetchSockets();
}

void Namespace::socketsJoin(const QStringList &rooms)
{
    all().socketsJoin(rooms);
}

void Namespace::socketsLeave(const QStringList &rooms)
{
    all().socketsLeave(rooms);
}

void Namespace::disconnectSockets(bool close)
{
    all().disconnectSockets(close);
}

void Namespace::serverSideEmit(const QString &event, const QCborArray &args)
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    m_adapter->serverSideEmit(data);
}

void Namespace::addClient(Client *client, const QCborMap &auth)
{
    const auto &recovery = m_server->options().connectionStateRecovery;
    std::optional<RestoredSession> previous;
    const QCborValue pid = auth.value(QStringLiteral("pid"));
    const QCborValue offset = auth.value(QStringLiteral("offset"));
    if (recovery.enabled && pid.isString() && offset.isString())
        previous = m_adapter->restoreSession(pid.toString(), offset.toString());

    auto *socket = new Socket(this, client, auth, previous);
    if (recovery.skipMiddlewares && socket->isRecovered()) {
        completeConnect(client, socket);
        return;
    }
    QPointer<Client> guardClient(client);
    QPointer<Socket> guardSocket(socket);
    runMiddlewares(socket, 0, [this, guardClient, guardSocket](const std::optional<ConnectError> &error) {
        Socket *socket = guardSocket;
        if (!socket)
            return;
        Client *client = guardClient;
        if (!client || !client->engine() || client->engine()->state() != EngineSocket::State::Open) {
            // The connection went away while the middlewares ran.
            m_adapter->delAll(socket->id());
            socket->deleteLater();
            return;
        }
        if (error) {
            socket->onConnectError(*error);
            m_adapter->delAll(socket->id());
            client->removeSocket(socket);
            m_server->countConnectError();
            Q_EMIT connectionRefused(client->id(), *error);
            socket->deleteLater();
            return;
        }
        completeConnect(client, socket);
    });
}

void Namespace::runMiddlewares(Socket *socket, qsizetype index,
                               const std::function<void(const std::optional<ConnectError> &)> &done)
{
    if (index >= m_middlewares.size()) {
        done(std::nullopt);
        return;
    }
    auto called = std::make_shared<bool>(false);
    QPointer<Socket> guard(socket);
    QPointer<Namespace> self(this);
    m_middlewares.at(index)(socket, [=](const std::optional<ConnectError> &error) {
        if (*called || !self)
            return;
        *called = true;
        if (error || !guard) {
            done(error);
            return;
        }
        self->runMiddlewares(guard, index + 1, done);
    });
}

void Namespace::completeConnect(Client *client, Socket *socket)
{
    m_sockets.insert(socket->id(), socket);
    client->addSocket(socket);
    socket->onConnect();
    qCDebug(lcSocket) << "socket" << socket->id() << "connected to" << m_name;
    Q_EMIT socketConnected(socket);
}

void Namespace::removeSocket(Socket *socket, const QString &reason)
{
    if (m_sockets.remove(socket->id()) == 0)
        return;
    Q_EMIT socketDisconnected(socket, reason);
    if (m_sockets.isEmpty())
        Q_EMIT emptied();
}

} // namespace Plugboard
