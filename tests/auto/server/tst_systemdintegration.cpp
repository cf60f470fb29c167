// The program as a systemd Type=notify service: the real `plugboard --headless` with the
// variables systemd sets (NOTIFY_SOCKET, WATCHDOG_USEC, JOURNAL_STREAM, CREDENTIALS_DIRECTORY),
// and a datagram socket where systemd would listen.
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <memory>

namespace {

// What systemd's manager sees: one datagram per sd_notify() call.
class NotifySocket : public QObject
{
    Q_OBJECT

public:
    explicit NotifySocket(const QString &path)
        : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        const QByteArray bytes = path.toLocal8Bit();
        qstrncpy(address.sun_path, bytes.constData(), sizeof address.sun_path);
        m_bound = m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
        m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
            char buffer[4096];
            ssize_t size;
            while ((size = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0)
                messages.append(QByteArray(buffer, size));
        });
    }
    ~NotifySocket() override
    {
        m_notifier.reset();
        if (m_fd >= 0)
            ::close(m_fd);
    }

    bool isBound() const { return m_bound; }
    QString path() const { return m_path; }
    int count(QByteArrayView state) const
    {
        int n = 0;
        for (const QByteArray &message : messages)
            n += message.split('\n').contains(state) ? 1 : 0;
        return n;
    }
    QByteArray firstWith(QByteArrayView state) const
    {
        for (const QByteArray &message : messages) {
            if (message.split('\n').contains(state))
                return message;
        }
        return {};
    }

    QList<QByteArray> messages;

private:
    QString m_path;
    int m_fd = -1;
    bool m_bound = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

quint16 portFromStatus(const QByteArray &message)
{
    const QRegularExpression pattern(QStringLiteral("STATUS=listening on [0-9.]+:([0-9]+)"));
    return quint16(pattern.match(QString::fromUtf8(message)).captured(1).toUInt());
}

// A credential as systemd's LoadCredential= leaves it in $CREDENTIALS_DIRECTORY.
bool writeCredential(const QTemporaryDir &dir, const char *name, QByteArrayView content)
{
    QFile file(dir.filePath(QString::fromLatin1(name)));
    return file.open(QIODevice::WriteOnly) && file.write(content.data(), content.size()) == content.size();
}

// The state letter of /proc/PID/stat: 'T' once a SIGSTOP has taken effect.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return '?';
    const QByteArray line = stat.readAll();
    const qsizetype end = line.lastIndexOf(')');
    return end > 0 && end + 2 < line.size() ? line.at(end + 2) : '?';
}

int apiStatus(quint16 port, const QByteArray &key)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/sockets").arg(port)));
    request.setRawHeader("Authorization", "Bearer " + key);
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(10000))
        return -1;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

class TestSystemdIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readyWatchdogAndStopping();
    void journalLevels();
    void apiKeysFromCredentials();
    void shortCredentialKeyRefused();

private:
    void startService(QProcess &process, const QProcessEnvironment &environment);
};

void TestSystemdIntegration::startService(QProcess &process, const QProcessEnvironment &environment)
{
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PLUGBOARD_BIN), {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
}

void TestSystemdIntegration::readyWatchdogAndStopping()
{
    QTemporaryDir dir;
    NotifySocket systemd(dir.filePath(QStringLiteral("notify")));
    QVERIFY(systemd.isBound());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), systemd.path());
    environment.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("200000")); // a ping every 100 ms
    QProcess service;
    startService(service, environment);
    QTRY_COMPARE_WITH_TIMEOUT(systemd.count("READY=1"), 1, 20000);
    const quint16 port = portFromStatus(systemd.firstWith("READY=1"));
    QVERIFY2(port > 0, systemd.firstWith("READY=1").constData());
    QTRY_VERIFY_WITH_TIMEOUT(systemd.count("WATCHDOG=1") >= 3, 10000);

    // A stopped event loop stops the pings: that is what lets systemd restart a stuck service.
    ::kill(pid_t(service.processId()), SIGSTOP);
    QTRY_COMPARE_WITH_TIMEOUT(processState(service.processId()), 'T', 10000);
    QCoreApplication::processEvents(); // a datagram sent before the stop is already queued
    const int pingsWhileStopped = systemd.count("WATCHDOG=1");
    QTest::qWait(500); // time for five pings, had the process been running
    QCOMPARE(systemd.count("WATCHDOG=1"), pingsWhileStopped);
    ::kill(pid_t(service.processId()), SIGCONT);
    QTRY_VERIFY_WITH_TIMEOUT(systemd.count("WATCHDOG=1") > pingsWhileStopped, 10000);

    service.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(systemd.count("STOPPING=1"), 1, 10000);
    QVERIFY(service.waitForFinished(30000));
    QCOMPARE(service.exitStatus(), QProcess::NormalExit);
    QCOMPARE(service.exitCode(), 0);
    QCOMPARE(systemd.count("READY=1"), 1);
}

