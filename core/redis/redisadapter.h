#pragma once

#include <plugboard_redis_export.h>

#include "../adapter/inmemoryadapter.h"
#include "clustermessages.h"
#include "redisclient.h"

#include <QtCore/QPointer>

namespace Plugboard::Redis {

// Node's createAdapter(pub, sub, opts) options (@socket.io/redis-adapter 8.3).
struct PLUGBOARD_REDIS_EXPORT AdapterOptions
{
    QString key = QStringLiteral("socket.io");
    int requestsTimeout = 5000;
    bool publishOnSpecificResponseChannel = false;
};

// The classic Redis adapter, on the wire exactly as Node's: a Plugboard server and Node
// servers form one cluster. This server's rooms live in memory (the base class); broadcasts
// are published to the others, and requests (fetchSockets, allRooms, serverSideEmit, ...)
// wait for every server that PUBSUB NUMSUB counts, or fail after requestsTimeout.
//
// Choices where Node leaves room: socketsJoin/socketsLeave/disconnectSockets act on this
// server's sockets at once (Node waits for its own request to come back from Redis, so
// nothing happens while Redis is down); while Redis is unreachable every request is
// answered by this server alone, as if it were the only one.
class PLUGBOARD_REDIS_EXPORT RedisAdapter : public InMemoryAdapter
{
    Q_OBJECT

public:
    RedisAdapter(AdapterHost *host, QObject *parent, Client *client, const AdapterOptions &options);
    ~RedisAdapter() override;

    QString uid() const { return m_uid; }
    const Channels &channels() const { return m_channels; }

    void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) override;
    void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                          const std::function<void(int)> &clientCount,
                          const std::function<void(const AckResponse &)> &ack) override;
    void serverCount(const std::function<void(int)> &done) const override;
    void fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done) override;
    void allSockets(const QSet<QString> &rooms, const ReplyCallback<QStringList> &done) override;
    void allRooms(const ReplyCallback<QStringList> &done) override;
    void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void disconnectSockets(const BroadcastOptions &options, bool close) override;
    void serverSideEmit(const QCborArray &packet, const ReplyCallback<QCborArray> &done) override;
    AdapterStatus status() const override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct PendingRequest
    {
        RequestType type = RequestType::Sockets;
        int expected = 0;  // answers awaited (servers counted by NUMSUB, this one included)
        int received = 1;  // this server's own share counts as the first
        QList<SocketDetails> sockets;
        QStringList ids;
        QSet<QString> rooms;
        QCborArray responses;
        ReplyCallback<QList<SocketDetails>> fetchDone;
        ReplyCallback<QStringList> listDone;
        ReplyCallback<QCborArray> emitDone;
        int timerId = 0;
    };
    struct AckRequest
    {
        std::function<void(int)> clientCount;
        std::function<void(const AckResponse &)> ack;
        int timerId = 0;
    };

    void onMessage(const QByteArray &channel, const QByteArray &payload);
    void onBroadcastMessage(const QByteArray &channel, const QByteArray &payload);
    void onRequest(const QByteArray &payload);
    void onResponse(const QByteArray &payload);
    void publishRequest(const QCborMap &request);
    void publishResponse(const QCborMap &request, const QByteArray &response);
    void startRequest(QCborMap request, PendingRequest pending);
    void finishRequest(const QString &requestId, bool timedOut);
    void ignore(const char *what, const QString &detail = {}) const;

    QPointer<Client> m_client;
    AdapterOptions m_options;
    QString m_uid;
    Channels m_channels;
    QHash<QString, PendingRequest> m_requests; // by request id
    QHash<QString, AckRequest> m_ackRequests;
    QHash<int, QString> m_timers;              // timer id -> request id
};

// Node's `createAdapter(pubClient, subClient, opts)`: set as ServerOptions::adapter. The
// client must outlive the server.
PLUGBOARD_REDIS_EXPORT AdapterFactory createAdapter(Client *client, const AdapterOptions &options = {});

// A random id as Node's uid2(n) makes them.
PLUGBOARD_REDIS_EXPORT QString randomId(int length = 6);

} // namespace Plugboard::Redis
