#pragma once

#include <plugboard_client_export.h>

#include "../protocol/siopacket.h"
#include "../sio/ack.h"
#include "../sio/eventlisteners.h"
#include "clientoptions.h"

#include <QtCore/QCborArray>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard::Io {

class Manager;

// The client's socket in one namespace (socket.io-client's Socket). Made by Manager::socket()
// and owned by the Manager. Events and acknowledgements carry QCborValue arguments; byte
// arrays anywhere in them travel as binary attachments.
class PLUGBOARD_CLIENT_EXPORT Socket : public QObject, public EventEmitter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Socket)

public:
    Socket(Manager *io, const QString &nsp, const SocketOptions &options);
    ~Socket() override;

    Manager *io() const;
    QString nsp() const { return m_nsp; }
    // The socket id the server gave; empty while not connected.
    QString id() const { return m_id; }
    bool isConnected() const { return m_connected; }
    // True until disconnect() or a server-side disconnect or refusal: the socket reconnects
    // with its Manager.
    bool isActive() const { return m_active; }
    bool isRecovered() const { return m_recovered; }
    QString pid() const { return m_pid; }
    QString lastOffset() const { return m_lastOffset; }
    void setAuth(const QCborMap &auth) { m_options.auth = auth; }
    // The last API misuse (a reserved event name), as Node's error message.
    QString lastError() const { return m_lastError; }
    qsizetype sendBufferSize() const { return m_sendBuffer.size(); }
    qsizetype pendingAckCount() const { return m_acks.size(); }
    qsizetype queuedPacketCount() const { return m_queue.size(); }

    Socket &connect();
    Socket &open() { return connect(); }
    Socket &disconnect();
    Socket &close() { return disconnect(); }

    // Listeners (EventEmitter) as socket.io-client's: "connect" (no arguments), "connect_error"
    // ([{message, data}]) and "disconnect" ([reason, description]) work through on() too.

    // Flags for the next emit only, as socket.timeout(ms), socket.compress(false).
    Socket &timeout(int ms);
    Socket &compress(bool compress);

    // Sends an event; false (with lastError()) for a reserved name. While disconnected the
    // packet waits in the send buffer.
    bool emitEvent(const QString &event, const QCborArray &args = {});
    // With an acknowledgement. Without a timeout (timeout() or ackTimeout) the callback runs
    // only with the reply, as in Node; with one, also with "operation has timed out" or
    // "socket has been disconnected".
    bool emitEvent(const QString &event, const QCborArray &args, AckCallback callback);
    // Dropped unless the transport can take it now (socket.volatile.emit).
    bool emitVolatile(const QString &event, const QCborArray &args = {});
    // The acknowledgement as a future; it fails with "socket has been disconnected" too.
    QFuture<AckResult> emitWithAck(const QString &event, const QCborArray &args = {});
    bool send(const QCborArray &args) { return emitEvent(QStringLiteral("message"), args); }

    // For Manager.
    void onPacket(const SocketIO::Packet &packet);

Q_SIGNALS:
    void connected();
    void connectError(const QString &message, const QCborValue &data);
    void disconnected(const QString &reason, const QString &description);
    // Every incoming event, after its listeners; ack answers the server when it asked.
    void eventReceived(const QString &event, const QCborArray &args, const Plugboard::Ack &ack);
    void eventSent(const QString &event, const QCborArray &args);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Flags
    {
        int timeout = -1;
        bool compress = true;
        bool isVolatile = false;
        bool fromQueue = false;
    };
    struct PendingAck
    {
        AckCallback callback;
        bool withError = false; // called on timeout and on disconnection too
        int timerId = 0;
    };
    struct QueuedPacket
    {
        quint64 id = 0;
        int tryCount = 0;
        bool pending = false;
        QString event;
        QCborArray args;
        AckCallback callback;
        Flags flags;
    };
    struct OutgoingPacket
    {
        SocketIO::Packet packet;
        bool compress = true;
    };

    bool emitPacket(const QString &event, const QCborArray &args, AckCallback callback, bool withError);
    void subscribe();
    void destroy();
    void onOpen();
    void sendConnectPacket(const QCborMap &auth);
    void onConnect(const QString &id, const QString &pid);
    void onEvent(const SocketIO::Packet &packet);
    void onAck(const SocketIO::Packet &packet);
    void onError(const QString &error);
    void onClose(const QString &reason, const QString &description);
    void deliver(const QCborArray &packetData, const Ack &ack);
    void notifyOutgoing(const SocketIO::Packet &packet);
    void clearAcks();
    void addToQueue(const QString &event, const QCborArray &args, AckCallback callback);
    void drainQueue(bool force = false);
    void fireConnectError(const QString &message, const QCborValue &data);

    QPointer<Manager> m_io;
    QString m_nsp;
    SocketOptions m_options;
    QString m_id;
    QString m_pid;
    QString m_lastOffset;
    QString m_lastError;
    bool m_connected = false;
    bool m_active = false;
    bool m_recovered = false;
    Flags m_flags;
    qint64 m_nextAckId = 0;
    QHash<qint64, PendingAck> m_acks;
    QHash<int, qint64> m_ackTimers;
    QList<OutgoingPacket> m_sendBuffer;
    QList<QPair<QCborArray, Ack>> m_receiveBuffer;
    QList<QueuedPacket> m_queue;
    quint64 m_nextQueueId = 0;
    QList<QMetaObject::Connection> m_subscriptions;
};

} // namespace Plugboard::Io
