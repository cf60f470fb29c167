#include "hubmetrics.h"

#include <monitor/processusage.h>
#include <monitor/servercensus.h>

#include <redis/redisclient.h>

#include <engine/engineserver.h>
#include <engine/enginesocket.h>
#include <sio/server.h>

#include <QtCore/QFile>

namespace Plugboard {

namespace {

QString escapeLabel(QString value)
{
    return value.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"));
}

// Writes metric families: a header once per name, then its samples.
class Exposition
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_name = QLatin1String(name);
        m_text += QStringLiteral("# HELP %1 %2\n# TYPE %1 %3\n").arg(m_name, QLatin1String(help), QLatin1String(type));
    }
    void sample(double value, const QList<QPair<const char *, QString>> &labels = {})
    {
        m_text += m_name;
        if (!labels.isEmpty()) {
            QStringList parts;
            for (const auto &label : labels)
                parts.append(QLatin1String(label.first) + QStringLiteral("=\"") + escapeLabel(label.second)
                             + QLatin1Char('"'));
            m_text += QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
        }
        m_text += QLatin1Char(' ') + QString::number(value, 'g', 17) + QLatin1Char('\n');
    }
    QByteArray text() const { return m_text.toUtf8(); }

private:
    QString m_name;
    QString m_text;
};

} // namespace

HubMetrics::HubMetrics(Server *io, QObject *parent) : QObject(parent), m_io(io)
{
    m_uptime.start();
    for (Namespace *nsp : io->namespaces())
        watch(nsp);
    connect(io, &Server::namespaceCreated, this, &HubMetrics::watch);
}

void HubMetrics::watch(Namespace *nsp)
{
    const QString name = nsp->name();
    connect(nsp, &Namespace::socketDisconnected, this, [this, name](Socket *, const QString &reason) {
        ++m_disconnects[{name, reason}];
    });
}

void HubMetrics::countApiCall(const QString &endpoint, int status)
{
    ++m_apiCalls[{endpoint, status}];
}

void HubMetrics::countRateLimited(const QString &nsp)
{
    ++m_rateLimited[nsp];
}

void HubMetrics::countForwarded(const QString &nsp, const QString &outcome)
{
    ++m_forwarded[{nsp, outcome}];
}

QByteArray HubMetrics::render() const
{
    Exposition out;
    out.family("plugboard_uptime_seconds", "gauge", "Seconds since the service started.");
    out.sample(double(uptimeSeconds()));
    if (!m_io)
        return out.text();

    EngineServer *engine = m_io->engine();
    const ServerCensus census = ServerCensus::of(*m_io);
    out.family("plugboard_engine_connections", "gauge", "Open Engine.IO connections by transport.");
    out.sample(census.pollingClients, {{"transport", QStringLiteral("polling")}});
    out.sample(census.webSocketClients, {{"transport", QStringLiteral("websocket")}});

    out.family("plugboard_sockets", "gauge", "Connected Socket.IO sockets by namespace and transport.");
    for (const ServerCensus::NamespaceCount &nsp : census.namespaces) {
        out.sample(nsp.pollingSockets, {{"namespace", nsp.name}, {"transport", QStringLiteral("polling")}});
        out.sample(nsp.webSocketSockets, {{"namespace", nsp.name}, {"transport", QStringLiteral("websocket")}});
    }
    out.family("plugboard_rooms", "gauge", "Rooms by namespace (the sockets' own rooms excluded).");
    for (const ServerCensus::NamespaceCount &nsp : census.namespaces)
        out.sample(nsp.rooms, {{"namespace", nsp.name}});

    const Server::Counters &io = m_io->counters();
    const EngineServer::Counters &wire = engine->counters();
    out.family("plugboard_connections_total", "counter", "Engine.IO connections accepted.");
    out.sample(double(io.connections));
    out.family("plugboard_connect_errors_total", "counter", "Namespace connections refused by a middleware.");
    out.sample(double(io.connectErrors));
    out.family("plugboard_events_received_total", "counter", "Events received from clients.");
    out.sample(double(io.eventsIn));
    out.family("plugboard_events_sent_total", "counter", "Events sent to clients, counted per recipient.");
    out.sample(double(io.eventsOut));
    out.family("plugboard_bytes_received_total", "counter", "Engine.IO payload bytes received.");
    out.sample(double(wire.bytesIn));
    out.family("plugboard_bytes_sent_total", "counter", "Engine.IO payload bytes sent.");
    out.sample(double(wire.bytesOut));

    out.family("plugboard_disconnects_total", "counter", "Socket disconnections by namespace and reason.");
    for (auto it = m_disconnects.cbegin(); it != m_disconnects.cend(); ++it)
        out.sample(double(it.value()), {{"namespace", it.key().first}, {"reason", it.key().second}});
    out.family("plugboard_http_api_requests_total", "counter", "HTTP API calls by endpoint and status.");
    for (auto it = m_apiCalls.cbegin(); it != m_apiCalls.cend(); ++it)
        out.sample(double(it.value()), {{"endpoint", it.key().first}, {"status", QString::number(it.key().second)}});
    out.family("plugboard_rate_limited_events_total", "counter", "Client events refused by the rate limit.");
    for (auto it = m_rateLimited.cbegin(); it != m_rateLimited.cend(); ++it)
        out.sample(double(it.value()), {{"namespace", it.key()}});
    out.family("plugboard_forwarded_events_total", "counter", "Client events forwarded to the backend, by outcome.");
    for (auto it = m_forwarded.cbegin(); it != m_forwarded.cend(); ++it)
        out.sample(double(it.value()), {{"namespace", it.key().first}, {"outcome", it.key().second}});

    if (m_redis) {
        const auto &stats = m_redis->stats();
        out.family("plugboard_adapter_connected", "gauge", "1 while both Redis connections are up.");
        out.sample(m_redis->isConnected() ? 1 : 0, {{"adapter", "redis"}});
        out.family("plugboard_adapter_servers", "gauge", "Servers in the cluster, this one included (PUBSUB NUMSUB).");
        out.sample(stats.serverCount);
        out.family("plugboard_adapter_messages_total", "counter", "Redis messages published and received.");
        out.sample(double(stats.messagesOut), {{"direction", "out"}});
        out.sample(double(stats.messagesIn), {{"direction", "in"}});
        out.family("plugboard_adapter_publish_failures_total", "counter", "Messages not published: Redis unreachable.");
        out.sample(double(stats.publishFailures));
        out.family("plugboard_adapter_requests_total", "counter", "Cluster requests made (fetchSockets, allRooms, ...).");
        out.sample(double(stats.requests));
        out.family("plugboard_adapter_request_timeouts_total", "counter", "Cluster requests that timed out.");
        out.sample(double(stats.requestTimeouts));
        out.family("plugboard_adapter_ignored_messages_total", "counter", "Malformed or foreign messages ignored.");
        out.sample(double(stats.ignored));
    }

    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample(double(ProcessUsage::sample().residentBytes));
    return out.text();
}

} // namespace Plugboard
