#pragma once

#include <plugboard_redis_export.h>

#include "../adapter/inmemoryadapter.h"
#include "clustermessages.h"
#include "redisclient.h"

#include <QtCore/QPointer>

namespace Plugboard::Redis {

// Node's createShardedAdapter(pub, sub, opts) options (@socket.io/redis-adapter 8.3, Redis 7).
struct PLUGBOARD_REDIS_EXPORT ShardedAdapterOptions
{
    QString channelPrefix = QStringLiteral("socket.io");
    // "static": two channels per namespace; "dynamic": also one per public room, used by
    // single-room broadcasts without acks; "dynamic-private": also for socket-id rooms.
    enum class SubscriptionMode { Static, Dynamic, DynamicPrivate };
    SubscriptionMode subscriptionMode = SubscriptionMode::Dynamic;
    int requestsTimeout = 5000;
};

// The sharded Redis adapter, on the wire as Node's (socket.io-adapter's ClusterAdapter
// messages {type, data, uid, nsp} over SPUBLISH/SSUBSCRIBE): JSON, or msgpack when the
// message carries binary. The server count is PUBSUB SHARDNUMSUB <prefix>#<nsp>#. As in Node,
// allRooms and allSockets answer for this server only (the protocol has no such requests).
class PLUGBOARD_REDIS_EXPORT ShardedRedisAdapter : public InMemoryAdapter
{
    Q_OBJECT

public:
    ShardedRedisAdapter(AdapterHost *host, QObject *parent, Client *client, const ShardedAdapterOptions &options);
    ~ShardedRedisAdapter() override;

    QString uid() const { return m_uid; }

    void broadcast(SocketIO::Packet packet, const BroadcastOptions &options) override;
    void broadcastWithAck(SocketIO::Packet packet, const BroadcastOptions &options,
                          const std::function<void(int)> &clientCount,
                          const std::function<void(const AckResponse &)> &ack) override;
    void serverCount(const std::function<void(int)> &done) const override;
    void fetchSockets(const BroadcastOptions &options, const ReplyCallback<QList<SocketDetails>> &done) override;
    void addSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void delSockets(const BroadcastOptions &options, const QSet<QString> &rooms) override;
    void disconnectSockets(const BroadcastOptions &options, bool close) override;
    void serverSideEmit(const QCborArray &packet, const ReplyCallback<QCborArray> &done) override;
    AdapterStatus status() const override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum MessageType {
        Broadcast = 3, SocketsJoin = 4, SocketsLeave = 5, DisconnectSockets = 6, FetchSockets = 7,
        FetchSocketsResponse = 8, ServerSideEmit = 9, ServerSideEmitResponse = 10,
        BroadcastClientCount = 11, BroadcastAck = 12,
    };
    struct PendingRequest
    {
        MessageType type = FetchSockets;
        int expected = 0;
        int current = 0;
        QList<SocketDetails> sockets;
        QCborArray responses;
        ReplyCallback<QList<SocketDetails>> fetchDone;
        ReplyCallback<QCborArray> emitDone;
        int timerId = 0;
    };
    struct AckRequest
    {
        std::function<void(int)> clientCount;
        std::function<void(const AckResponse &)> ack;
        int timerId = 0;
    };

    bool usesRoomChannel(const QString &room) const;
    void publish(MessageType type, const QCborMap &data, const QByteArray &channel);
    void publishResponse(const QString &requesterUid, MessageType type, const QCborMap &data);
    // socketsJoin / socketsLeave for the other servers.
    void publishRooms(MessageType type, const BroadcastOptions &options, const QSet<QString> &rooms);
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    void onClusterMessage(const QCborMap &message);
    void onResponse(const QCborMap &message);
    void startRequest(PendingRequest pending, QCborMap data);
    void finishRequest(const QString &requestId, bool timedOut);
    void ignore(const char *what, const QString &detail = {}) const;

    QPointer<Client> m_client;
    ShardedAdapterOptions m_options;
    QString m_uid;
    QByteArray m_channel;         // prefix#nsp#
    QByteArray m_responseChannel; // prefix#nsp#uid#
    QHash<QString, PendingRequest> m_requests;
    QHash<QString, AckRequest> m_ackRequests;
    QHash<int, QString> m_timers;
};

// Node's `createShardedAdapter(pubClient, subClient, opts)`, for ServerOptions::adapter.
PLUGBOARD_REDIS_EXPORT AdapterFactory createShardedAdapter(Client *client, const ShardedAdapterOptions &options = {});

} // namespace Plugboard::Redis
