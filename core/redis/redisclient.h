#pragma once

#include <plugboard_redis_export.h>

#include "redisconnection.h"
#include "redissubscriber.h"

#include "../adapter/adapter.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard::Redis {

// The two Redis connections that every namespace's adapter of one server shares (Node's
// pubClient and subClient): one publishes and queries, the other stays subscribed. Routes
// each message to the adapter that subscribed to it, and keeps the figures /health and
// /metrics show.
class PLUGBOARD_REDIS_EXPORT Client : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)

public:
    explicit Client(const Endpoint &endpoint, QObject *parent = nullptr);
    ~Client() override;

    const Endpoint &endpoint() const { return m_endpoint; }
    // Connects both (and keeps reconnecting when Redis goes away).
    void open();
    bool isConnected() const { return m_publisher->isConnected() && m_subscriber->isConnected(); }
    QString lastError() const;

    Connection *publisher() const { return m_publisher; }
    Subscriber *subscriber() const { return m_subscriber; }

    // PUBLISH, or SPUBLISH (Redis 7 sharded pub/sub); false (and nothing sent) while Redis is
    // unreachable.
    enum class PubSub { Classic, Sharded };
    bool publish(const QByteArray &channel, const QByteArray &payload, PubSub kind = PubSub::Classic);

    using MessageHandler = std::function<void(const QByteArray &channel, const QByteArray &payload)>;
    // Messages on channels that start with prefix go to handler (the longest matching prefix
    // wins); the subscriptions themselves are the caller's.
    void route(const QByteArray &prefix, QObject *receiver, MessageHandler handler);
    void unroute(const QByteArray &prefix);

    struct Stats
    {
        quint64 messagesIn = 0;
        quint64 messagesOut = 0;
        quint64 publishFailures = 0; // messages that could not be sent: Redis unreachable
        quint64 requests = 0;        // cluster requests this server made
        quint64 requestTimeouts = 0;
        quint64 ignored = 0;         // malformed or foreign messages dropped
        int serverCount = 1;         // as last counted (PUBSUB NUMSUB)
    };
    const Stats &stats() const { return m_stats; }
    // An adapter's status on this client (none: gone, so disconnected).
    static AdapterStatus adapterStatus(const Client *client, const QString &type);
    Stats &mutableStats() { return m_stats; }

Q_SIGNALS:
    void connectedChanged(bool connected);

private:
    void dispatch(const QByteArray &channel, const QByteArray &payload);

    Endpoint m_endpoint;
    Connection *m_publisher;
    Subscriber *m_subscriber;
    struct Route
    {
        QPointer<QObject> receiver;
        MessageHandler handler;
    };
    QHash<QByteArray, Route> m_routes;
    Stats m_stats;
};

// The adapter factory both Redis adapters hand to ServerOptions::adapter: one adapter of type
// A per namespace, on this client. Once the client is gone, namespaces fall back to the
// in-memory adapter.
template<typename A, typename Options>
AdapterFactory adapterFactory(Client *client, const Options &options)
{
    QPointer<Client> guard(client);
    return [guard, options](AdapterHost *host, QObject *parent) -> Adapter * {
        return guard ? new A(host, parent, guard, options) : nullptr;
    };
}

} // namespace Plugboard::Redis
