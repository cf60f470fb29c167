#include "clisession.h"

#include "clijson.h"
#include "client/clientsocket.h"
#include "client/manager.h"

#include <QtCore/QCborMap>
#include <QtCore/QTimer>

namespace Plugboard::Cli {

CliSession::CliSession(const CliOptions &options, Printer print, QObject *parent)
    : QObject(parent), m_options(options), m_print(std::move(print))
{
}

void CliSession::print(const QString &type, QCborMap fields)
{
    QCborMap line;
    line.insert(QStringLiteral("type"), type);
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        line.insert(it.key(), it.value());
    m_print(jsonLine(line));
}

void CliSession::start()
{
    Io::ManagerOptions managerOptions;
    managerOptions.autoConnect = false;
    managerOptions.reconnection = m_options.reconnect;
    managerOptions.parser = m_options.parser;
    managerOptions.engine.path = m_options.path;
    managerOptions.engine.query = m_options.query;
    managerOptions.engine.extraHeaders = m_options.headers;
    managerOptions.engine.transports = m_options.transports;
    managerOptions.engine.withCredentials = true;
    managerOptions.engine.rejectUnauthorized = !m_options.insecure;
    m_manager = new Io::Manager(m_options.url, managerOptions, this);
    Io::SocketOptions socketOptions;
    socketOptions.auth = m_options.auth;
    m_socket = m_manager->socket(m_options.nsp, socketOptions);

    connect(m_socket, &Io::Socket::connected, this, [this] {
        m_connectedOnce = true;
        Io::EngineClient *engine = m_manager->engine();
        print(QStringLiteral("connect"), {{QStringLiteral("nsp"), m_socket->nsp()},
                                          {QStringLiteral("id"), m_socket->id()},
                                          {QStringLiteral("transport"), engine ? engine->transportName() : QString()},
                                          {QStringLiteral("recovered"), m_socket->isRecovered()}});
        checkDone();
    });
    connect(m_socket, &Io::Socket::connectError, this, [this](const QString &message, const QCborValue &data) {
        QCborMap fields{{QStringLiteral("message"), message}};
        if (!data.isUndefined())
            fields.insert(QStringLiteral("data"), data);
        print(QStringLiteral("connect_error"), fields);
        // Refused by the server (the socket gave up), no reconnection, or nothing to wait
        // for: the run is over.
        if (!m_socket->isActive() || !m_options.reconnect || (!m_options.listen && !m_options.interactive))
            finish(1, QStringLiteral("connect_error: ") + message);
    });
    connect(m_socket, &Io::Socket::disconnected, this, [this](const QString &reason, const QString &description) {
        QCborMap fields{{QStringLiteral("reason"), reason}};
        if (!description.isEmpty())
            fields.insert(QStringLiteral("description"), description);
        print(QStringLiteral("disconnect"), fields);
        // Over unless the socket reconnects on its own (or a prompt can connect it again).
        if ((!m_socket->isActive() || !m_options.reconnect) && !m_options.interactive)
            finish(m_failure.isEmpty() && m_pendingAcks == 0 ? 0 : 1,
                   m_failure.isEmpty() ? QStringLiteral("disconnected: ") + reason : m_failure);
    });
    connect(m_manager, &Io::Manager::upgraded, this, [this](const QString &transport) {
        print(QStringLiteral("upgrade"), {{QStringLiteral("transport"), transport}});
    });
    connect(m_manager, &Io::Manager::reconnectAttempt, this, [this](int attempt) {
        print(QStringLiteral("reconnect_attempt"), {{QStringLiteral("attempt"), attempt}});
    });
    connect(m_manager, &Io::Manager::reconnected, this, [this](int attempt) {
        print(QStringLiteral("reconnect"), {{QStringLiteral("attempt"), attempt}});
    });
    connect(m_manager, &Io::Manager::reconnectFailed, this, [this] {
        print(QStringLiteral("reconnect_failed"), {});
        finish(1, QStringLiteral("reconnection failed"));
    });
    connect(m_socket, &Io::Socket::eventReceived, this, &CliSession::onEvent);

    for (const EmitRequest &request : std::as_const(m_options.emits))
        emitWithAck(request.event, request.args, request.ackTimeoutMs);
    if (m_options.seconds > 0) {
        QTimer::singleShot(int(m_options.seconds * 1000), this, [this] {
            if (!m_connectedOnce && m_failure.isEmpty())
                m_failure = QStringLiteral("never connected within %1 s").arg(m_options.seconds);
            if (m_pendingAcks > 0 && m_failure.isEmpty())
                m_failure = QStringLiteral("%1 acknowledgement(s) still missing after %2 s").arg(m_pendingAcks).arg(m_options.seconds);
            finishWithOutcome();
        });
    }
    m_socket->connect();
}

void CliSession::onEvent(const QString &event, const QCborArray &args, const Ack &ack)
{
    QCborMap fields{{QStringLiteral("event"), event}, {QStringLiteral("args"), args}};
    if (ack.isRequested()) {
        const qint64 id = m_nextServerAck++;
        m_serverAcks.insert(id, ack);
        fields.insert(QStringLiteral("ack"), id);
    }
    print(QStringLiteral("event"), fields);
    Q_EMIT eventNameSeen(event);
    ++m_events;
    if (m_options.count > 0 && m_events >= m_options.count)
        finishWhenAcked();
}

// --count reached: the acknowledgements still on their way are waited for (each has its
// timeout), then the run ends.
void CliSession::finishWhenAcked()
{
    if (m_pendingAcks == 0)
        finishWithOutcome();
}

void CliSession::emitWithAck(const QString &event, const QCborArray &args, int timeoutMs)
{
    ++m_pendingAcks;
    m_socket->timeout(timeoutMs).emitEvent(event, args, [this, event, timeoutMs](const AckResult &result) {
        --m_pendingAcks;
        if (result.ok) {
            print(QStringLiteral("ack"), {{QStringLiteral("event"), event}, {QStringLiteral("args"), result.args}});
        } else {
            print(QStringLiteral("ack"), {{QStringLiteral("event"), event}, {QStringLiteral("error"), result.error}});
            if (m_failure.isEmpty())
                m_failure = QStringLiteral("no acknowledgement for \"%1\": %2").arg(event, result.error);
        }
        checkDone();
    });
}

void CliSession::checkDone()
{
    if (m_options.count > 0 && m_events >= m_options.count) {
        finishWhenAcked();
        return;
    }
    if (m_options.listen || m_options.interactive || m_options.count > 0 || m_options.seconds > 0)
        return;
    if (m_pendingAcks == 0 && m_connectedOnce)
        finishWithOutcome();
}

void CliSession::runCommand(const QString &line)
{
    const QStringList words = splitWords(line);
    if (words.isEmpty())
        return;
    const QString command = words.first();
    const QString rest = line.mid(line.indexOf(command) + command.size()).trimmed();
    if (command == QLatin1String("emit")) {
        const QStringList parts = splitWords(rest);
        if (parts.isEmpty()) {
            print(QStringLiteral("error"), {{QStringLiteral("message"), QStringLiteral("usage: emit EVENT [ARGS...]")}});
            return;
        }
        const QString event = parts.first();
        const ParsedArguments parsed = parseArgumentWords(QStringView(rest).mid(rest.indexOf(event) + event.size()));
        if (!parsed.error.isEmpty()) {
            print(QStringLiteral("error"), {{QStringLiteral("message"), parsed.error}});
            return;
        }
        if (SocketIO::isReservedEventName(event)) {
            print(QStringLiteral("error"), {{QStringLiteral("message"), QStringLiteral("\"%1\" is a reserved event name").arg(event)}});
            return;
        }
        Q_EMIT eventNameSeen(event);
        emitWithAck(event, parsed.args, 10000);
    } else if (command == QLatin1String("ack")) {
        const QStringList parts = splitWords(rest);
        bool ok = false;
        const qint64 id = parts.isEmpty() ? 0 : parts.first().toLongLong(&ok);
        const auto it = m_serverAcks.find(id);
        if (!ok || it == m_serverAcks.end()) {
            print(QStringLiteral("error"), {{QStringLiteral("message"), QStringLiteral("usage: ack N [ARGS...], N from an event's \"ack\"")}});
            return;
        }
        const ParsedArguments parsed = parseArgumentWords(QStringView(rest).mid(parts.first().size()));
        if (!parsed.error.isEmpty()) {
            print(QStringLiteral("error"), {{QStringLiteral("message"), parsed.error}});
            return;
        }
        it.value()(parsed.args);
        m_serverAcks.erase(it);
        print(QStringLiteral("acked"), {{QStringLiteral("ack"), id}});
    } else if (command == QLatin1String("disconnect")) {
        m_socket->disconnect();
    } else if (command == QLatin1String("connect")) {
        m_socket->connect();
    } else if (command == QLatin1String("quit") || command == QLatin1String("exit")) {
        finishWithOutcome();
    } else if (command == QLatin1String("help")) {
        print(QStringLiteral("help"), {{QStringLiteral("commands"),
                                        QStringLiteral("emit EVENT [ARGS...] | ack N [ARGS...] | disconnect | connect | quit")}});
    } else {
        print(QStringLiteral("error"), {{QStringLiteral("message"), QStringLiteral("unknown command \"%1\" (help lists them)").arg(command)}});
    }
}

void CliSession::endInput()
{
    finishWithOutcome();
}

void CliSession::finishWithOutcome()
{
    finish(m_failure.isEmpty() ? 0 : 1, m_failure);
}

void CliSession::finish(int code, QString reason)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_socket && m_socket->isConnected())
        m_socket->disconnect();
    Q_EMIT finished(code, reason);
}

} // namespace Plugboard::Cli
