#include "draingate.h"

#include "draintracker.h"
#include "httpreplies.h"

#include <http/httpconnection.h>

namespace Plugboard {

namespace {
HttpResponse shuttingDown()
{
    return jsonReply(503, QJsonObject{{QStringLiteral("code"), 503},
                                      {QStringLiteral("message"), QStringLiteral("server shutting down")}});
}
} // namespace

bool DrainGate::matches(const HttpRequest &request) const
{
    if (!m_drain->isDraining())
        return false;
    const QString path = QString::fromUtf8(request.path);
    const bool engine = path.startsWith(m_enginePath) || path + QLatin1Char('/') == m_enginePath;
    return engine && !request.hasQueryItem(u"sid");
}

void DrainGate::handleRequest(const HttpRequest &, HttpConnection *connection)
{
    connection->respond(shuttingDown());
}

void DrainGate::handleUpgrade(const HttpRequest &, QTcpSocket *socket)
{
    refuseUpgrade(socket, shuttingDown());
}

} // namespace Plugboard
