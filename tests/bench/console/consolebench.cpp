// plugboard-console-bench: how the console holds up under load. The real console window
// (offscreen unless a display is set) embeds the server; plugboard-loadgen (its "steady"
// scenario, in its own process so that each side has the whole file descriptor limit) connects
// --sockets WebSocket clients and, once all are in, emits --rate events per second for
// --seconds. Meanwhile a 10 ms timer in the GUI thread measures how late the event loop runs
// (p50/p99/max) and the process's resident memory is sampled every second.
//
//   plugboard-console-bench --sockets 10000 --rate 5000 --seconds 20
//
// With --attach the server is `plugboard --headless` (beside this program) in a process of its
// own, instrumented for the admin-ui protocol, and the console watches it as a remote server.

#include <connectionsmodel.h>
#include <connectionspage.h>
#include <emitcomposer.h>
#include <roomspage.h>
#include <consolesettings.h>
#include <eventlogmodel.h>
#include <mainwindow.h>
#include <remotebackend.h>
#include <serverrunner.h>
#include <statshistory.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QMetaEnum>
#include <QtCore/QProcess>
#include <QtCore/QUrl>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QListWidget>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

using namespace Plugboard;

namespace {

qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/statm"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    return status.readAll().split(' ').value(1).toLongLong() * 4096;
}

void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void say(const char *format, auto... args)
{
    std::printf(format, args...);
    std::printf("\n");
    std::fflush(stdout);
}

// Lateness of a periodic timer, in milliseconds, per phase; also the worst lateness seen while
// each page of the window was the current one.
class LatencyProbe : public QObject
{
public:
    void setPage(int page) { m_page = page; }
    void startWindow() { m_windowWorst = 0; }
    double windowWorst() const { return m_windowWorst; }
    double worstOnPage(int page) const { return m_worstByPage.value(page, 0.0); }

