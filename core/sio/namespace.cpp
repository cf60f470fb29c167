#include "namespace.h"

#include "../adapter/inmemoryadapter.h"
#include "../engine/enginesocket.h"
#include "../engine/outboundmessage.h"
#include "../logging.h"
#include "client.h"
#include "server.h"
#include "socket.h"

#include <QtCore/QPointer>

namespace Plugboard {

Namespace::Namespace(const QString &name, Server *server)
    : QObject(server), m_name(name), m_server(server), m_adapter(nullptr)
{
    const AdapterFactory &factory = server->options().adapter;
    m_adapter = factory ? factory(this, this) : nullptr;
    if (!m_adapter)
        m_adapter = new InMemoryAdapter(this, this);
}

Namespace::Namespace(const QString &name, Server *server, NoAdapter)
    : QObject(server), m_name(name), m_server(server), m_adapter(nullptr)
{
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
    return BroadcastOperator(const_cast<Namespace *>(this));
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

BroadcastOperator Namespace::except(const QStringList &rooms) const
{
    return all().except(rooms);
}

BroadcastOperator Namespace::compress(bool compress) const
{
    return all().compress(compress);
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

void Namespace::fetchSockets(FetchSocketsCallback callback) const
{
    all().fetchSockets(std::move(callback));
}

void Namespace::allSockets(ReplyCallback<QStringList> callback) const
{
    all().allSockets(std::move(callback));
}

void Namespace::allRooms(ReplyCallback<QStringList> callback) const
{
    m_adapter->allRooms(callback);
}

void Namespace::serverCount(std::function<void(int)> callback) const
{
    m_adapter->serverCount(callback);
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
    m_adapter->serverSideEmit(data, {});
}

void Namespace::serverSideEmitWithAck(const QString &event, const QCborArray &args,
                                      ReplyCallback<QCborArray> callback)
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    m_adapter->serverSideEmit(data, callback ? callback : [](const ServerSideEmitReply &) {});
}

AdapterHost::Recovery Namespace::recoveryOptions() const
{
    const auto &recovery = m_server->options().connectionStateRecovery;
    return {recovery.enabled, recovery.maxDisconnectionDuration, recovery.maxBufferedPackets};
}

std::optional<SocketDetails> Namespace::localSocketDetails(const QString &id) const
{
    const Socket *socket = m_sockets.value(id);
    if (!socket)
        return std::nullopt;
    QStringList rooms = socket->rooms().values();
    rooms.sort();
    return SocketDetails{id, socket->handshake(), rooms, socket->data(), true};
}

int Namespace::deliverToLocalSockets(const SocketIO::Packet &packet, const QStringList &ids,
                                     const BroadcastFlags &flags)
{
    return deliver(packet, ids, flags, {});
}

int Namespace::deliverToLocalSocketsWithAck(const SocketIO::Packet &packet, const QStringList &ids,
                                            const BroadcastFlags &flags, QDeadlineTimer expiry,
                                            const std::function<void(const AckResponse &)> &ack)
{
    return deliver(packet, ids, flags, [&ack, expiry, &packet](Socket *socket) {
        socket->registerBroadcastAck(
            packet.id,
            [ack, id = socket->id()](const AckResult &result) {
                if (result.ok)
                    ack({id, result.args});
            },
            expiry);
    });
}

int Namespace::deliver(const SocketIO::Packet &packet, const QStringList &ids, const BroadcastFlags &flags,
                       const std::function<void(Socket *)> &beforeWrite)
{
    // Encoded once, the same frames written to every recipient.
    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet, m_server->options().parser);
    OutboundMessage message(encoded.text, encoded.attachments);
    message.setCompressible(flags.compress.value_or(true));
    int recipients = 0;
    for (const QString &id : ids) {
        Socket *socket = m_sockets.value(id);
        if (!socket)
            continue;
        ++recipients;
        if (beforeWrite)
            beforeWrite(socket);
        socket->notifyOutgoing(packet, true);
        socket->client()->write(message, flags.isVolatile);
    }
    m_server->countEventsOut(recipients);
    return recipients;
}

void Namespace::joinLocalSockets(const QStringList &ids, const QSet<QString> &rooms)
{
    for (const QString &id : ids) {
        if (Socket *socket = m_sockets.value(id))
            socket->join(rooms);
    }
}

void Namespace::leaveLocalSockets(const QStringList &ids, const QSet<QString> &rooms)
{
    for (const QString &id : ids) {
        if (Socket *socket = m_sockets.value(id)) {
            for (const QString &room : rooms)
                socket->leave(room);
        }
    }
}

void Namespace::disconnectLocalSockets(const QStringList &ids, bool close)
{
    // A socket's disconnect can take others with it (close ends every namespace of its
    // connection), so each is looked up again.
    for (const QString &id : ids) {
        if (Socket *socket = m_sockets.value(id))
            socket->disconnect(close);
    }
}

void Namespace::receiveServerSideEmit(const QCborArray &packet, const std::function<void(const QCborValue &)> &reply)
{
    if (packet.isEmpty() || !packet.first().isString())
        return;
    const QString event = packet.first().toString();
    QCborArray args = packet;
    args.removeFirst();
    Ack ack;
    if (reply)
        ack = Ack([reply](const QCborArray &values) { reply(values.isEmpty() ? QCborValue() : values.first()); });
    Q_EMIT serverSideEventReceived(event, args, ack);
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
