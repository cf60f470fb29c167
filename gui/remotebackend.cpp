#include "remotebackend.h"

#include <client/clientsocket.h>
#include <client/io.h>
#include <client/manager.h>

#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>

#include <algorithm>
#include <memory>

namespace Plugboard {

namespace {

constexpr int FlushIntervalMs = 250;
// A server that accepts the namespace but sends no config is not an admin-ui server.
constexpr int ConfigTimeoutMs = 5000;
constexpr int CommandTimeoutMs = 10000;
constexpr int SocketsPageSize = 500;
constexpr int KnownExtensionsVersion = 1;

} // namespace

RemoteBackend::RemoteBackend(AttachProfile profile, QObject *parent)
    : ConsoleBackend(parent),
      m_profile(std::move(profile)),
      m_mirror(AdminMirror::Options{5000, {m_profile.adminNamespace}})
{
}

RemoteBackend::~RemoteBackend()
{
    if (m_socket) {
        m_socket->disconnect();
        if (Io::Manager *manager = m_socket->io())
            manager->deleteLater();
    }
}

QString RemoteBackend::description() const
{
    return tr("Attached to %1").arg(m_profile.label());
}

void RemoteBackend::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RemoteBackend::attach()
{
    if (m_socket)
        return;
    Io::ConnectOptions options;
    options.forceNew = true;
    Io::EngineClientOptions &engine = options.manager.engine;
    engine.path = m_profile.path;
    engine.withCredentials = true;
    engine.rejectUnauthorized = !m_profile.insecureTls;
    if (m_profile.webSocketOnly)
        engine.transports = {QStringLiteral("websocket")};
    options.manager.reconnection = true;
    options.manager.timeout = 10000;
    QCborMap auth;
    if (!m_profile.username.isEmpty() || !m_profile.password.isEmpty()) {
        auth.insert(QStringLiteral("username"), m_profile.username);
        auth.insert(QStringLiteral("password"), m_profile.password);
    }
    auth.insert(QStringLiteral("pageSize"), SocketsPageSize); // PAGED_SOCKETS; ignored elsewhere
    options.socket.auth = auth;
    m_socket = Io::connect(m_profile.adminUrl(), options, this);
    m_socket->io()->setParent(this);
    connect(m_socket, &Io::Socket::connected, this, &RemoteBackend::onConnected);
    connect(m_socket, &Io::Socket::connectError, this, [this](const QString &message) { onConnectError(message); });
    connect(m_socket, &Io::Socket::disconnected, this, [this](const QString &reason) { onDisconnected(reason); });
    connect(m_socket, &Io::Socket::eventReceived, this,
            [this](const QString &event, const QCborArray &args) { onEvent(event, args); });
    setState(State::Starting);
    m_flushTimer.start(FlushIntervalMs, this);
}

void RemoteBackend::stop()
{
    m_flushTimer.stop();
    m_configTimer.stop();
    if (m_socket)
        m_socket->disconnect();
    setState(State::Stopped);
    Q_EMIT stopped();
}

void RemoteBackend::onConnected()
{
    m_mirror.reset();
    m_everConnected = true;
    m_lastError.clear();
    m_configTimer.start(ConfigTimeoutMs, this);
    setState(State::Running);
    if (m_stale) {
        m_stale = false;
        Q_EMIT staleChanged(false, {});
    }
    Q_EMIT started(description());
}

QString RemoteBackend::explain(const QString &message) const
{
    if (message == QLatin1String("invalid credentials"))
        return tr("%1 refused the user name or password (invalid credentials).").arg(m_profile.serverUrl.toString());
    if (message == QLatin1String("Invalid namespace"))
        return tr("%1 has no namespace %2: the server is not instrumented (Node: instrument(io, …) from "
                  "@socket.io/admin-ui; plugboard: an \"admin\" block in its config), or its admin namespace has "
                  "another name.")
            .arg(m_profile.serverUrl.toString(), m_profile.adminNamespace);
    return tr("Cannot attach to %1: %2").arg(m_profile.label(), message);
}

void RemoteBackend::onConnectError(const QString &message)
{
    m_lastError = explain(message);
    const bool refused = message == QLatin1String("invalid credentials") || message == QLatin1String("Invalid namespace");
    if (!m_everConnected || refused) {
        // Nothing to show yet, or retrying cannot help: say why and stop.
        m_flushTimer.stop();
        if (m_socket)
            m_socket->disconnect();
        setState(State::Stopped);
        Q_EMIT startFailed(m_lastError);
        return;
    }
    m_stale = true;
    Q_EMIT staleChanged(true, tr("Connection to %1 lost; reconnecting… (%2). The data shown is stale.")
                                  .arg(m_profile.label(), message));
}

void RemoteBackend::onDisconnected(const QString &reason)
{
    m_configTimer.stop();
    if (reason == QLatin1String("io client disconnect"))
        return; // stop() or a refused attach
    m_stale = true;
    Q_EMIT staleChanged(true, tr("Connection to %1 lost (%2); reconnecting… The data shown is stale.")
                                  .arg(m_profile.label(), reason));
    // A server-side disconnect is final for socket.io-client; an operator console wants back in.
    if (reason == QLatin1String("io server disconnect")) {
        QTimer::singleShot(1000, this, [this] {
            if (m_socket && m_state != State::Stopped)
                m_socket->connect();
        });
    }
}

void RemoteBackend::onEvent(const QString &event, const QCborArray &args)
{
    if (!m_mirror.handle(event, args)) {
        if (!m_warnedMalformed) {
            m_warnedMalformed = true;
            Q_EMIT warning(tr("%1 sent a malformed \"%2\" message; it and others like it are ignored.")
                               .arg(m_profile.label(), event));
        }
        return;
    }
    if (event == QLatin1String("config")) {
        m_configTimer.stop();
        if (m_mirror.extensionsVersion() > KnownExtensionsVersion)
            Q_EMIT warning(tr("%1 speaks a newer version (%2) of Plugboard's admin extensions; this console "
                              "uses what version %3 defines.")
                               .arg(m_profile.label())
                               .arg(m_mirror.extensionsVersion())
                               .arg(KnownExtensionsVersion));
        Q_EMIT capabilitiesChanged();
    }
}

void RemoteBackend::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_configTimer.timerId()) {
        m_configTimer.stop();
        if (!m_mirror.hasConfig())
            Q_EMIT warning(tr("%1 accepted the connection but sent no config in %2 s: is %3 really an admin-ui "
                              "namespace?")
                               .arg(m_profile.label())
                               .arg(ConfigTimeoutMs / 1000)
                               .arg(m_profile.adminNamespace));
        return;
    }
    if (event->timerId() == m_flushTimer.timerId()) {
        if (m_mirror.hasChanges())
            Q_EMIT batchReady(m_mirror.takeBatch());
        return;
    }
    ConsoleBackend::timerEvent(event);
}

