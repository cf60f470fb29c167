#include "admininstrumentation.h"

#include "adminserialization.h"
#include "passwordhash.h"

#include "../engine/closereason.h"
#include "../engine/engineserver.h"
#include "../engine/enginesocket.h"
#include "../logging.h"
#include "../monitor/processusage.h"
#include "../monitor/servercensus.h"
#include "../monitor/servercontrol.h"
#include "../sio/client.h"
#include "../sio/namespace.h"
#include "../sio/server.h"
#include "../sio/socket.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>
#include <QtNetwork/QHostInfo>

#include <algorithm>

Q_LOGGING_CATEGORY(lcAdmin, "plugboard.admin")

namespace Plugboard {

namespace {

// Logins verified at once; bcrypt takes tens of milliseconds each, off the server's thread.
constexpr int MaxPendingLogins = 8;
constexpr qsizetype MaxPageSize = 10000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString now()
{
    return AdminSerialization::isoTimestamp(QDateTime::currentDateTimeUtc());
}

// "No filter" is falsy, as in Node: absent, null, false or the empty string.
QString filterOf(const QCborArray &args, qsizetype index, bool *present)
{
    const QCborValue value = args.at(index);
    *present = value.isString() && !value.toString().isEmpty();
    return *present ? value.toString() : QString();
}

QCborArray tail(const QCborArray &args, qsizetype from)
{
    QCborArray out;
    for (qsizetype i = from; i < args.size(); ++i)
        out.append(args.at(i));
    return out;
}

SocketSelection selectionOf(const QString &nsp, const QCborArray &args, qsizetype filterIndex)
{
    bool present = false;
    const QString filter = filterOf(args, filterIndex, &present);
    return present ? SocketSelection::inRooms(nsp, {filter}) : SocketSelection::everyone(nsp);
}

// emit and emit_with_ack: (nsp, filter, [timeoutMs,] event, ...args), the event at eventIndex.
EmitRequest emitRequestOf(const QCborArray &args, qsizetype eventIndex)
{
    EmitRequest request;
    request.nsp = args.at(0).toString();
    const SocketSelection selection = selectionOf(request.nsp, args, 1);
    request.target = selection.wholeNamespace ? EmitRequest::Target::Namespace : EmitRequest::Target::Rooms;
    request.rooms = selection.rooms;
    request.event = args.at(eventIndex).toString();
    request.args = tail(args, eventIndex + 1);
    return request;
}

QCborMap resultMap(const ControlResult &result)
{
    QCborMap map;
    map.insert(QStringLiteral("ok"), result.ok);
    map.insert(QStringLiteral("message"), result.message);
    map.insert(QStringLiteral("recipients"), result.recipients);
    return map;
}

} // namespace

bool AdminInstrumentation::validate(const AdminOptions &options, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!options.namespaceName.startsWith(QLatin1Char('/')))
        return fail(QStringLiteral("namespaceName must start with /"));
    if (options.namespaceName == QLatin1String("/"))
        return fail(QStringLiteral("namespaceName must not be / (every admin event would reach every client)"));
    if (options.statsIntervalMs < 100)
        return fail(QStringLiteral("the stats interval must be at least 100 ms"));
    if (options.auth) {
        if (options.auth->username.isEmpty())
            return fail(QStringLiteral("auth.username is empty"));
        QString hashError;
        if (!PasswordHash::isBcrypt(options.auth->passwordHash, &hashError))
            return fail(QStringLiteral("auth.password: %1").arg(hashError));
    }
    return true;
}

AdminInstrumentation::AdminInstrumentation(Server *server, AdminOptions options, QObject *parent)
    : QObject(parent),
      m_server(server),
      m_options(std::move(options)),
      m_serverId(m_options.serverId.isEmpty() ? QHostInfo::localHostName() : m_options.serverId),
      m_sessions(qint64(m_options.sessionDurationSeconds) * 1000, m_options.maxSessions)
{
    qRegisterMetaType<Plugboard::ControlResult>();
    m_sinceStart.start();
    m_control = new ServerControl(server, this);
    connect(m_control, &ServerControl::finished, this, [this](const ControlResult &result) {
        if (const auto handler = m_pendingCommands.take(result.requestId))
            handler(result);
    });

    m_adminNsp = server->of(m_options.namespaceName);
    m_adminNsp->use([this](Socket *socket, const Namespace::Next &next) {
        authenticate(socket, [next](const std::optional<QString> &error) {
            if (error)
                next(ConnectError{*error});
            else
                next(std::nullopt);
        });
    });
    connect(m_adminNsp, &Namespace::socketConnected, this, &AdminInstrumentation::onAdminConnected);

    watchEngine();
    for (Namespace *nsp : server->namespaces())
        watchNamespace(nsp);
    connect(server, &Server::namespaceCreated, this, &AdminInstrumentation::watchNamespace);

    m_sinceTick.start();
    m_statsTimer.start(m_options.statsIntervalMs, Qt::PreciseTimer, this);
    // Node sends one at instrument() time; nobody can be connected yet, so the first one
    // that matters is the timer's.
}

