// plugboard-console-tour: the real console window, driven through its own widgets into the
// states packaging/screenshots.sh photographs. It waits for --clients sockets, makes each
// join the room named by its handshake query (`?room=`), emits to a room with an ack, and
// then shows one page after another: for each it prints `SHOT <name>` and waits for a line
// on stdin before going on. `READY <port>` is printed once the server listens.

#include <connectionsmodel.h>
#include <connectionspage.h>
#include <consolesettings.h>
#include <emitcomposer.h>
#include <eventlogmodel.h>
#include <eventlogpage.h>
#include <mainwindow.h>
#include <roomsmodel.h>
#include <roomspage.h>
#include <remotebackend.h>
#include <serverrunner.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>

#include <cstdio>
#include <functional>
#include <memory>
#include <unistd.h>

using namespace Plugboard;

namespace {

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// Runs steps one after another; a step may wait for a condition or for the photographer.
class Tour : public QObject
{
public:
    Tour(MainWindow *window, int clients) : m_window(window), m_clients(clients)
    {
        m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
        m_stdin->setEnabled(false);
        connect(m_stdin, &QSocketNotifier::activated, this, [this] {
            char buffer[256];
            if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
                QApplication::quit();
                return;
            }
            m_stdin->setEnabled(false);
            next();
        });
    }

    void add(std::function<void()> step) { m_steps.append({std::move(step), {}, false}); }
    void waitUntil(std::function<bool()> condition) { m_steps.append({{}, std::move(condition), false}); }
    void pause(int ms)
    {
        m_steps.append({[this, ms] { QTimer::singleShot(ms, this, [this] { next(); }); }, {}, true});
    }
    void shoot(const QString &name)
    {
        m_steps.append({[this, name] {
                            say(QStringLiteral("SHOT ") + name);
                            m_stdin->setEnabled(true);
                        },
                        {},
                        true});
    }
    void start() { next(); }

private:
    struct Step
    {
        std::function<void()> run;
        std::function<bool()> until;
        bool resumesItself;
    };

    void next()
    {
        if (m_steps.isEmpty()) {
            say(QStringLiteral("DONE"));
            QApplication::quit();
            return;
        }
        const Step step = m_steps.takeFirst();
        if (step.until) {
            if (!step.until()) {
                m_steps.prepend(step);
                QTimer::singleShot(100, this, [this] { next(); });
                return;
            }
            QTimer::singleShot(0, this, [this] { next(); });
            return;
        }
        step.run();
        if (!step.resumesItself)
            QTimer::singleShot(0, this, [this] { next(); });
    }

