#include "server.h"

#include "../engine/engineserver.h"
#include "../engine/enginesocket.h"
#include "../http/httpserver.h"
#include "../logging.h"
#include "client.h"
#include "parentnamespace.h"
#include "socket.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <memory>
#include <utility>

namespace Plugboard {

namespace {
EngineOptions engineOptionsFor(const ServerOptions &options)
{
    EngineOptions engine = options.engine;
    engine.path = options.path;
    return engine;
}
} // namespace

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_engine(new EngineServer(engineOptionsFor(options), this))
{
    m_options.engine.path = m_options.path;
    connect(m_engine, &EngineServer::newConnection, this, &Server::onEngineConnection);
    of(QStringLiteral("/"));
}

Server::~Server()
{
    if (m_http && !m_ownsHttp)
        m_http->removeHandler(m_engine);
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    if (!m_http) {
        m_http = new HttpServer(this);
        m_ownsHttp = true;
        m_engine->attach(m_http);
    }
    return m_http->listen(address, port);
}

void Server::attach(HttpServer *http)
{
    m_http = http;
    m_ownsHttp = false;
    m_engine->attach(http);
}

quint16 Server::serverPort() const
{
    return m_http ? m_http->serverPort() : 0;
}

QString Server::errorString() const
{
    return m_http ? m_http->errorString() : QString();
}

void Server::registerNamespace(Namespace *nsp)
{
    m_namespaces.insert(nsp->name(), nsp);
    Q_EMIT namespaceCreated(nsp);
}

Namespace *Server::of(const QString &rawName)
{
    const QString name = rawName.startsWith(QLatin1Char('/')) ? rawName : QLatin1Char('/') + rawName;
    if (Namespace *nsp = m_namespaces.value(name))
        return nsp;
    auto *nsp = new Namespace(name, this);
    registerNamespace(nsp);
    return nsp;
}

ParentNamespace *Server::of(const QRegularExpression &pattern)
{
    return of([pattern](const QString &name, const QCborMap &) { return pattern.match(name).hasMatch(); });
}

ParentNamespace *Server::of(std::function<bool(const QString &, const QCborMap &)> predicate)
{
    auto *parent = new ParentNamespace(QStringLiteral("/_%1").arg(m_parents.size()), std::move(predicate), this);
    m_parents.append(parent);
    return parent;
}

Namespace *Server::namespaceFor(const QString &name, const QCborMap &auth)
{
    if (Namespace *nsp = m_namespaces.value(name))
        return nsp;
    for (ParentNamespace *parent : std::as_const(m_parents)) {
        if (!parent->accepts(name, auth))
            continue;
        Namespace *child = parent->createChild(name);
        registerNamespace(child);
        if (m_options.cleanupEmptyChildNamespaces) {
            connect(child, &Namespace::emptied, this, [this, parent, child] {
                parent->removeChild(child);
                m_namespaces.remove(child->name());
                Q_EMIT namespaceRemoved(child->name());
                child->deleteLater();
            });
        }
        return child;
    }
    return nullptr;
}

void Server::onEngineConnection(EngineSocket *socket)
{
    ++m_counters.connections;
    auto *client = new Client(socket, this);
    m_clients.insert(client->id(), client);
    connect(client, &Client::closed, this, [this, id = client->id()](const QString &reason) {
        m_clients.remove(id);
        Q_EMIT clientDisconnected(id, reason);
    });
    Q_EMIT clientConnected(client);
    client->connectImplicitRoot();
}

void Server::close(std::function<void()> closed, int drainTimeoutMs)
{
    const auto clients = m_clients.values();
    for (Client *client : clients) {
        for (Socket *socket : client->sockets())
            socket->onClose(QStringLiteral("server shutting down"));
    }
    m_engine->closeAll(CloseReason::ServerShuttingDown);
    if (!m_http) {
        if (closed)
            closed();
        return;
    }
    // Whichever comes first, the last session ending or the drain timeout, closes the port.
    auto done = std::make_shared<bool>(false);
    const auto closeHttp = [http = QPointer<HttpServer>(m_http), done, closed = std::move(closed)] {
        if (std::exchange(*done, true))
            return;
        if (!http) {
            if (closed)
                closed();
            return;
        }
        http->close(closed ? closed : [] {});
    };
    if (m_engine->clientsCount() == 0) {
        closeHttp();
        return;
    }
    auto *drain = new QObject(this);
    connect(m_engine, &EngineServer::sessionsEnded, drain, [drain, closeHttp] {
        closeHttp();
        drain->deleteLater();
    });
    QTimer::singleShot(drainTimeoutMs, drain, [drain, closeHttp] {
        closeHttp();
        drain->deleteLater();
    });
}

} // namespace Plugboard