AdminInstrumentation::~AdminInstrumentation() = default;

QStringList AdminInstrumentation::supportedFeatures() const
{
    QStringList features;
    if (!m_options.readonly)
        features << QStringLiteral("EMIT") << QStringLiteral("JOIN") << QStringLiteral("LEAVE")
                 << QStringLiteral("DISCONNECT") << QStringLiteral("MJOIN") << QStringLiteral("MLEAVE")
                 << QStringLiteral("MDISCONNECT");
    features << QStringLiteral("AGGREGATED_EVENTS");
    if (m_options.mode == AdminOptions::Mode::Development)
        features << QStringLiteral("ALL_EVENTS");
    if (!m_options.readonly)
        features << QStringLiteral("COMMAND_RESULTS") << QStringLiteral("EMIT_WITH_ACK")
                 << QStringLiteral("DISCONNECT_REASON");
    if (m_options.mode == AdminOptions::Mode::Development)
        features << QStringLiteral("PAGED_SOCKETS");
    features << QStringLiteral("CONNECTION_ERRORS") << QStringLiteral("PROCESS_STATS");
    return features;
}

void AdminInstrumentation::authenticate(Socket *socket, const std::function<void(const std::optional<QString> &)> &done)
{
    if (!m_options.auth)
        return done(std::nullopt);
    static const QString invalid = QStringLiteral("invalid credentials");
    const QCborMap &auth = socket->handshake().auth;
    const QString sessionId = auth.value(QStringLiteral("sessionId")).toString();
    if (!sessionId.isEmpty() && m_sessions.isValid(sessionId, nowMs()))
        return done(std::nullopt);
    const QString username = auth.value(QStringLiteral("username")).toString();
    const QByteArray password = auth.value(QStringLiteral("password")).toString().toUtf8();
    if (username != m_options.auth->username || password.isEmpty())
        return done(invalid);
    if (m_pendingLogins >= MaxPendingLogins) {
        qCWarning(lcAdmin) << "admin login refused: too many logins being checked at once";
        return done(QStringLiteral("too many login attempts at once, try again"));
    }
    ++m_pendingLogins;
    const QByteArray hash = m_options.auth->passwordHash;
    QPointer<AdminInstrumentation> self(this);
    QPointer<Socket> guard(socket);
    QThreadPool::globalInstance()->start([self, guard, done, password, hash] {
        const bool ok = PasswordHash::verify(password, hash);
        QMetaObject::invokeMethod(
            self ? static_cast<QObject *>(self.data()) : QCoreApplication::instance(),
            [self, guard, done, ok] {
                if (!self)
                    return;
                --self->m_pendingLogins;
                if (!guard)
                    return;
                if (!ok) {
                    qCInfo(lcAdmin).noquote() << "admin login refused for" << guard->handshake().address;
                    return done(invalid);
                }
                Socket *socket = guard.data();
                self->m_newSessions.insert(socket, self->m_sessions.create(nowMs()));
                // Forgotten with the socket, even if a later middleware refuses it.
                connect(socket, &QObject::destroyed, self, [self, socket] { self->m_newSessions.remove(socket); });
                done(std::nullopt);
            },
            Qt::QueuedConnection);
    });
}

