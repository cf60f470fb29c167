#include "redisclient.h"

#include "redislogging.h"

namespace Plugboard::Redis {

Client::Client(const Endpoint &endpoint, QObject *parent)
    : QObject(parent),
      m_endpoint(endpoint),
      m_publisher(new Connection(endpoint, QStringLiteral("redis publisher"), this)),
      m_subscriber(new Subscriber(endpoint, QStringLiteral("redis subscriber"), this))
{
    connect(m_subscriber, &Subscriber::messageReceived, this, &Client::dispatch);
    const auto up = [this] {
        if (isConnected())
            Q_EMIT connectedChanged(true);
    };
    const auto down = [this] { Q_EMIT connectedChanged(false); };
    connect(m_publisher, &Connection::connected, this, up);
    connect(m_subscriber, &Subscriber::connected, this, up);
    connect(m_publisher, &Connection::disconnected, this, down);
    connect(m_subscriber, &Subscriber::disconnected, this, down);
}

Client::~Client() = default;

void Client::open()
{
    m_publisher->open();
    m_subscriber->open();
}

QString Client::lastError() const
{
    return m_publisher->lastError().isEmpty() ? m_subscriber->lastError() : m_publisher->lastError();
}

bool Client::publish(const QByteArray &channel, const QByteArray &payload, PubSub kind)
{
    if (!m_publisher->isConnected()) {
        ++m_stats.publishFailures;
        return false;
    }
    ++m_stats.messagesOut;
    m_publisher->command({kind == PubSub::Sharded ? QByteArray("SPUBLISH") : QByteArray("PUBLISH"), channel, payload});
    return true;
}

AdapterStatus Client::adapterStatus(const Client *client, const QString &type)
{
    AdapterStatus status;
    status.type = type;
    status.connected = client && client->isConnected();
    status.servers = client ? client->m_stats.serverCount : 1;
    status.endpoint = client ? client->m_endpoint.toString() : QString();
    return status;
}

void Client::route(const QByteArray &prefix, QObject *receiver, MessageHandler handler)
{
    m_routes.insert(prefix, {receiver, std::move(handler)});
}

void Client::unroute(const QByteArray &prefix)
{
    m_routes.remove(prefix);
}

void Client::dispatch(const QByteArray &channel, const QByteArray &payload)
{
    ++m_stats.messagesIn;
    const Route *best = nullptr;
    qsizetype bestLength = -1;
    for (auto it = m_routes.cbegin(); it != m_routes.cend(); ++it) {
        if (it.key().size() > bestLength && channel.startsWith(it.key()) && it->receiver) {
            best = &it.value();
            bestLength = it.key().size();
        }
    }
    if (!best) {
        ++m_stats.ignored;
        qCDebug(lcRedis) << "message on" << channel << "for no namespace here";
        return;
    }
    const MessageHandler handler = best->handler; // the handler may change the routes
    handler(channel, payload);
}

} // namespace Plugboard::Redis
