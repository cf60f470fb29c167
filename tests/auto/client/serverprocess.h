#pragma once

#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

// A real server program for the client tests: plugboard-testapp or Node's socket.io 4.8 with
// the same contract (tests/e2e/servers/node-testapp.js). Started on a free port (or a given
// one, to come back after a restart) and killed when the fixture goes.
class ServerProcess : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerProcess)

public:
    enum class Kind { Plugboard, Node, Command };
    explicit ServerProcess(Kind kind, QObject *parent = nullptr);
    // Any program that takes --port and prints "... listening on 127.0.0.1:PORT".
    explicit ServerProcess(const QStringList &command, QObject *parent = nullptr);
    ~ServerProcess() override;

    static QString kindName(Kind kind);
    // Empty when the server can run here; otherwise why not (node or npm packages missing).
    static QString unavailableReason(Kind kind);

    // Starts and waits for the readiness line(s); false (with error()) on failure.
    bool start(const QStringList &extraArguments = {}, quint16 port = 0, quint16 recoveryPort = 0);
    bool startWithRecovery() { return start({}, 0, 0, true); }
    void stop();
    // SIGSTOP / SIGCONT: a server that stops answering without closing anything.
    void freeze();
    void thaw();

    quint16 port() const { return m_port; }
    quint16 recoveryPort() const { return m_recoveryPort; }
    QString url() const;
    QString recoveryUrl() const;
    QString error() const { return m_error; }
    QString output() const { return QString::fromUtf8(m_output); }

private:
    bool start(const QStringList &extraArguments, quint16 port, quint16 recoveryPort, bool recovery);
    QStringList command() const;
    void keepOutput();

    Kind m_kind;
    QStringList m_command;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    quint16 m_recoveryPort = 0;
    QString m_error;
};
