#pragma once

#include "serviceconfig.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <memory>

class QTimer;

namespace Plugboard {
namespace Redis {
class Client;
}

class AdminInstrumentation;
class ApiHandler;
class DrainGate;
class DrainTracker;
class HttpServer;
class HubMetrics;
class HubNamespace;
class OpsHandler;
class Server;
class StaticHandler;

// The plugboard service: an HTTP front, the Socket.IO server on it and the hub around it
// (namespaces with auth and subscriptions, the HTTP API, /health, /metrics, the client
// bundle and demo page). Used by `plugboard --headless` and, in a worker thread, by the
// console.
class Service : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Service)

public:
    explicit Service(const ServiceConfig &config, QObject *parent = nullptr);
    ~Service() override;

    const ServiceConfig &config() const { return m_config; }
    // Starts listening (with TLS when configured); false with a message (e.g. the port is in
    // use, the certificate cannot be read) otherwise.
    bool start(QString *error);
    // Graceful shutdown: refuses new sessions and API calls, sends the shutdown notice to every
    // client, waits
    // (up to the drain timeout) for API calls and forwarded events in flight, then closes
    // every client and stops listening; stopped() follows.
    void stop();
    // Skips what is left of the drain.
    void stopNow();
    bool isRunning() const;
    bool isStopping() const { return m_stopping; }
    quint16 port() const;

    Server *io() const { return m_io; }
    HttpServer *http() const { return m_http; }
    HubMetrics *metrics() const { return m_metrics; }
    // Null unless the config has an admin block.
    AdminInstrumentation *admin() const { return m_admin; }

Q_SIGNALS:
    void stopped();

private:
    void finishStop();

    ServiceConfig m_config;
    HttpServer *m_http;
    Redis::Client *m_redis; // null unless the config asks for the Redis adapter
    Server *m_io;
    HubMetrics *m_metrics;
    DrainTracker *m_drain;
    ApiHandler *m_api;
    AdminInstrumentation *m_admin = nullptr;
    std::unique_ptr<DrainGate> m_gate;
    std::unique_ptr<OpsHandler> m_ops;
    std::unique_ptr<StaticHandler> m_static;
    QList<HubNamespace *> m_hubNamespaces;
    QTimer *m_drainTimer = nullptr;
    bool m_stopping = false;
    bool m_finished = false;
};

} // namespace Plugboard
