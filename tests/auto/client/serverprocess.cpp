#include "serverprocess.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>

#include <csignal>
#include <sys/prctl.h>

ServerProcess::ServerProcess(Kind kind, QObject *parent) : QObject(parent), m_kind(kind)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

// Output after the readiness line (logs) is kept for failure messages.
void ServerProcess::keepOutput()
{
    if (m_port)
        m_output += m_process.readAll();
}

ServerProcess::ServerProcess(const QStringList &command, QObject *parent)
    : QObject(parent), m_kind(Kind::Command), m_command(command)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    stop();
}

QString ServerProcess::kindName(Kind kind)
{
    return kind == Kind::Plugboard ? QStringLiteral("plugboard") : QStringLiteral("node");
}

QString ServerProcess::unavailableReason(Kind kind)
{
    if (kind == Kind::Plugboard)
        return QFileInfo::exists(QStringLiteral(PLUGBOARD_TESTAPP)) ? QString() : QStringLiteral("plugboard-testapp is not built");
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not installed");
    if (!QFileInfo::exists(QStringLiteral(PLUGBOARD_E2E_DIR "/node_modules/socket.io/package.json")))
        return QStringLiteral("npm packages missing: run npm ci in tests/e2e");
    if (!QFileInfo::exists(QStringLiteral(PLUGBOARD_E2E_DIR "/servers/node-testapp.js")))
        return QStringLiteral("tests/e2e/servers/node-testapp.js is missing");
    return {};
}

QStringList ServerProcess::command() const
{
    if (m_kind == Kind::Command)
        return m_command;
    if (m_kind == Kind::Plugboard)
        return {QStringLiteral(PLUGBOARD_TESTAPP)};
    return {QStandardPaths::findExecutable(QStringLiteral("node")), QStringLiteral(PLUGBOARD_E2E_DIR "/servers/node-testapp.js")};
}

bool ServerProcess::start(const QStringList &extraArguments, quint16 port, quint16 recoveryPort)
{
    return start(extraArguments, port, recoveryPort, recoveryPort != 0);
}

bool ServerProcess::start(const QStringList &extraArguments, quint16 port, quint16 recoveryPort, bool recovery)
{
    stop();
    m_output.clear();
    QStringList arguments = command();
    const QString program = arguments.takeFirst();
    arguments += extraArguments;
    arguments += {QStringLiteral("--port"), QString::number(port)};
    if (recovery)
        arguments += {QStringLiteral("--recovery-port"), QString::number(recoveryPort)};
    m_process.setWorkingDirectory(QStringLiteral(PLUGBOARD_E2E_DIR));
    // A test that crashes takes its servers with it instead of leaving them running.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
        return false;
    }
    static const QRegularExpression mainLine(QStringLiteral("[\\w.-]+ listening on 127\\.0\\.0\\.1:(\\d+)\\b"));
    static const QRegularExpression recoveryLine(QStringLiteral("recovery listening on 127\\.0\\.0\\.1:(\\d+)"));
    m_port = 0;
    m_recoveryPort = 0;
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_process.state() != QProcess::Running)
                break;
            continue;
        }
        m_output += m_process.readAll();
        const QString text = QString::fromUtf8(m_output);
        for (const QRegularExpressionMatch &match : mainLine.globalMatch(text)) {
            if (!match.captured(0).contains(QLatin1String("recovery")))
                m_port = quint16(match.captured(1).toUInt());
        }
        const QRegularExpressionMatch recoveryMatch = recoveryLine.match(text);
        if (recoveryMatch.hasMatch())
            m_recoveryPort = quint16(recoveryMatch.captured(1).toUInt());
        if (m_port && (!recovery || m_recoveryPort)) {
            connect(&m_process, &QProcess::readyRead, this, &ServerProcess::keepOutput, Qt::UniqueConnection);
            return true;
        }
    }
    m_error = QStringLiteral("%1 did not report its port:\n%2").arg(program, QString::fromUtf8(m_output));
    stop();
    return false;
}

void ServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    thaw();
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

void ServerProcess::freeze()
{
    if (m_process.processId() > 0)
        ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void ServerProcess::thaw()
{
    if (m_process.processId() > 0)
        ::kill(pid_t(m_process.processId()), SIGCONT);
}

QString ServerProcess::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString ServerProcess::recoveryUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_recoveryPort);
}
