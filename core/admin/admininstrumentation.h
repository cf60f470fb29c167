#pragma once

#include <plugboard_core_export.h>

#include "adminoptions.h"
#include "adminsessions.h"
#include "aggregatedevents.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QCborArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class EngineSocket;
class Namespace;
class Server;
class ServerControl;
class Socket;
struct ControlResult;

// Node's instrument(io, options) from @socket.io/admin-ui 0.5.1: an admin namespace that
// streams this server's sockets, rooms, events and stats to the official admin UI (and to
// Plugboard's console), and carries out its commands through ServerControl.
//
// Where Node's behaviour is an accident it is not copied: CONNECT is answered before any
// event, commands naming an unknown namespace do not create it, the password hash is checked
// at start, and uptime counts from instrumentation (the server may be embedded).
//
// Extensions, advertised in config.supportedFeatures and ignored by the official UI:
//   COMMAND_RESULTS  every command asked with an ack is answered {ok, message, recipients}
//   EMIT_WITH_ACK    emit_with_ack(nsp, filter, timeoutMs, event, ...args), answered with the
//                    replies {ok, timedOut, recipients, responses: [{id, args}]}
//   DISCONNECT_REASON _disconnect(nsp, close, filter, reason): the reason is logged and added
//                    as a fifth argument of socket_disconnected
//   PAGED_SOCKETS    CONNECT auth {pageSize: N}: all_sockets holds the first N, the rest follow
//                    as all_sockets_page(sockets, {offset, total, last}) a page per loop pass
//   CONNECTION_ERRORS connection_error(nsp, clientId, message, timestamp) for refused CONNECTs
//   PROCESS_STATS    server_stats.memoryUsage {rss}, cpuUsage {user, system} (µs, like
//                    Node's process.cpuUsage) and eventLoopLagMs
class PLUGBOARD_CORE_EXPORT AdminInstrumentation : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminInstrumentation)

public:
    static constexpr int ExtensionsVersion = 1;

    // Refuses what Node's instrument() throws for, and a password that is not a bcrypt hash.
    static bool validate(const AdminOptions &options, QString *error);

    // The server must outlive it (parent it to the server). Options must be valid.
    AdminInstrumentation(Server *server, AdminOptions options, QObject *parent = nullptr);
    ~AdminInstrumentation() override;

    Namespace *adminNamespace() const { return m_adminNsp; }
    QStringList supportedFeatures() const;
    QString serverId() const { return m_serverId; }
    // server_stats as it is sent now (also what the timer broadcasts).
    QCborMap serverStats();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void authenticate(Socket *socket, const std::function<void(const std::optional<QString> &)> &done);
    void onAdminConnected(Socket *socket);
    void registerCommands(Socket *socket);
    void sendSocketPages(QPointer<Socket> admin, QList<QPointer<Socket>> sockets, qsizetype offset, qsizetype pageSize);
    void watchEngine();
    void watchNamespace(Namespace *nsp);
    void watchSocket(Socket *socket);
    void broadcast(const QString &event, const QCborArray &args);

    QPointer<Server> m_server;
    AdminOptions m_options;
    QString m_serverId;
    Namespace *m_adminNsp = nullptr;
    ServerControl *m_control = nullptr;
    AdminSessions m_sessions;
    QHash<Socket *, QString> m_newSessions; // admin sockets that logged in, until connected
    int m_pendingLogins = 0;
    AggregatedEvents m_aggregated;
    QBasicTimer m_statsTimer;
    QElapsedTimer m_sinceStart;
    QElapsedTimer m_sinceTick;
    qint64 m_lastLagMs = 0;
    quint64 m_lastPacketsIn = 0;
    quint64 m_lastPacketsOut = 0;
    quint64 m_lastBytesIn = 0;
    quint64 m_lastBytesOut = 0;
    // Commands asked with an ack, answered when ServerControl finishes them.
    QHash<quint64, std::function<void(const ControlResult &)>> m_pendingCommands;
    // Operator-given reasons for sockets being disconnected, keyed by nsp#id.
    QHash<QString, QString> m_kickReasons;
};

} // namespace Plugboard
