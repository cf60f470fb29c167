#pragma once

#include <plugboard_core_export.h>

#include "broadcastoperator.h"
#include "client.h"
#include "namespace.h"
#include "socket.h"
#include "serveroptions.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QHostAddress>

namespace Plugboard {

class Client;
class EngineServer;
class EngineSocket;
class HttpServer;
class ParentNamespace;

// The Socket.IO server (Node's `new Server(...)`): namespaces, clients, and the Engine.IO
// server under them, on its own port or on an existing HttpServer.
//
//     Plugboard::Server io;
//     QObject::connect(io.of("/"), &Plugboard::Namespace::socketConnected, &io, [](Plugboard::Socket *s) {
//         s->on("hello", [s](const QCborArray &args, const Plugboard::Ack &ack) { ack({"hi"}); });
//     });
//     io.listen(QHostAddress::Any, 3000);
class PLUGBOARD_CORE_EXPORT Server : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    explicit Server(const ServerOptions &options = {}, QObject *parent = nullptr);
    ~Server() override;

    const ServerOptions &options() const { return m_options; }

    // Starts an HttpServer of its own; false (see errorString()) if the port is taken.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 3000);
    // Mounts on an existing HTTP front, next to other handlers (not owned).
    void attach(HttpServer *http);
    HttpServer *httpServer() const { return m_http; }
    EngineServer *engine() const { return m_engine; }
    quint16 serverPort() const;
    QString errorString() const;

    // The namespace of that name, created if needed ("/" is the main one).
    Namespace *of(const QString &name);
    // Dynamic namespaces: names matching the pattern, or accepted by the predicate.
    ParentNamespace *of(const QRegularExpression &pattern);
    ParentNamespace *of(std::function<bool(const QString &name, const QCborMap &auth)> predicate);
    Namespace *mainNamespace() { return of(QStringLiteral("/")); }
    // The namespace of that name if it exists (static or created child), else null.
    Namespace *existingNamespace(const QString &name) const { return m_namespaces.value(name); }
    QList<Namespace *> namespaces() const { return m_namespaces.values(); }
    QList<Client *> clients() const { return m_clients.values(); }

    // Shortcuts to the main namespace, as in Node.
    void use(Namespace::Middleware middleware) { mainNamespace()->use(std::move(middleware)); }
    BroadcastOperator to(const QString &room) { return mainNamespace()->to(room); }
    BroadcastOperator to(const QStringList &rooms) { return mainNamespace()->to(rooms); }
    BroadcastOperator in(const QString &room) { return mainNamespace()->to(room); }
    BroadcastOperator in(const QStringList &rooms) { return mainNamespace()->to(rooms); }
    BroadcastOperator except(const QString &room) { return mainNamespace()->except(room); }
    BroadcastOperator except(const QStringList &rooms) { return mainNamespace()->except(rooms); }
    BroadcastOperator local() { return mainNamespace()->local(); }
    void emitEvent(const QString &event, const QCborArray &args = {}) { mainNamespace()->emitEvent(event, args); }
    void fetchSockets(FetchSocketsCallback callback) { mainNamespace()->fetchSockets(std::move(callback)); }
    void socketsJoin(const QStringList &rooms) { mainNamespace()->socketsJoin(rooms); }
    void socketsLeave(const QStringList &rooms) { mainNamespace()->socketsLeave(rooms); }
    void disconnectSockets(bool close = false) { mainNamespace()->disconnectSockets(close); }
    void serverSideEmit(const QString &event, const QCborArray &args = {}) { mainNamespace()->serverSideEmit(event, args); }
    void serverSideEmitWithAck(const QString &event, const QCborArray &args, ReplyCallback<QCborArray> callback)
    {
        mainNamespace()->serverSideEmitWithAck(event, args, std::move(callback));
    }

    // Node's io.close(callback): disconnects every socket ("server shutting down") and closes
    // every Engine.IO session, then closes the HTTP server, the attached one too. Polling
    // clients collect their close packet on their next GET, so the port stays open for them
    // until every session has ended (at most drainTimeoutMs); then it stops accepting and the
    // callback runs once the HTTP server's last connection has closed.
    void close(std::function<void()> closed = {}, int drainTimeoutMs = 2000);

    // Totals since the server started (events counted per recipient).
    struct Counters
    {
        quint64 eventsIn = 0;
        quint64 eventsOut = 0;
        quint64 connections = 0;
        quint64 connectErrors = 0;
    };
    const Counters &counters() const { return m_counters; }

    // For Client, Socket and adapters.
    Namespace *namespaceFor(const QString &name, const QCborMap &auth);
    void countEventIn() { ++m_counters.eventsIn; }
    void countEventsOut(int recipients) { m_counters.eventsOut += quint64(recipients); }
    void countConnectError() { ++m_counters.connectErrors; }

Q_SIGNALS:
    void namespaceCreated(Plugboard::Namespace *nsp);
    void namespaceRemoved(const QString &name);
    void clientConnected(Plugboard::Client *client);
    void clientDisconnected(const QString &clientId, const QString &reason);

private:
    void onEngineConnection(EngineSocket *socket);
    void registerNamespace(Namespace *nsp);

    ServerOptions m_options;
    EngineServer *m_engine;
    HttpServer *m_http = nullptr;
    bool m_ownsHttp = false;
    QHash<QString, Namespace *> m_namespaces;
    QList<ParentNamespace *> m_parents;
    QHash<QString, Client *> m_clients;
    Counters m_counters;
};

} // namespace Plugboard