    explicit LatencyProbe(QObject *parent) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0) {
                const double late = double(now - m_last) / 1e6 - 10.0;
                m_samples.append(late);
                m_worstByPage[m_page] = qMax(m_worstByPage.value(m_page, 0.0), late);
                m_windowWorst = qMax(m_windowWorst, late);
            }
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    void reset()
    {
        m_samples.clear();
        m_worstByPage.clear();
        m_last = 0;
    }
    QString report() const
    {
        if (m_samples.isEmpty())
            return QStringLiteral("no samples");
        QList<double> sorted = m_samples;
        std::sort(sorted.begin(), sorted.end());
        const auto at = [&](double q) { return qMax(0.0, sorted.at(qMin(sorted.size() - 1, qsizetype(q * sorted.size())))); };
        return QStringLiteral("p50 %1 ms, p99 %2 ms, max %3 ms (%4 ticks)")
            .arg(at(0.50), 0, 'f', 2)
            .arg(at(0.99), 0, 'f', 2)
            .arg(qMax(0.0, sorted.last()), 0, 'f', 2)
            .arg(sorted.size());
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    QList<double> m_samples;
    QHash<int, double> m_worstByPage;
    int m_page = -1;
    double m_windowWorst = 0;
};

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1");
    raiseFileLimit();
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption socketsOption(QStringLiteral("sockets"), QStringLiteral("Clients (default 10000)."), QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Events per second (default 5000)."), QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Measured seconds (default 20)."), QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption loadgenOption(QStringLiteral("loadgen"), QStringLiteral("The load generator (default: plugboard-loadgen beside this program)."),
                                           QStringLiteral("path"), QCoreApplication::applicationDirPath() + QStringLiteral("/plugboard-loadgen"));
    parser.addOptions({socketsOption, rateOption, secondsOption, loadgenOption});
    parser.addHelpOption();
    const QCommandLineOption attachOption(QStringLiteral("attach"),
                                          QStringLiteral("Watch plugboard --headless over the admin-ui protocol instead of embedding the server."));
    parser.addOption(attachOption);
    parser.process(app);
    const bool attached = parser.isSet(attachOption);
    const int sockets = parser.value(socketsOption).toInt();
    const int rate = parser.value(rateOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    if (sockets <= 0 || rate < 0 || seconds <= 0) {
        say("--sockets and --seconds must be positive and --rate not negative");
        return 2;
    }

    ConsoleSettings settings;
    ServerRunner embedded;
    ServiceConfig config;
    config.port = 0;
    // Attached: the server is another process; the console learns its port from its log.
    QProcess headless;
    QTemporaryFile adminConfig;
    quint16 serverPort = 0;
    qint64 serverPid = QCoreApplication::applicationPid();
    std::unique_ptr<RemoteBackend> remote;
    if (attached) {
        if (!adminConfig.open()
            || adminConfig.write(R"({"admin": {"auth": false, "serverId": "bench"}, "namespaces": [{"name": "/"}]})") < 0) {
            say("cannot write the server's config");
            return 1;
        }
        adminConfig.flush();
        headless.setProcessChannelMode(QProcess::MergedChannels);
        headless.start(QCoreApplication::applicationDirPath() + QStringLiteral("/plugboard"),
                       {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"),
                        adminConfig.fileName()});
        static const QRegularExpression ready(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
        QByteArray output;
        QElapsedTimer waited;
        waited.start();
        while (serverPort == 0 && waited.elapsed() < 15000 && headless.waitForReadyRead(15000)) {
            output += headless.readAll();
            if (const QRegularExpressionMatch match = ready.match(QString::fromUtf8(output)); match.hasMatch())
                serverPort = quint16(match.captured(1).toUInt());
        }
        if (serverPort == 0) {
            say("plugboard --headless did not start: %s", output.constData());
            return 1;
        }
        QObject::connect(&headless, &QProcess::readyRead, &app, [&headless] { headless.readAll(); });
        serverPid = headless.processId();
        AttachProfile profile;
        profile.serverUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort));
        profile.webSocketOnly = true;
        remote = std::make_unique<RemoteBackend>(profile);
    }
    ConsoleBackend &runner = remote ? static_cast<ConsoleBackend &>(*remote) : embedded;
    MainWindow window(&runner, &settings, config);
    window.showPage(MainWindow::ConnectionsTab);
    window.show();

    const qint64 baseline = residentBytes();
    LatencyProbe probe(&app);
    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    qint64 shownAt = 0;
    qint64 memoryConnected = 0;
    qint64 memoryPeak = 0;
    qint64 memoryMeasureStart = 0;
    quint64 eventsInAtStart = 0;
    qint64 steadyStart = 0;
    QString rampLatency;
    QByteArray loadMetrics;
    int exitCode = 0;

    QTimer memorySampler;
    memorySampler.setInterval(1000);
    QObject::connect(&memorySampler, &QTimer::timeout, &app, [&] { memoryPeak = qMax(memoryPeak, residentBytes()); });
    memorySampler.start();

    // While measuring, every page of the window takes its turn for a second, as an operator
    // looking around would: on the Connections page a socket is selected so that the details
    // dock shows its live timeline; on the Rooms page the room every socket joined is selected,
    // so its member list holds them all.
    const QString everyoneRoom = QStringLiteral("bench-everyone");
    QTimer pageCycler;
    pageCycler.setInterval(1000);
    int pageTurn = 0;
    const QMetaEnum pages = QMetaEnum::fromType<MainWindow::Page>();
    QObject::connect(&pageCycler, &QTimer::timeout, &app, [&] {
        const auto page = MainWindow::Page(pages.value(pageTurn++ % pages.keyCount()));
        probe.setPage(page);
        window.showPage(page);
        if (page == MainWindow::ConnectionsTab && window.connectionsModel()->rowCount() > 0)
            window.connectionsPage()->selectSocket(
                window.connectionsModel()->index(pageTurn % window.connectionsModel()->rowCount(), 0).data(ConnectionsModel::KeyRole).toString());
        if (page == MainWindow::RoomsTab)
            window.roomsPage()->selectRoom(QStringLiteral("/"), everyoneRoom);
    });

    // Halfway through, the operator emits to the whole namespace from the composer and waits for
    // every client's acknowledgement; the replies are listed under the emit.
    EmitComposer *composer = window.emitComposer();
    QElapsedTimer emitClock;
    QString emitReport = QStringLiteral("not sent");
    const auto emitToEveryone = [&] {
        composer->setNamespaceTarget(QStringLiteral("/"));
        composer->findChild<QLineEdit *>(QStringLiteral("emitEventName"))->setText(QStringLiteral("bench-ping"));
        composer->findChild<QCheckBox *>(QStringLiteral("emitAck"))->setChecked(true);
        probe.startWindow();
        emitClock.start();
        composer->send();
        emitReport = QStringLiteral("no answer");
    };
    QObject::connect(composer, &EmitComposer::answered, &app, [&](quint64, const ControlResult &result) {
        const qint64 took = emitClock.elapsed();
        const QTreeWidgetItem *shown = composer->results()->topLevelItem(0);
        // Give the views a second to show the replies before reading the worst lateness.
        QTimer::singleShot(1000, &app, [&, took, replies = result.responses.size(), message = result.message,
                                        rows = shown ? shown->childCount() : -1] {
            emitReport = QStringLiteral("%1 replies in %2 ms (%3), %4 reply rows shown; worst GUI lateness meanwhile %5 ms")
                             .arg(replies).arg(took).arg(message).arg(rows).arg(probe.windowWorst(), 0, 'f', 1);
        });
    });

    QObject::connect(&runner, &ConsoleBackend::startFailed, &app, [&](const QString &error) {
        say("server did not start: %s", qPrintable(error));
        app.exit(1);
    });
    QObject::connect(&runner, &ConsoleBackend::started, &app, [&] {
        if (!attached)
            serverPort = embedded.port();
        say("console bench: %d sockets, %d events/s, %d s; server on port %d%s", sockets, rate, seconds, serverPort,
            attached ? " (plugboard --headless, watched over the admin-ui protocol)" : "");
        clock.start();
        probe.reset();
        load.start(parser.value(loadgenOption),
                   {QStringLiteral("--scenario"), QStringLiteral("steady"), QStringLiteral("--label"), QStringLiteral("console"),
                    QStringLiteral("--port"), QString::number(serverPort), QStringLiteral("--pid"),
                    QString::number(serverPid), QStringLiteral("--conns"), QString::number(sockets),
                    QStringLiteral("--rate"), QString::number(rate), QStringLiteral("--warmup"), QStringLiteral("2"),
                    QStringLiteral("--duration"), QString::number(seconds), QStringLiteral("--ramp-timeout"), QStringLiteral("120")});
    });
    QObject::connect(window.connectionsModel(), &QAbstractItemModel::rowsInserted, &app, [&] {
        if (shownAt == 0 && window.connectionsModel()->rowCount() >= sockets) {
            shownAt = clock.elapsed();
            say("console shows all %d sockets after %lld ms", sockets, shownAt);
            QStringList ids;
            for (int row = 0; row < window.connectionsModel()->rowCount(); ++row)
                ids.append(window.connectionsModel()->index(row, 0).data(ConnectionsModel::SocketIdRole).toString());
            runner.joinRoom(QStringLiteral("/"), ids, everyoneRoom);
        }
    });
    QObject::connect(&load, &QProcess::errorOccurred, &app, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            say("cannot start the load generator %s: %s", qPrintable(load.program()), qPrintable(load.errorString()));
            app.exit(1);
        }
    });
    // After the measured window the generator keeps its connections until its stdin closes;
    // then all of them disconnect at once and the console has to take them out.
    QElapsedTimer teardownClock;
    qint64 teardownMs = -1;
    const auto reportTeardown = [&](bool complete) {
        say("mass disconnect: %s after %lld ms; worst GUI lateness until a second later %.1f ms",
            complete ? "all rows gone" : "rows still shown", complete ? teardownMs : teardownClock.elapsed(), probe.windowWorst());
        say("memory (RSS) after the disconnect: %.1f MB", residentBytes() / 1048576.0);
        app.exit(complete ? exitCode : 1);
    };
    // Reported a second after the last row goes, so that a stall while removing it shows.
    const auto checkAllGone = [&] {
        if (teardownClock.isValid() && window.connectionsModel()->rowCount() == 0 && teardownMs < 0) {
            teardownMs = teardownClock.elapsed();
            QTimer::singleShot(1000, &app, [&] { reportTeardown(true); });
        }
    };
    QObject::connect(window.connectionsModel(), &QAbstractItemModel::rowsRemoved, &app, checkAllGone);
    QObject::connect(window.connectionsModel(), &QAbstractItemModel::layoutChanged, &app, checkAllGone);
    const auto reportSteady = [&] {
        pageCycler.stop();
        const double elapsed = double(clock.elapsed() - steadyStart) / 1000.0;
        const ServerStats &stats = window.statsHistory()->latest();
        say("ramp-up  GUI timer lateness: %s", qPrintable(rampLatency));
        say("steady   GUI timer lateness: %s", qPrintable(probe.report()));
        say("events in at the server: %.0f/s over %.1f s; event log rows %d, dropped %llu",
            double(stats.eventsIn - eventsInAtStart) / elapsed, elapsed, window.eventLogModel()->rowCount(),
            static_cast<unsigned long long>(window.eventLogModel()->droppedCount()));
        QStringList worst;
        for (int i = 0; i < pages.keyCount(); ++i)
            worst.append(QStringLiteral("%1 %2 ms").arg(QLatin1String(pages.key(i))).arg(probe.worstOnPage(pages.value(i)), 0, 'f', 1));
        say("worst lateness per page: %s", qPrintable(worst.join(QStringLiteral(", "))));
        const auto *members = window.roomsPage()->findChild<QListWidget *>(QStringLiteral("roomMembers"));
        say("emit to all of / with acks: %s", qPrintable(emitReport));
        say("console rows: %d sockets; members listed for %s: %d", window.connectionsModel()->rowCount(), qPrintable(everyoneRoom),
            members ? members->count() : -1);
        say("memory (RSS): baseline %.1f MB, all connected %.1f MB, measuring from %.1f MB, peak %.1f MB, end %.1f MB",
            baseline / 1048576.0, memoryConnected / 1048576.0, memoryMeasureStart / 1048576.0, memoryPeak / 1048576.0,
            residentBytes() / 1048576.0);
        std::fputs(loadMetrics.constData(), stdout);
        probe.startWindow();
        teardownClock.start();
        load.closeWriteChannel();
        QTimer::singleShot(30000, &app, [&] { reportTeardown(false); });
    };
    QObject::connect(&load, &QProcess::readyReadStandardOutput, &app, [&] {
        while (load.canReadLine()) {
            const QByteArray line = load.readLine();
            const QList<QByteArray> fields = line.trimmed().split(' ');
            if (fields.first() == "READY") {
                memoryConnected = residentBytes();
                say("connected %s (failed %s) in %lld ms", fields.value(1).constData(), fields.value(2).constData(), clock.elapsed());

            } else if (fields.first() == "MEASURE") {
                // The ramp includes the 2 s warm-up, when every socket joins one room.
                rampLatency = probe.report();
                probe.reset();
                memoryMeasureStart = residentBytes();
                memoryPeak = memoryMeasureStart;
                eventsInAtStart = window.statsHistory()->latest().eventsIn;
                steadyStart = clock.elapsed();
                pageCycler.start();
                QTimer::singleShot(seconds * 500, &app, emitToEveryone);
            } else if (fields.first() == "DONE") {
                reportSteady();
            } else if (fields.first() == "METRIC" && (fields.value(2) == "events_per_s" || fields.value(2) == "connections")) {
                // The generator's CPU and RSS figures cover this whole process tree, itself included: not shown.
                loadMetrics += line;
            }
        }
    });
    QObject::connect(&load, &QProcess::finished, &app, [&](int code, QProcess::ExitStatus status) {
        if (status != QProcess::NormalExit || code != 0)
            exitCode = 1;
        if (!teardownClock.isValid()) {
            say("the load generator stopped before its figures were read (exit %d)", code);
            app.exit(1);
        }
    });
    if (remote)
        remote->attach();
    else
        embedded.start(config);
    const int result = app.exec();
    if (load.state() != QProcess::NotRunning) {
        load.kill();
        load.waitForFinished();
    }
    if (headless.state() != QProcess::NotRunning) {
        headless.terminate();
        if (!headless.waitForFinished(5000))
            headless.kill();
    }
    return result;
}