void RemoteBackend::requestSnapshot()
{
    QMetaObject::invokeMethod(this, [this] { Q_EMIT snapshotReady(m_mirror.snapshot()); }, Qt::QueuedConnection);
}

bool RemoteBackend::has(const char *feature) const
{
    return m_mirror.features().contains(QLatin1String(feature));
}

ConsoleBackend::Capabilities RemoteBackend::capabilities() const
{
    Capabilities c;
    const QString readonly = tr("%1 is read-only (it advertises no commands)").arg(m_profile.label());
    c.emit = has("EMIT");
    c.emitWhyNot = c.emit ? QString() : readonly;
    c.emitWithAck = has("EMIT_WITH_ACK");
    c.emitWithAckWhyNot = c.emitWithAck ? QString()
                                        : tr("%1 does not return acknowledgements to the admin namespace (only "
                                             "Plugboard servers advertise EMIT_WITH_ACK)")
                                              .arg(m_profile.label());
    c.join = has("JOIN");
    c.leave = has("LEAVE");
    c.membershipWhyNot = c.join && c.leave ? QString() : readonly;
    c.disconnect = has("DISCONNECT");
    c.disconnectRoom = has("MDISCONNECT");
    c.disconnectWhyNot = c.disconnect ? QString() : readonly;
    return c;
}

quint64 RemoteBackend::refuse(const QString &message)
{
    const quint64 ticket = m_nextTicket++;
    ControlResult result;
    result.message = message;
    QMetaObject::invokeMethod(this, [this, ticket, result] { Q_EMIT actionFinished(ticket, result); },
                              Qt::QueuedConnection);
    return ticket;
}

// Every filter sent is non-empty (callers check): an empty one would mean "the whole namespace".
quint64 RemoteBackend::send(const QList<Command> &commands, const QString &summary)
{
    if (!m_socket || m_state != State::Running || m_stale)
        return refuse(tr("not connected to %1").arg(m_profile.label()));
    if (commands.isEmpty())
        return refuse(tr("nothing chosen"));
    const quint64 ticket = m_nextTicket++;
    const bool answered = has("COMMAND_RESULTS")
        || std::any_of(commands.cbegin(), commands.cend(), [](const Command &command) { return command.timeoutMs > 0; });
    if (!answered) {
        // Node's admin-ui answers nothing: the result shows only in the events that follow.
        for (const Command &command : commands)
            m_socket->emitEvent(command.event, command.args);
        ControlResult result;
        result.ok = true;
        result.message = tr("%1 (sent; this server does not confirm commands)").arg(summary);
        QMetaObject::invokeMethod(this, [this, ticket, result] { Q_EMIT actionFinished(ticket, result); },
                                  Qt::QueuedConnection);
        return ticket;
    }
    // One ticket for all the commands: ok when every one was, the replies of all together.
    struct Pending
    {
        qsizetype left;
        ControlResult result;
    };
    auto pending = std::make_shared<Pending>(Pending{commands.size(), {}});
    pending->result.ok = true;
    QPointer<RemoteBackend> self(this);
    for (const Command &command : commands) {
        const int timeoutMs = command.timeoutMs > 0 ? command.timeoutMs : CommandTimeoutMs;
        m_socket->timeout(timeoutMs).emitEvent(command.event, command.args, [self, pending, ticket](const AckResult &ack) {
            const QCborMap reply = ack.args.at(0).toMap();
            ControlResult &result = pending->result;
            if (!ack.ok) {
                result.ok = false;
                result.message = ack.error;
            } else if (!reply.value(QStringLiteral("ok")).toBool()) {
                result.ok = false;
                result.message = reply.value(QStringLiteral("message")).toString();
            } else if (result.ok) {
                result.message = reply.value(QStringLiteral("message")).toString();
            }
            result.recipients += int(reply.value(QStringLiteral("recipients")).toInteger());
            // emit_with_ack's replies (EMIT_WITH_ACK); other commands carry none.
            result.timedOut = result.timedOut || reply.value(QStringLiteral("timedOut")).toBool();
            for (const QCborValue &response : reply.value(QStringLiteral("responses")).toArray()) {
                const QCborMap entry = response.toMap();
                result.responses.append({entry.value(QStringLiteral("id")).toString(),
                                         entry.value(QStringLiteral("args")).toArray()});
            }
            if (--pending->left == 0 && self)
                Q_EMIT self->actionFinished(ticket, result);
        });
    }
    return ticket;
}

