#pragma once

#include "serviceconfig.h"

#include <http/httphandler.h>
#include <http/httpresponse.h>
#include <sio/broadcastoperator.h>

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <optional>

namespace Plugboard {

class DrainTracker;
class HubMetrics;
class JsonReader;
class Namespace;
class Server;

// The HTTP API for backends under /api/v1/, each call authenticated with a bearer key:
// emit (optionally collecting acknowledgements), sockets, join, leave, disconnect. A call
// is checked completely before anything is done, and refused with a 4xx JSON error.
class ApiHandler : public QObject, public HttpHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiHandler)

public:
    ApiHandler(Server *io, const ApiConfig &config, HubMetrics *metrics, DrainTracker *drain,
               QObject *parent = nullptr);
    ~ApiHandler() override;

    // Answers the calls still waiting for acknowledgements (503); for the end of a shutdown.
    void cancelPending();

    bool matches(const HttpRequest &request) const override;
    void handleRequest(const HttpRequest &request, HttpConnection *connection) override;
    void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) override;
    qsizetype maxBodySize() const override { return m_config.maxBodyBytes; }

private:
    struct Call
    {
        QString endpoint;
        QByteArray method;
        QByteArray path;
        QString peer;
        QPointer<HttpConnection> connection;
    };
    struct Selection
    {
        Namespace *nsp = nullptr;
        BroadcastOperator target;
    };

    void respond(const Call &call, const HttpResponse &response);
    std::optional<HttpResponse> authorize(const HttpRequest &request) const;
    std::optional<QJsonObject> parseBody(const HttpRequest &request, const Call &call);
    std::optional<Selection> select(JsonReader &reader, const QJsonObject &body, const Call &call);

    void emitEvent(const QJsonObject &body, const QByteArray &raw, const Call &call);
    void listSockets(const HttpRequest &request, const Call &call);
    void changeRooms(const QJsonObject &body, const Call &call, bool join);
    void disconnectSockets(const QJsonObject &body, const Call &call);

    QPointer<Server> m_io;
    ApiConfig m_config;
    HubMetrics *m_metrics;
    DrainTracker *m_drain;
    quint64 m_nextCallId = 0;
    QHash<quint64, Call> m_waiting; // emits waiting for acknowledgements
};

} // namespace Plugboard