void AdminInstrumentation::onAdminConnected(Socket *socket)
{
    if (const QString session = m_newSessions.take(socket); !session.isEmpty())
        socket->emitEvent(QStringLiteral("session"), {session});
    if (!m_options.readonly)
        registerCommands(socket);

    QCborMap config;
    QCborArray features;
    for (const QString &feature : supportedFeatures())
        features.append(feature);
    config.insert(QStringLiteral("supportedFeatures"), features);
    config.insert(QStringLiteral("serverType"), QStringLiteral("plugboard"));
    config.insert(QStringLiteral("extensionsVersion"), ExtensionsVersion);
    socket->emitEvent(QStringLiteral("config"), {config});

    if (m_options.mode != AdminOptions::Mode::Development)
        return;
    QList<QPointer<Socket>> sockets;
    for (Namespace *nsp : m_server->namespaces()) {
        for (Socket *s : nsp->sockets())
            sockets.append(s);
    }
    const QCborValue requested = socket->handshake().auth.value(QStringLiteral("pageSize"));
    const qsizetype pageSize = requested.isInteger() && requested.toInteger() > 0
        ? std::min<qsizetype>(requested.toInteger(), MaxPageSize)
        : sockets.size();
    QCborArray first;
    for (qsizetype i = 0; i < std::min(pageSize, sockets.size()); ++i)
        first.append(AdminSerialization::socket(*sockets.at(i)));
    socket->emitEvent(QStringLiteral("all_sockets"), QCborArray{QCborValue(first)});
    if (pageSize < sockets.size())
        sendSocketPages(socket, std::move(sockets), pageSize, pageSize);
}

void AdminInstrumentation::sendSocketPages(QPointer<Socket> admin, QList<QPointer<Socket>> sockets, qsizetype offset,
                                           qsizetype pageSize)
{
    // A page per event-loop pass, so a large server keeps serving while the console fills.
    QTimer::singleShot(0, this, [this, admin, sockets = std::move(sockets), offset, pageSize]() mutable {
        if (!admin || !admin->isConnected())
            return;
        QCborArray page;
        const qsizetype end = std::min(offset + pageSize, sockets.size());
        for (qsizetype i = offset; i < end; ++i) {
            if (const Socket *s = sockets.at(i); s && s->isConnected())
                page.append(AdminSerialization::socket(*s));
        }
        QCborMap position;
        position.insert(QStringLiteral("offset"), offset);
        position.insert(QStringLiteral("total"), sockets.size());
        position.insert(QStringLiteral("last"), end >= sockets.size());
        admin->emitEvent(QStringLiteral("all_sockets_page"), {page, position});
        if (end < sockets.size())
            sendSocketPages(admin, std::move(sockets), end, pageSize);
    });
}

void AdminInstrumentation::registerCommands(Socket *socket)
{
    // Node names nsp as given; we refuse names that are not strings, and ServerControl refuses
    // namespaces that do not exist instead of creating them.
    const auto track = [this](const Ack &ack, quint64 requestId) {
        if (!ack.isRequested())
            return;
        m_pendingCommands.insert(requestId, [ack](const ControlResult &result) { ack({resultMap(result)}); });
    };
    const auto refuse = [](const Ack &ack, const QString &message) {
        qCDebug(lcAdmin).noquote() << "admin command ignored:" << message;
        if (ack.isRequested()) {
            ControlResult result;
            result.message = message;
            ack({resultMap(result)});
        }
    };

    socket->on(QStringLiteral("emit"), [this, track, refuse](const QCborArray &args, const Ack &ack) {
        if (!args.at(0).isString() || !args.at(2).isString())
            return refuse(ack, QStringLiteral("emit expects (nsp, filter, event, ...args)"));
        track(ack, m_control->emitEvent(emitRequestOf(args, 2)));
    });
    socket->on(QStringLiteral("emit_with_ack"), [this, refuse](const QCborArray &args, const Ack &ack) {
        if (!args.at(0).isString() || !args.at(2).isInteger() || !args.at(3).isString())
            return refuse(ack, QStringLiteral("emit_with_ack expects (nsp, filter, timeoutMs, event, ...args)"));
        EmitRequest request = emitRequestOf(args, 3);
        request.ackTimeoutMs = int(std::clamp<qint64>(args.at(2).toInteger(), 1, 600000));
        const quint64 id = m_control->emitEvent(request);
        m_pendingCommands.insert(id, [ack](const ControlResult &result) {
            if (!ack.isRequested())
                return;
            QCborMap map = resultMap(result);
            map.insert(QStringLiteral("timedOut"), result.timedOut);
            QCborArray responses;
            for (const AckResponse &response : result.responses) {
                QCborMap entry;
                entry.insert(QStringLiteral("id"), response.socketId);
                entry.insert(QStringLiteral("args"), response.args);
                responses.append(entry);
            }
            map.insert(QStringLiteral("responses"), responses);
            ack({map});
        });
    });
    const auto membership = [this, track, refuse](bool join) {
        return [this, track, refuse, join](const QCborArray &args, const Ack &ack) {
            if (!args.at(0).isString() || !args.at(1).isString() || args.at(1).toString().isEmpty())
                return refuse(ack, join ? QStringLiteral("join expects (nsp, room, filter)")
                                        : QStringLiteral("leave expects (nsp, room, filter)"));
            const SocketSelection selection = selectionOf(args.at(0).toString(), args, 2);
            const QString room = args.at(1).toString();
            track(ack, join ? m_control->joinRoom(selection, room) : m_control->leaveRoom(selection, room));
        };
    };
    socket->on(QStringLiteral("join"), membership(true));
    socket->on(QStringLiteral("leave"), membership(false));
    socket->on(QStringLiteral("_disconnect"), [this, track, refuse](const QCborArray &args, const Ack &ack) {
        if (!args.at(0).isString())
            return refuse(ack, QStringLiteral("_disconnect expects (nsp, close, filter)"));
        const SocketSelection selection = selectionOf(args.at(0).toString(), args, 2);
        const bool close = args.at(1).toBool(false);
        const QString reason = args.at(3).isString() ? args.at(3).toString().left(500) : QString();
        QString whyNot;
        if (const auto op = selectSockets(m_server, selection, &whyNot); op && !reason.isEmpty()) {
            const QList<Socket *> targets = op->localSockets();
            for (const Socket *target : targets)
                m_kickReasons.insert(selection.nsp + QLatin1Char('#') + target->id(), reason);
            qCInfo(lcAdmin).noquote() << "operator disconnects" << targets.size() << "socket(s) of" << selection.nsp
                                      << "because:" << reason;
        }
        track(ack, m_control->disconnectSockets(selection, close));
    });
}