    MainWindow *m_window;
    int m_clients;
    QSocketNotifier *m_stdin;
    QList<Step> m_steps;
};

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("plugboard-console"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (default 3000)."), QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption clientsOption(QStringLiteral("clients"), QStringLiteral("Sockets to wait for (default 6)."),
                                           QStringLiteral("count"), QStringLiteral("6"));
    const QCommandLineOption attachOption(QStringLiteral("attach"),
                                          QStringLiteral("Attach to this admin namespace URL instead of running a server; "
                                                         "screenshots are then named attached-*."),
                                          QStringLiteral("url"));
    parser.addOptions({portOption, clientsOption, attachOption});
    parser.process(app);
    const int clients = parser.value(clientsOption).toInt();
    const bool attached = parser.isSet(attachOption);
    const QString prefix = attached ? QStringLiteral("attached-") : QString();

    ServiceConfig config;
    config.port = quint16(parser.value(portOption).toUInt());
    ConsoleSettings settings;
    settings.setConfirmDestructiveActions(false);
    ServerRunner embedded;
    std::unique_ptr<RemoteBackend> remote;
    if (attached) {
        QString error;
        remote = std::make_unique<RemoteBackend>(AttachProfile::fromUrl(QUrl(parser.value(attachOption)), &error));
        if (!error.isEmpty()) {
            std::fprintf(stderr, "plugboard-console-tour: %s\n", qPrintable(error));
            return 2;
        }
    }
    ConsoleBackend &runner = attached ? static_cast<ConsoleBackend &>(*remote) : embedded;
    MainWindow window(&runner, &settings, config);
    window.resize(1280, 800);
    window.move(0, 0);
    window.show();

    Tour tour(&window, clients);
    ConnectionsModel *connections = window.connectionsModel();
    tour.waitUntil([&] { return runner.isRunning(); });
    tour.add([&] { say(QStringLiteral("READY %1").arg(attached ? config.port : embedded.port())); });
    tour.waitUntil([&] { return connections->rowCount() >= clients; });
    tour.add([&] {
        // Each socket joins the room its query names, through the Connections page.
        QHash<QString, QStringList> byRoom;
        for (const SocketInfo &socket : connections->rows()) {
            const QString room = socket.query.value(QStringLiteral("room")).toString();
            if (!room.isEmpty())
                byRoom[room].append(socket.id);
        }
        for (auto it = byRoom.cbegin(); it != byRoom.cend(); ++it) {
            QStringList keys;
            for (const QString &id : it.value())
                keys.append(QStringLiteral("/#") + id);
            window.connectionsPage()->selectSockets(keys);
            window.findChild<QLineEdit *>(QStringLiteral("connectionsRoom"))->setText(it.key());
            window.findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
        }
    });
    tour.waitUntil([&] { return !window.roomsModel()->publicRoomNames().isEmpty(); });
    tour.pause(15000); // let the charts and the log fill
    tour.add([&] {
        window.emitComposer()->setRoomTarget(QStringLiteral("/"), QStringLiteral("lobby"));
        window.findChild<QLineEdit *>(QStringLiteral("emitEventName"))->setText(QStringLiteral("announcement"));
        window.findChild<QPlainTextEdit *>(QStringLiteral("emitArguments"))
            ->setPlainText(QStringLiteral("[\n  \"Maintenance at 22:00 UTC\",\n  {\"severity\": \"info\", \"minutes\": 15}\n]"));
        // Acknowledgements through the admin namespace only where the server offers them.
        if (auto *ack = window.findChild<QCheckBox *>(QStringLiteral("emitAck")); ack->isEnabled())
            ack->setChecked(true);
        window.findChild<QPushButton *>(QStringLiteral("emitSendButton"))->click();
    });
    tour.pause(1500);
    tour.add([&] { window.showPage(MainWindow::DashboardTab); });
    tour.pause(500);
    tour.shoot(prefix + QStringLiteral("dashboard"));
    tour.add([&] {
        window.showPage(MainWindow::ConnectionsTab);
        QTableView *view = window.connectionsPage()->view();
        view->setCurrentIndex(view->model()->index(0, 0));
    });
    tour.pause(800);
    tour.shoot(prefix + QStringLiteral("connections"));
    tour.add([&] {
        window.showPage(MainWindow::RoomsTab);
        window.roomsPage()->selectRoom(QStringLiteral("/"), QStringLiteral("lobby"));
    });
    tour.pause(500);
    tour.shoot(prefix + QStringLiteral("rooms"));
    tour.add([&] {
        window.showPage(MainWindow::EventsTab);
        QTableView *view = window.eventLogPage()->view();
        window.findChild<QLineEdit *>(QStringLiteral("eventNameFilter"))->setText(QStringLiteral("chat"));
        view->setCurrentIndex(view->model()->index(view->model()->rowCount() - 1, 0));
    });
    tour.pause(500);
    tour.shoot(prefix + QStringLiteral("events"));
    tour.add([&] { window.showPage(MainWindow::EmitTab); });
    tour.pause(500);
    tour.shoot(prefix + QStringLiteral("emit"));
    if (!attached) {
        tour.add([&] { window.showPage(MainWindow::ServerTab); });
        tour.pause(300);
        tour.shoot(QStringLiteral("server"));
        embedded.start(config);
    } else {
        remote->attach();
    }
    tour.start();
    return app.exec();
}
