#pragma once

#include <http/httphandler.h>

namespace Plugboard {

class DrainTracker;

// While the service shuts down, refuses new Engine.IO handshakes (503) on connections that
// are still open; requests of existing sessions pass through.
class DrainGate : public HttpHandler
{
public:
    DrainGate(const DrainTracker *drain, const QString &enginePath) : m_drain(drain), m_enginePath(enginePath) {}

    bool matches(const HttpRequest &request) const override;
    void handleRequest(const HttpRequest &request, HttpConnection *connection) override;
    void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) override;

private:
    const DrainTracker *m_drain;
    QString m_enginePath;
};

} // namespace Plugboard