void AdminInstrumentation::watchEngine()
{
    EngineServer *engine = m_server->engine();
    const auto watchClose = [this](EngineSocket *session) {
        connect(session, &EngineSocket::closed, this, [this](CloseReason reason) {
            m_aggregated.add(nowMs(), QStringLiteral("rawDisconnection"), 1, closeReasonText(reason));
        });
    };
    for (EngineSocket *session : engine->sessions())
        watchClose(session);
    connect(engine, &EngineServer::newConnection, this, [this, watchClose](EngineSocket *session) {
        m_aggregated.add(nowMs(), QStringLiteral("rawConnection"), 1);
        watchClose(session);
    });
    const auto &counters = engine->counters();
    m_lastPacketsIn = counters.messagesIn;
    m_lastPacketsOut = counters.messagesOut;
    m_lastBytesIn = counters.bytesIn;
    m_lastBytesOut = counters.bytesOut;
}

void AdminInstrumentation::broadcast(const QString &event, const QCborArray &args)
{
    m_adminNsp->emitEvent(event, args);
}

void AdminInstrumentation::watchNamespace(Namespace *nsp)
{
    const QString name = nsp->name();
    connect(nsp, &Namespace::connectionRefused, this, [this, name](const QString &clientId, const ConnectError &error) {
        broadcast(QStringLiteral("connection_error"), {name, AdminSerialization::clientId(clientId), error.message, now()});
    });
    if (m_options.mode != AdminOptions::Mode::Development)
        return;
    for (Socket *socket : nsp->sockets())
        watchSocket(socket);
    connect(nsp, &Namespace::socketConnected, this, [this](Socket *socket) {
        watchSocket(socket);
        broadcast(QStringLiteral("socket_connected"), {AdminSerialization::socket(*socket), now()});
    });
    Adapter *adapter = nsp->adapter();
    connect(adapter, &Adapter::roomJoined, this, [this, name](const QString &room, const QString &id) {
        broadcast(QStringLiteral("room_joined"), {name, room, id, now()});
    });
    connect(adapter, &Adapter::roomLeft, this, [this, name](const QString &room, const QString &id) {
        broadcast(QStringLiteral("room_left"), {name, room, id, now()});
    });
}

