#include "service.h"

#include <admin/admininstrumentation.h>

#include <engine/engineserver.h>


#include "apihandler.h"
#include "draingate.h"
#include "draintracker.h"
#include "hubmetrics.h"
#include "hubnamespace.h"
#include "opshandler.h"
#include "servicelog.h"
#include "statichandler.h"
#include "tlsloader.h"

#include <http/httpserver.h>
#include <redis/redisadapter.h>
#include <redis/shardedadapter.h>
#include <sio/server.h>

#include <QtCore/QTimer>

namespace Plugboard {

namespace {

Redis::Client *makeRedisClient(const AdapterConfig &config, QObject *parent)
{
    if (config.type != AdapterConfig::Type::Redis)
        return nullptr;
    // The URL was checked with the rest of the configuration.
    const std::optional<Redis::Endpoint> endpoint = Redis::Endpoint::fromUrl(config.url);
    return endpoint ? new Redis::Client(*endpoint, parent) : nullptr;
}

ServerOptions serverOptions(const ServiceConfig &config, Redis::Client *redis)
{
    ServerOptions options = config.server;
    if (redis && config.adapter.mode == QLatin1String("sharded")) {
        Redis::ShardedAdapterOptions sharded;
        sharded.channelPrefix = config.adapter.key;
        sharded.requestsTimeout = config.adapter.requestsTimeout;
        using Mode = Redis::ShardedAdapterOptions::SubscriptionMode;
        const QString &mode = config.adapter.subscriptionMode;
        sharded.subscriptionMode = mode == QLatin1String("static")            ? Mode::Static
                                 : mode == QLatin1String("dynamic-private") ? Mode::DynamicPrivate
                                                                            : Mode::Dynamic;
        options.adapter = Redis::createShardedAdapter(redis, sharded);
    } else if (redis) {
        Redis::AdapterOptions adapter;
        adapter.key = config.adapter.key;
        adapter.requestsTimeout = config.adapter.requestsTimeout;
        options.adapter = Redis::createAdapter(redis, adapter);
    }
    return options;
}

} // namespace

Service::Service(const ServiceConfig &config, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_http(new HttpServer(this)),
      m_redis(makeRedisClient(config.adapter, this)),
      m_io(new Server(serverOptions(config, m_redis), this)),
      m_metrics(new HubMetrics(m_io, this)),
      m_drain(new DrainTracker(this)),
      m_api(new ApiHandler(m_io, config.api, m_metrics, m_drain, this))
{
    const QString enginePath = m_io->options().path;
    m_gate = std::make_unique<DrainGate>(m_drain, enginePath);
    m_ops = std::make_unique<OpsHandler>(m_io, m_metrics, m_drain);
    m_static = std::make_unique<StaticHandler>(
        StaticHandler::Options{enginePath, config.serveClient, config.clientBundleDir, config.demo,
                              config.admin.enabled && config.admin.serveUi, config.admin.uiDir});
    // Tried in order, so all of these come before the engine, which takes its whole path.
    m_http->addHandler(m_gate.get());
    m_http->addHandler(m_ops.get());
    m_http->addHandler(m_static.get());
    m_http->addHandler(m_api);
    m_io->attach(m_http);

    bool mainConfigured = false;
    for (const HubNamespaceConfig &nsp : config.namespaces) {
        m_hubNamespaces.append(new HubNamespace(m_io->of(nsp.name), nsp, m_metrics, m_drain, this));
        mainConfigured |= nsp.name == QLatin1String("/");
    }
    // The main namespace always exists; when the config leaves it out, nobody may join it.
    if (!mainConfigured) {
        m_io->mainNamespace()->use([](Socket *, const Namespace::Next &next) {
            next(ConnectError{QStringLiteral("Invalid namespace")});
        });
    }
    if (config.admin.enabled)
        m_admin = new AdminInstrumentation(m_io, config.admin.options, m_io);
    connect(m_drain, &DrainTracker::drained, this, &Service::finishStop);
    if (m_redis) {
        m_metrics->setRedis(m_redis);
        // /health and /metrics show how many servers the cluster has, counted every few seconds.
        auto *count = new QTimer(this);
        connect(count, &QTimer::timeout, this, [this] { m_io->mainNamespace()->serverCount([](int) {}); });
        count->start(5000);
    }
}

Service::~Service()
{
    // The server unmounts its engine from the HTTP front, so it goes first.
    delete m_io;
    m_io = nullptr;
    for (HttpHandler *handler : std::initializer_list<HttpHandler *>{m_gate.get(), m_ops.get(), m_static.get(), m_api})
        m_http->removeHandler(handler);
    delete m_http;
    m_http = nullptr;
}

bool Service::start(QString *error)
{
    if (m_config.tls.isEnabled()) {
        QString problem;
        const std::optional<QSslConfiguration> tls = loadTlsConfiguration(m_config.tls, &problem);
        if (!tls) {
            if (error)
                *error = problem;
            return false;
        }
        m_http->setSslConfiguration(*tls);
    }
    if (m_http->listen(m_config.host, m_config.port)) {
        if (m_redis) {
            // Unreachable Redis does not stop the service: it serves its own clients, says so
            // once and keeps trying.
            qCInfo(lcService).noquote() << "joining the cluster through" << m_redis->endpoint().toString();
            m_redis->open();
        }
        return true;
    }
    if (error)
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.host.toString())
                     .arg(m_config.port)
                     .arg(m_http->errorString());
    return false;
}

void Service::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    // The listener stays open until the end: polling clients need new connections to go on
    // with their sessions. New sessions and API calls are refused (DrainGate, ApiHandler).
    const ShutdownConfig &shutdown = m_config.shutdown;
    QCborMap notice;
    notice.insert(QStringLiteral("reconnectIn"), shutdown.reconnectInMs);
    int clients = 0;
    for (Namespace *nsp : m_io->namespaces()) {
        clients += int(nsp->sockets().size());
        nsp->emitEvent(shutdown.event, {notice});
    }
    qCInfo(lcService).noquote() << "shutting down: told" << clients << "sockets; waiting up to"
                                << shutdown.drainTimeoutMs << "ms for" << m_drain->pending()
                                << "API calls and forwarded events in flight";
    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcService).noquote() << "drain timeout:" << m_drain->pending() << "calls still in flight";
        finishStop();
    });
    m_drainTimer->start(shutdown.drainTimeoutMs);
    m_drain->startDraining(); // emits drained() at once when nothing is in flight
}

void Service::stopNow()
{
    if (!m_stopping)
        stop();
    finishStop();
}

void Service::finishStop()
{
    if (m_finished || !m_stopping)
        return;
    m_finished = true;
    if (m_drainTimer)
        m_drainTimer->stop();
    m_api->cancelPending();
    // Closes the HTTP server too, once polling sessions have collected their close packet;
    // then close frames get a moment to leave.
    m_io->close([this] { QTimer::singleShot(100, this, &Service::stopped); });
}

bool Service::isRunning() const
{
    return m_http->isListening();
}

quint16 Service::port() const
{
    return m_http->serverPort();
}

} // namespace Plugboard
