#include "opshandler.h"

#include <adapter/adapter.h>
#include <redis/redisclient.h>

#include "draintracker.h"
#include "httpreplies.h"
#include "hubmetrics.h"

#include <engine/engineserver.h>
#include <http/httpconnection.h>
#include <sio/server.h>

#include <QtCore/QCoreApplication>

namespace Plugboard {

bool OpsHandler::matches(const HttpRequest &request) const
{
    return request.path == "/health" || request.path == "/metrics";
}

void OpsHandler::handleUpgrade(const HttpRequest &, QTcpSocket *socket)
{
    refuseUpgrade(socket, jsonError(400, QStringLiteral("no WebSocket here")));
}

void OpsHandler::handleRequest(const HttpRequest &request, HttpConnection *connection)
{
    if (request.method != "GET") {
        HttpResponse response = jsonError(405, QStringLiteral("only GET"));
        response.setHeader("Allow", "GET");
        connection->respond(response);
        return;
    }
    if (request.path == "/metrics") {
        HttpResponse response = HttpResponse::text(200, m_metrics->render(),
                                                   "text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        connection->respond(response);
        return;
    }
    int sockets = 0;
    int connections = 0;
    if (m_io) {
        for (const Namespace *nsp : m_io->namespaces())
            sockets += int(nsp->sockets().size());
        connections = m_io->engine()->clientsCount();
    }
    const bool draining = m_drain->isDraining();
    QJsonObject adapter{{QStringLiteral("type"), QStringLiteral("memory")}};
    if (const Redis::Client *redis = m_metrics->redis()) {
        const auto &stats = redis->stats();
        const QString type = m_io ? m_io->mainNamespace()->adapter()->status().type : QStringLiteral("redis");
        adapter = QJsonObject{{QStringLiteral("type"), type},
                              {QStringLiteral("url"), redis->endpoint().toString()},
                              {QStringLiteral("connected"), redis->isConnected()},
                              {QStringLiteral("servers"), stats.serverCount},
                              {QStringLiteral("requests"), double(stats.requests)},
                              {QStringLiteral("timeouts"), double(stats.requestTimeouts)},
                              {QStringLiteral("messagesIn"), double(stats.messagesIn)},
                              {QStringLiteral("messagesOut"), double(stats.messagesOut)}};
        if (!redis->isConnected() && !redis->lastError().isEmpty())
            adapter.insert(QStringLiteral("error"), redis->lastError());
    }
    // A server that lost Redis still serves its own clients: it stays "ok" (200).
    connection->respond(jsonReply(draining ? 503 : 200,
                                  QJsonObject{{QStringLiteral("status"), draining ? QStringLiteral("draining")
                                                                                  : QStringLiteral("ok")},
                                              {QStringLiteral("uptime"), double(m_metrics->uptimeSeconds())},
                                              {QStringLiteral("connections"), connections},
                                              {QStringLiteral("sockets"), sockets},
                                              {QStringLiteral("adapter"), adapter},
                                              {QStringLiteral("version"), QCoreApplication::applicationVersion()}}));
}

} // namespace Plugboard
