#pragma once

#include "clioptions.h"
#include "sio/ack.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

namespace Plugboard::Io {
class Manager;
class Socket;
}

namespace Plugboard::Cli {

// One run of plugboard-cli: connects, prints what happens as JSON lines, sends the --emit
// events and decides when it is over and with which exit code.
class CliSession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CliSession)

public:
    using Printer = std::function<void(const QByteArray &line)>;
    CliSession(const CliOptions &options, Printer print, QObject *parent = nullptr);

    void start();
    // An interactive command line: emit, ack, connect, disconnect, quit, help.
    void runCommand(const QString &line);
    void endInput();

Q_SIGNALS:
    // code 0: every ack came back; otherwise reason says why not, in one line.
    void finished(int code, const QString &reason);
    void eventNameSeen(const QString &event);

private:
    void print(const QString &type, QCborMap fields);
    void emitWithAck(const QString &event, const QCborArray &args, int timeoutMs);
    void onEvent(const QString &event, const QCborArray &args, const Ack &ack);
    void checkDone();
    // Ends the run (by value: disconnecting fails the pending acks, which changes m_failure).
    void finish(int code, QString reason);
    void finishWhenAcked();
    // 0 unless an acknowledgement failed (m_failure says which).
    void finishWithOutcome();

    CliOptions m_options;
    Printer m_print;
    Io::Manager *m_manager = nullptr;
    Io::Socket *m_socket = nullptr;
    int m_pendingAcks = 0;
    int m_events = 0;
    QString m_failure;
    bool m_connectedOnce = false;
    bool m_finished = false;
    qint64 m_nextServerAck = 1;
    QHash<qint64, Ack> m_serverAcks;
};

} // namespace Plugboard::Cli
