#pragma once

#include <plugboard_core_export.h>

#include "../http/httprequest.h"
#include "../protocol/siopacket.h"
#include "ack.h"
#include "broadcastoperator.h"
#include "eventlisteners.h"
#include "handshake.h"
#include "smallmap.h"

#include <QtCore/QCborArray>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <functional>
#include <optional>

namespace Plugboard {

class Client;
class EngineSocket;
class Namespace;
class Server;
struct RestoredSession;

// One client's presence in one namespace (Node's Socket). Created by its Namespace when a
// CONNECT succeeds, deleted (deleteLater) after disconnected().
class PLUGBOARD_CORE_EXPORT Socket : public QObject, public EventEmitter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Socket)

public:
    // Runs for each incoming event before its handler; may change args; return an error
    // message to refuse the event (errorOccurred is then emitted and no handler runs).
    using PacketMiddleware = std::function<std::optional<QString>(const QString &event, QCborArray &args)>;
    // Node's socket.use((packet, next) => ...): may finish later; next(std::nullopt) lets the
    // event through (with args as the middleware left them), next(error) refuses it. Calls
    // after the first are ignored.
    using PacketNext = std::function<void(const std::optional<QString> &error)>;
    using AsyncPacketMiddleware = std::function<void(const QString &event, QCborArray &args, const PacketNext &next)>;

    Socket(Namespace *nsp, Client *client, const QCborMap &auth,
           const std::optional<RestoredSession> &previous);
    ~Socket() override;

    QString id() const { return m_id; }
    // Acknowledgements this socket still waits for from its client.
    qsizetype pendingAckCount() const { return m_acks.size(); }
    // Private session id, used for connection-state recovery; empty when recovery is off.
    QString pid() const { return m_pid; }
    Namespace *nsp() const { return m_nsp; }
    Client *client() const { return m_client; }
    Server *server() const;
    EngineSocket *conn() const;
    QString transportName() const;
    const SocketHandshake &handshake() const { return m_handshake; }
    // The Engine.IO handshake request (Node's socket.request), with what Engine.IO middleware
    // attached to it in `attributes`.
    const HttpRequest &request() const;
    // Free-form data attached by the application (Node's socket.data).
    QCborMap &data() { return m_data; }
    const QCborMap &data() const { return m_data; }
    // Changes made here are announced (dataChanged); changes through data() are not.
    void setData(const QCborMap &data);
    void setDataValue(const QString &key, const QCborValue &value);
    bool isConnected() const { return m_connected; }
    bool isRecovered() const { return m_recovered; }

    QSet<QString> rooms() const;
    void join(const QString &room);
    void join(const QSet<QString> &rooms);
    void leave(const QString &room);

    // Listeners (EventEmitter): "disconnecting", "disconnect" (args: [reason]) and "error"
    // (args: [message]) work through on() as in Node; the other reserved names ("connect",
    // "connect_error", "newListener", "removeListener") are refused with a warning and handle 0.
    void use(PacketMiddleware middleware);
    void use(AsyncPacketMiddleware middleware);

    void emitEvent(const QString &event, const QCborArray &args = {});
    // May be dropped if the transport cannot take it right now.
    void emitVolatile(const QString &event, const QCborArray &args = {});
    // Node's socket.compress(false).emit(...): the next emit of this socket is left out of
    // HTTP and WebSocket compression.
    Socket &compress(bool compress);
    // Asks the client for an acknowledgement; callback runs once with the reply, on timeout
    // (timeoutMs > 0) or when the socket disconnects first.
    void emitWithAck(const QString &event, const QCborArray &args, int timeoutMs, AckCallback callback);
    // The same as a future (Node's `await socket.timeout(ms).emitWithAck(...)`); it finishes
    // with the result on this socket's thread.
    QFuture<AckResult> emitWithAck(const QString &event, const QCborArray &args, int timeoutMs);

    // Broadcasts from this socket: every recipient but this socket.
    BroadcastOperator to(const QString &room) const;
    BroadcastOperator to(const QStringList &rooms) const;
    BroadcastOperator except(const QString &room) const;
    BroadcastOperator broadcast() const;

    // Leaves the namespace ("server namespace disconnect"); with close, ends the whole
    // connection and so every namespace of this client.
    void disconnect(bool close = false);

    // For Client, Namespace and adapters.
    void onConnect();
    void onPacket(const SocketIO::Packet &packet);
    void onClose(const QString &reason);
    void onConnectError(const ConnectError &error);
    void registerAck(qint64 id, AckCallback callback, int timeoutMs = -1);
    // A broadcast's acknowledgement: the broadcast keeps the one timer for all recipients, so
    // the entry only carries its expiry and is dropped, without a call, once that has passed.
    void registerBroadcastAck(qint64 id, AckCallback callback, QDeadlineTimer expiry);
    // Runs the onAnyOutgoing handlers; eventSent is emitted only for packets sent to this
    // socket alone (a broadcast is announced once, by the adapter).
    void notifyOutgoing(const SocketIO::Packet &packet, bool broadcast = false);
    void sendPacket(const SocketIO::Packet &packet, bool isVolatile = false, bool compress = true);

Q_SIGNALS:
    void eventReceived(const QString &event, const QCborArray &args, bool ackRequested);
    void eventSent(const QString &event, const QCborArray &args);
    void roomJoined(const QString &room);
    void roomLeft(const QString &room);
    void dataChanged();
    void errorOccurred(const QString &message);
    // The socket is about to leave its rooms.
    void disconnecting(const QString &reason);
    void disconnected(const QString &reason);

private:
    void onEvent(const SocketIO::Packet &packet);
    void onAck(const SocketIO::Packet &packet);
    void failPendingAcks(const QString &error);
    void emitPacket(SocketIO::Packet packet, bool isVolatile);
    static QString eventName(const QCborValue &value);

    QString m_id;
    QString m_pid;
    bool m_compressNext = true;
    Namespace *m_nsp;
    Client *m_client;
    SocketHandshake m_handshake;
    QCborMap m_data;
    bool m_connected = false;
    bool m_recovered = false;
    QList<QCborArray> m_missedPackets;
    bool acceptsListener(const QString &event) const override;
    void dispatch(const QString &event, const QCborArray &args, const Ack &ack);
    void runMiddlewares(qsizetype index, const QString &event, const std::shared_ptr<QCborArray> &args, const Ack &ack);
    QList<AsyncPacketMiddleware> m_middlewares;
    struct PendingAck
    {
        AckCallback callback;
        int timerId = 0;
        QDeadlineTimer expiry = QDeadlineTimer::Forever;
    };
    void dropExpiredBroadcastAcks();
    QHash<qint64, PendingAck> m_acks;

protected:
    void timerEvent(QTimerEvent *event) override;
};

} // namespace Plugboard
