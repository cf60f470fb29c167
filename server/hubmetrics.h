#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class Namespace;
class Server;
namespace Redis {
class Client;
}

// The hub's counters, and everything else /metrics reports, in the Prometheus text format.
// Label values are bounded: namespaces from the config, core's disconnect reasons, the API's
// own endpoint names.
class HubMetrics : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubMetrics)

public:
    explicit HubMetrics(Server *io, QObject *parent = nullptr);

    void countApiCall(const QString &endpoint, int status);
    void countRateLimited(const QString &nsp);
    // outcome: ok, error, timeout, busy
    void countForwarded(const QString &nsp, const QString &outcome);

    // The cluster's figures come from this client (none: the in-memory adapter).
    void setRedis(const Redis::Client *redis) { m_redis = redis; }
    const Redis::Client *redis() const { return m_redis; }

    qint64 uptimeSeconds() const { return m_uptime.elapsed() / 1000; }
    QByteArray render() const;

private:
    void watch(Namespace *nsp);

    QPointer<Server> m_io;
    const Redis::Client *m_redis = nullptr;
    QElapsedTimer m_uptime;
    QMap<QPair<QString, QString>, quint64> m_disconnects; // namespace, reason
    QMap<QPair<QString, int>, quint64> m_apiCalls;        // endpoint, status
    QMap<QString, quint64> m_rateLimited;
    QMap<QPair<QString, QString>, quint64> m_forwarded;   // namespace, outcome
};

} // namespace Plugboard
