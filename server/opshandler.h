#pragma once

#include <http/httphandler.h>

#include <QtCore/QPointer>

namespace Plugboard {

class DrainTracker;
class HubMetrics;
class Server;

// GET /health (JSON; 503 while shutting down, for load balancers) and GET /metrics
// (Prometheus text format). Neither needs a key: put them behind the firewall that guards
// the port, or bind to a private address.
class OpsHandler : public HttpHandler
{
public:
    OpsHandler(Server *io, const HubMetrics *metrics, const DrainTracker *drain)
        : m_io(io), m_metrics(metrics), m_drain(drain)
    {
    }

    bool matches(const HttpRequest &request) const override;
    void handleRequest(const HttpRequest &request, HttpConnection *connection) override;
    void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) override;
    qsizetype maxBodySize() const override { return 0; }

private:
    QPointer<Server> m_io;
    const HubMetrics *m_metrics;
    const DrainTracker *m_drain;
};

} // namespace Plugboard
