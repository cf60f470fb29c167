#include "nodeclient.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtTest/QTest>

NodeClient::NodeClient(QObject *parent) : QObject(parent)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PLUGBOARD_NODE_MODULES"), QStringLiteral(PLUGBOARD_NODE_MODULES));
    m_process.setProcessEnvironment(environment);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &NodeClient::readLines);
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_stderr += m_process.readAllStandardError(); });
}

NodeClient::~NodeClient()
{
    stop();
}

bool NodeClient::isAvailable(QString *why)
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()) {
        *why = QStringLiteral("node is not installed");
        return false;
    }
    if (!QFileInfo::exists(QStringLiteral(PLUGBOARD_NODE_MODULES "/socket.io-client"))) {
        *why = QStringLiteral("socket.io-client is missing: run npm ci in tests/e2e");
        return false;
    }
    return true;
}

void NodeClient::start(const QString &url, const QStringList &extraArguments)
{
    m_process.start(QStringLiteral("node"), QStringList{QStringLiteral(PLUGBOARD_GUI_CLIENT_SCRIPT), url} + extraArguments);
}

void NodeClient::readLines()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype end;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        const QJsonObject message = QJsonDocument::fromJson(line).object();
        if (message.isEmpty())
            continue;
        if (message.value(QStringLiteral("type")).toString() == QLatin1String("connect"))
            m_id = message.value(QStringLiteral("id")).toString();
        m_messages.append(message);
        Q_EMIT messageReceived(message);
    }
}

QList<QJsonObject> NodeClient::messagesOfType(const QString &type) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &message : m_messages) {
        if (message.value(QStringLiteral("type")).toString() == type)
            found.append(message);
    }
    return found;
}

QList<QJsonObject> NodeClient::events(const QString &name) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &message : messagesOfType(QStringLiteral("event"))) {
        if (message.value(QStringLiteral("event")).toString() == name)
            found.append(message);
    }
    return found;
}

QJsonObject NodeClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    QJsonObject found;
    const auto check = [&] {
        for (const QJsonObject &message : std::as_const(m_messages)) {
            if (match(message)) {
                found = message;
                return true;
            }
        }
        return false;
    };
    if (!QTest::qWaitFor(check, timeoutMs))
        return {};
    return found;
}

QString NodeClient::waitForConnected(int timeoutMs)
{
    const QJsonObject message = waitFor(
        [](const QJsonObject &m) {
            const QString type = m.value(QStringLiteral("type")).toString();
            return type == QLatin1String("connect") || type == QLatin1String("connect_error");
        },
        timeoutMs);
    return message.value(QStringLiteral("id")).toString();
}

QJsonObject NodeClient::waitForEvent(const QString &name, int timeoutMs)
{
    return waitFor(
        [&name](const QJsonObject &m) {
            return m.value(QStringLiteral("type")).toString() == QLatin1String("event")
                   && m.value(QStringLiteral("event")).toString() == name;
        },
        timeoutMs);
}

QString NodeClient::waitForDisconnect(int timeoutMs)
{
    return waitFor([](const QJsonObject &m) { return m.value(QStringLiteral("type")).toString() == QLatin1String("disconnect"); },
                   timeoutMs)
        .value(QStringLiteral("reason"))
        .toString();
}

void NodeClient::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

void NodeClient::emitEvent(const QString &event, const QJsonArray &args)
{
    send({{QStringLiteral("cmd"), QStringLiteral("emit")}, {QStringLiteral("event"), event}, {QStringLiteral("args"), args}});
}

void NodeClient::setAckReply(const QJsonArray &args)
{
    send({{QStringLiteral("cmd"), QStringLiteral("ackReply")}, {QStringLiteral("args"), args}});
    // The reply must be in place before any event can reach the client.
    waitFor([](const QJsonObject &m) { return m.value(QStringLiteral("type")).toString() == QLatin1String("ackReplySet"); },
            5000);
}

void NodeClient::disconnectSocket()
{
    send({{QStringLiteral("cmd"), QStringLiteral("disconnect")}});
}

void NodeClient::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    send({{QStringLiteral("cmd"), QStringLiteral("exit")}});
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}