quint64 RemoteBackend::emitEvent(const EmitRequest &request)
{
    if (request.event.isEmpty())
        return refuse(tr("the event name is empty"));
    const Capabilities caps = capabilities();
    if (!caps.emit)
        return refuse(caps.emitWhyNot);
    const bool withAck = request.ackTimeoutMs > 0;
    if (withAck && !caps.emitWithAck)
        return refuse(caps.emitWithAckWhyNot);
    QList<QCborValue> filters;
    switch (request.target) {
    case EmitRequest::Target::Namespace:
        filters.append(QCborValue(QCborValue::Null)); // chosen explicitly by the operator
        break;
    case EmitRequest::Target::Rooms:
        for (const QString &room : request.rooms)
            if (!room.isEmpty())
                filters.append(room);
        break;
    case EmitRequest::Target::Sockets:
        for (const QString &id : request.socketIds)
            if (!id.isEmpty())
                filters.append(id);
        break;
    }
    if (filters.isEmpty())
        return refuse(tr("no socket or room chosen"));
    QList<Command> commands;
    for (const QCborValue &filter : filters) {
        // emit(nsp, filter, event, ...args), or emit_with_ack(nsp, filter, timeoutMs, event, ...args)
        QCborArray args{request.nsp, filter};
        if (withAck)
            args.append(request.ackTimeoutMs);
        args.append(request.event);
        for (const QCborValue &arg : request.args)
            args.append(arg);
        commands.append({withAck ? QStringLiteral("emit_with_ack") : QStringLiteral("emit"), args,
                         withAck ? request.ackTimeoutMs + CommandTimeoutMs : 0});
    }
    return send(commands, tr("emitted %1").arg(request.event));
}

quint64 RemoteBackend::disconnectSocket(const QString &nsp, const QString &socketId, bool close)
{
    if (!capabilities().disconnect)
        return refuse(capabilities().disconnectWhyNot);
    if (socketId.isEmpty())
        return refuse(tr("no socket chosen"));
    return send({{QStringLiteral("_disconnect"), {nsp, close, socketId}}},
                close ? tr("connection closed") : tr("socket disconnected"));
}

quint64 RemoteBackend::disconnectRoom(const QString &nsp, const QString &room, bool close)
{
    if (!capabilities().disconnectRoom)
        return refuse(capabilities().disconnect ? tr("%1 cannot disconnect a whole room").arg(m_profile.label())
                                                : capabilities().disconnectWhyNot);
    if (room.isEmpty())
        return refuse(tr("no room chosen"));
    return send({{QStringLiteral("_disconnect"), {nsp, close, room}}}, tr("room disconnected"));
}

quint64 RemoteBackend::joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return changeMembership(nsp, socketIds, room, true);
}

quint64 RemoteBackend::leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return changeMembership(nsp, socketIds, room, false);
}

quint64 RemoteBackend::changeMembership(const QString &nsp, const QStringList &socketIds, const QString &room, bool join)
{
    const Capabilities caps = capabilities();
    if (!(join ? caps.join : caps.leave))
        return refuse(caps.membershipWhyNot);
    if (room.isEmpty())
        return refuse(tr("the room name is empty"));
    QList<Command> commands;
    for (const QString &id : socketIds)
        if (!id.isEmpty())
            commands.append({join ? QStringLiteral("join") : QStringLiteral("leave"), {nsp, room, id}});
    return send(commands, join ? tr("%n socket(s) joined %1", nullptr, int(commands.size())).arg(room)
                               : tr("%n socket(s) left %1", nullptr, int(commands.size())).arg(room));
}

} // namespace Plugboard