void TestSystemdIntegration::journalLevels()
{
    QTemporaryDir dir;
    const QString logPath = dir.filePath(QStringLiteral("journal"));
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::WriteOnly));
    struct stat status = {};
    QCOMPARE(::fstat(log.handle(), &status), 0);
    NotifySocket systemd(dir.filePath(QStringLiteral("notify")));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), systemd.path());
    environment.insert(QStringLiteral("JOURNAL_STREAM"), QStringLiteral("%1:%2").arg(status.st_dev).arg(status.st_ino));
    environment.remove(QStringLiteral("PLUGBOARD_API_KEY"));
    QProcess service;
    service.setStandardErrorFile(logPath, QIODevice::Append);
    startService(service, environment);
    QTRY_COMPARE_WITH_TIMEOUT(systemd.count("READY=1"), 1, 20000);
    service.terminate();
    QVERIFY(service.waitForFinished(30000));

    QFile written(logPath);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = written.readAll().trimmed().split('\n');
    // No API key: a warning (<4>); listening and stopping: information (<6>); no timestamps.
    QVERIFY2(lines.size() >= 3, qPrintable(lines.join('\n')));
    bool warning = false;
    bool info = false;
    for (const QByteArray &line : lines) {
        QVERIFY2(line.startsWith('<') && line.at(2) == '>', line.constData());
        QVERIFY2(!QChar::fromLatin1(line.at(3)).isDigit(), line.constData());
        warning |= line.startsWith("<4>WARNING ") && line.contains("no API key configured");
        info |= line.startsWith("<6>INFO ") && line.contains("listening on");
    }
    QVERIFY2(warning && info, qPrintable(lines.join('\n')));
}

void TestSystemdIntegration::apiKeysFromCredentials()
{
    QTemporaryDir dir;
    QVERIFY(writeCredential(dir, "api-keys", "first-key-0123456789\nsecond-key-0123456789\n"));
    NotifySocket systemd(dir.filePath(QStringLiteral("notify")));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), systemd.path());
    environment.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), dir.path());
    environment.remove(QStringLiteral("PLUGBOARD_API_KEY"));
    QProcess service;
    startService(service, environment);
    QTRY_COMPARE_WITH_TIMEOUT(systemd.count("READY=1"), 1, 20000);
    const quint16 port = portFromStatus(systemd.firstWith("READY=1"));
    QCOMPARE(apiStatus(port, "second-key-0123456789"), 200);
    QCOMPARE(apiStatus(port, "first-key-0123456789"), 200);
    QCOMPARE(apiStatus(port, "another-key-0123456789"), 401);
    service.terminate();
    QVERIFY(service.waitForFinished(30000));
    QVERIFY(!service.readAllStandardError().contains("no API key configured"));
}

void TestSystemdIntegration::shortCredentialKeyRefused()
{
    QTemporaryDir dir;
    QVERIFY(writeCredential(dir, "api-keys", "short\n"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), dir.path());
    QProcess service;
    startService(service, environment);
    QVERIFY(service.waitForFinished(20000));
    QCOMPARE(service.exitCode(), 2);
    const QByteArray error = service.readAllStandardError();
    QVERIFY2(error.contains("api-keys: a key is too short"), error.constData());
}

QTEST_GUILESS_MAIN(TestSystemdIntegration)
#include "tst_systemdintegration.moc"