void AdminInstrumentation::watchSocket(Socket *socket)
{
    const QString nsp = socket->nsp()->name();
    const QString id = socket->id();
    QPointer<Socket> guard(socket);
    if (EngineSocket *conn = socket->conn()) {
        connect(conn, &EngineSocket::upgraded, this, [this, guard] {
            if (!guard)
                return;
            QCborMap update;
            update.insert(QStringLiteral("id"), guard->id());
            update.insert(QStringLiteral("nsp"), guard->nsp()->name());
            update.insert(QStringLiteral("transport"), guard->transportName());
            broadcast(QStringLiteral("socket_updated"), {update});
        });
    }
    connect(socket, &Socket::dataChanged, this, [this, guard] {
        if (!guard || !guard->isConnected())
            return;
        QCborMap update;
        update.insert(QStringLiteral("id"), guard->id());
        update.insert(QStringLiteral("nsp"), guard->nsp()->name());
        update.insert(QStringLiteral("data"), AdminSerialization::socketData(guard->data()));
        broadcast(QStringLiteral("socket_updated"), {update});
    });
    connect(socket, &Socket::disconnecting, this, [this, nsp, id](const QString &reason) {
        QCborArray args{nsp, id, reason, now()};
        if (const QString why = m_kickReasons.take(nsp + QLatin1Char('#') + id); !why.isEmpty())
            args.append(why);
        broadcast(QStringLiteral("socket_disconnected"), args);
    });
    // The admin namespace's own traffic is never reported (it would report itself forever).
    if (socket->nsp() == m_adminNsp)
        return;
    socket->onAny([this, nsp, id](const QString &event, const QCborArray &args) {
        QCborArray all = args;
        all.prepend(event);
        broadcast(QStringLiteral("event_received"), {nsp, id, all, now()});
    });
    socket->onAnyOutgoing([this, nsp, id](const QString &event, const QCborArray &args) {
        QCborArray all = args;
        all.prepend(event);
        broadcast(QStringLiteral("event_sent"), {nsp, id, all, now()});
    });
}

QCborMap AdminInstrumentation::serverStats()
{
    const qint64 time = nowMs();
    const auto &counters = m_server->engine()->counters();
    m_aggregated.add(time, QStringLiteral("packetsIn"), qint64(counters.messagesIn - m_lastPacketsIn));
    m_aggregated.add(time, QStringLiteral("bytesIn"), qint64(counters.bytesIn - m_lastBytesIn));
    m_aggregated.add(time, QStringLiteral("packetsOut"), qint64(counters.messagesOut - m_lastPacketsOut));
    m_aggregated.add(time, QStringLiteral("bytesOut"), qint64(counters.bytesOut - m_lastBytesOut));
    m_lastPacketsIn = counters.messagesIn;
    m_lastPacketsOut = counters.messagesOut;
    m_lastBytesIn = counters.bytesIn;
    m_lastBytesOut = counters.bytesOut;

    const ServerCensus census = ServerCensus::of(*m_server);
    QCborArray namespaces;
    for (const ServerCensus::NamespaceCount &nsp : census.namespaces) {
        QCborMap entry;
        entry.insert(QStringLiteral("name"), nsp.name);
        entry.insert(QStringLiteral("socketsCount"), nsp.sockets);
        namespaces.append(entry);
    }

    QCborMap stats;
    stats.insert(QStringLiteral("serverId"), m_serverId);
    stats.insert(QStringLiteral("hostname"), QHostInfo::localHostName());
    stats.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    stats.insert(QStringLiteral("uptime"), double(m_sinceStart.nsecsElapsed()) / 1e9);
    stats.insert(QStringLiteral("clientsCount"), census.clients);
    stats.insert(QStringLiteral("pollingClientsCount"), census.pollingClients);
    stats.insert(QStringLiteral("aggregatedEvents"), m_aggregated.take());
    stats.insert(QStringLiteral("namespaces"), namespaces);

    const ProcessUsage usage = ProcessUsage::sample();
    QCborMap memory;
    memory.insert(QStringLiteral("rss"), usage.residentBytes);
    stats.insert(QStringLiteral("memoryUsage"), memory);
    QCborMap cpu;
    cpu.insert(QStringLiteral("user"), qint64(usage.userSeconds * 1e6));
    cpu.insert(QStringLiteral("system"), qint64(usage.systemSeconds * 1e6));
    stats.insert(QStringLiteral("cpuUsage"), cpu);
    stats.insert(QStringLiteral("eventLoopLagMs"), m_lastLagMs);
    return stats;
}

void AdminInstrumentation::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_statsTimer.timerId())
        return QObject::timerEvent(event);
    // How late the timer fired is how long the loop was busy with something else.
    m_lastLagMs = std::max<qint64>(0, m_sinceTick.restart() - m_options.statsIntervalMs);
    broadcast(QStringLiteral("server_stats"), {serverStats()});
}

} // namespace Plugboard
