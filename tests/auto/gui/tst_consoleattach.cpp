// The console attached to remote servers over the admin-ui protocol: `plugboard --headless`
// with its admin block, and Node's socket.io 4.8 instrumented with the real
// @socket.io/admin-ui 0.5.1. Real windows (offscreen), real servers, real socket.io clients.

#include "../client/serverprocess.h"
#include "nodeclient.h"

#include <admin/passwordhash.h>
#include <attachdialog.h>
#include <connectionsmodel.h>
#include <connectionspage.h>
#include <consolesettings.h>
#include <eventlogmodel.h>
#include <mainwindow.h>
#include <messagebanner.h>
#include <remotebackend.h>
#include <roomsmodel.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtCore/QJsonObject>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Plugboard;

namespace {

const QString Password = QStringLiteral("secret");

// A server instrumented for the admin-ui protocol, with user admin / secret.
std::unique_ptr<ServerProcess> startInstrumented(const QString &kind, QTemporaryDir &dir, QString *error,
                                                 bool readonly = false)
{
    std::unique_ptr<ServerProcess> server;
    if (kind == QLatin1String("plugboard")) {
        QJsonObject admin{{QStringLiteral("auth"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("basic")},
                                       {QStringLiteral("username"), QStringLiteral("admin")},
                                       {QStringLiteral("password"), QString::fromLatin1(PasswordHash::hash(Password.toUtf8(), 4))}}},
                          {QStringLiteral("serverId"), QStringLiteral("hub-1")},
                          {QStringLiteral("readonly"), readonly}};
        QJsonObject config{{QStringLiteral("admin"), admin},
                           {QStringLiteral("namespaces"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("/")}}}}};
        QFile file(dir.filePath(QStringLiteral("plugboard.json")));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0) {
            *error = QStringLiteral("cannot write the config");
            return nullptr;
        }
        file.close();
        server = std::make_unique<ServerProcess>(QStringList{QStringLiteral(PLUGBOARD_BIN), QStringLiteral("--headless"),
                                                             QStringLiteral("--config"), file.fileName()});
    } else {
        server = std::make_unique<ServerProcess>(QStringList{QStandardPaths::findExecutable(QStringLiteral("node")),
                                                             QStringLiteral(PLUGBOARD_E2E_DIR "/servers/node-admin-server.js"),
                                                             QStringLiteral("--auth"), QStringLiteral("basic")});
        if (readonly)
            server = std::make_unique<ServerProcess>(QStringList{QStandardPaths::findExecutable(QStringLiteral("node")),
                                                                 QStringLiteral(PLUGBOARD_E2E_DIR "/servers/node-admin-server.js"),
                                                                 QStringLiteral("--auth"), QStringLiteral("basic"),
                                                                 QStringLiteral("--readonly")});
    }
    if (!server->start()) {
        *error = server->error();
        return nullptr;
    }
    return server;
}

AttachProfile profileFor(const ServerProcess &server, bool webSocketOnly, const QString &password = Password)
{
    AttachProfile profile;
    profile.serverUrl = QUrl(server.url());
    profile.username = QStringLiteral("admin");
    profile.password = password;
    profile.webSocketOnly = webSocketOnly;
    return profile;
}

} // namespace

class tst_ConsoleAttach : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void watchesAndDrives_data();
    void watchesAndDrives();
    void readonlyServerDisablesActions_data();
    void readonlyServerDisablesActions();
    void wrongCredentials_data();
    void wrongCredentials();
    void notInstrumented();
    void attachUrl();
    void attachDialogAndProfiles();

private:
    ConsoleSettings m_settings;
};

void tst_ConsoleAttach::initTestCase()
{
    QString why;
    QVERIFY2(NodeClient::isAvailable(&why), qPrintable(why));
    m_settings.setConfirmDestructiveActions(false);
}

void tst_ConsoleAttach::watchesAndDrives_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("webSocketOnly");
    for (const QString kind : {QStringLiteral("plugboard"), QStringLiteral("node")}) {
        QTest::newRow(qPrintable(kind + QStringLiteral(" polling"))) << kind << false;
        QTest::newRow(qPrintable(kind + QStringLiteral(" websocket"))) << kind << true;
    }
}

void tst_ConsoleAttach::watchesAndDrives()
{
    QFETCH(QString, kind);
    QFETCH(bool, webSocketOnly);
    QTemporaryDir dir;
    QString error;
    const auto server = startInstrumented(kind, dir, &error);
    QVERIFY2(server, qPrintable(error));

    auto *backend = new RemoteBackend(profileFor(*server, webSocketOnly));
    MainWindow window(backend, &m_settings, ServiceConfig());
    backend->setParent(&window);
    QVERIFY(!window.serverSettingsPage()); // nothing to start or stop remotely
    window.show();
    backend->attach();
    QTRY_VERIFY_WITH_TIMEOUT(backend->isRunning(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(backend->features().contains(QStringLiteral("JOIN")), 5000);
    // Acks through the admin namespace are Plugboard's extension; Node's side says why not.
    QCOMPARE(backend->capabilities().emitWithAck, kind == QLatin1String("plugboard"));
    if (kind == QLatin1String("node"))
        QVERIFY(backend->capabilities().emitWithAckWhyNot.contains(QLatin1String("EMIT_WITH_ACK")));

    NodeClient client;
    client.start(server->url());
    const QString id = client.waitForConnected();
    QVERIFY2(!id.isEmpty(), qPrintable(client.standardError()));
    const QString key = QStringLiteral("/#") + id;
    QTRY_VERIFY_WITH_TIMEOUT(window.connectionsModel()->find(key), 5000);
    QVERIFY(!window.connectionsModel()->find(QStringLiteral("/admin#") + id)); // the admin namespace is left out

    // join, emit to the room, leave, all as the console's actions send them.
    QSignalSpy finished(backend, &ConsoleBackend::actionFinished);
    backend->joinRoom(QStringLiteral("/"), {id}, QStringLiteral("vip"));
    QTRY_VERIFY_WITH_TIMEOUT(window.roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("vip"))), 5000);
    QTRY_VERIFY(window.connectionsModel()->find(key)->rooms.contains(QStringLiteral("vip")));
    QTRY_VERIFY(!finished.isEmpty());
    QVERIFY(finished.last().at(1).value<ControlResult>().ok);

    EmitRequest emit;
    emit.nsp = QStringLiteral("/");
    emit.target = EmitRequest::Target::Rooms;
    emit.rooms = {QStringLiteral("vip")};
    emit.event = QStringLiteral("announcement");
    emit.args = {QStringLiteral("hello vip")};
    backend->emitEvent(emit);
    const QJsonObject announced = client.waitForEvent(QStringLiteral("announcement"));
    QCOMPARE(announced.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("hello vip")});

    if (backend->capabilities().emitWithAck) {
        client.setAckReply({QStringLiteral("got it")});
        emit.target = EmitRequest::Target::Sockets;
        emit.socketIds = {id};
        emit.ackTimeoutMs = 3000;
        finished.clear();
        const quint64 ticket = backend->emitEvent(emit);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        QCOMPARE(finished.last().at(0).toULongLong(), ticket);
        const ControlResult result = finished.last().at(1).value<ControlResult>();
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.responses.size(), 1);
        QCOMPARE(result.responses.first().socketId, id);
        QCOMPARE(result.responses.first().args, QCborArray{QStringLiteral("got it")});
    } else {
        emit.ackTimeoutMs = 3000;
        finished.clear();
        backend->emitEvent(emit);
        QTRY_VERIFY(!finished.isEmpty());
        QVERIFY(!finished.last().at(1).value<ControlResult>().ok); // refused, with the reason
    }

    // The client's own event shows in the event log.
    client.emitEvent(QStringLiteral("chat"), {QStringLiteral("hi")});
    const auto logged = [&] {
        const EventLogModel *log = window.eventLogModel();
        for (int row = 0; row < log->rowCount(); ++row) {
            const EventRecord &r = log->record(row);
            if (r.kind == EventRecord::Kind::Received && r.event == QLatin1String("chat") && r.socketId == id)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(logged(), 5000);

    backend->leaveRoom(QStringLiteral("/"), {id}, QStringLiteral("vip"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("vip"))), 5000);

    // Disconnect a room: the socket goes, the client hears it from the server.
    backend->joinRoom(QStringLiteral("/"), {id}, QStringLiteral("doomed"));
    QTRY_VERIFY_WITH_TIMEOUT(window.roomsModel()->find(RoomsModel::keyFor(QStringLiteral("/"), QStringLiteral("doomed"))), 5000);
    backend->disconnectRoom(QStringLiteral("/"), QStringLiteral("doomed"), false);
    QCOMPARE(client.waitForDisconnect(), QStringLiteral("io server disconnect"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.connectionsModel()->find(key), 5000);

    // Connection loss marks the data stale; the console comes back by itself.
    QSignalSpy stale(backend, &ConsoleBackend::staleChanged);
    const quint16 port = server->port();
    server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!stale.isEmpty() && stale.last().at(0).toBool(), 10000);
    QTRY_VERIFY(window.banner()->isVisible());
    QVERIFY(server->start({}, port));
    QTRY_VERIFY_WITH_TIMEOUT(!stale.last().at(0).toBool(), 15000);
    QVERIFY(backend->isRunning());
}

void tst_ConsoleAttach::readonlyServerDisablesActions_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("plugboard") << QStringLiteral("plugboard");
    QTest::newRow("node") << QStringLiteral("node");
}

void tst_ConsoleAttach::readonlyServerDisablesActions()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QString error;
    const auto server = startInstrumented(kind, dir, &error, true);
    QVERIFY2(server, qPrintable(error));
    auto *backend = new RemoteBackend(profileFor(*server, true));
    MainWindow window(backend, &m_settings, ServiceConfig());
    backend->setParent(&window);
    window.show();
    backend->attach();
    QTRY_VERIFY_WITH_TIMEOUT(backend->isRunning(), 10000);
    NodeClient client;
    client.start(server->url());
    const QString id = client.waitForConnected();
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(window.connectionsModel()->find(QStringLiteral("/#") + id), 5000);
    window.connectionsPage()->selectSockets({QStringLiteral("/#") + id});
    window.findChild<QLineEdit *>(QStringLiteral("connectionsRoom"))->setText(QStringLiteral("vip"));
    for (const QString name : {QStringLiteral("joinRoomAction"), QStringLiteral("disconnectSocketAction"),
                               QStringLiteral("emitToSelectedAction")}) {
        QAction *action = window.findChild<QAction *>(name);
        QVERIFY(action);
        QTRY_VERIFY(!action->isEnabled());
        QVERIFY2(action->toolTip().contains(QLatin1String("read-only")), qPrintable(action->toolTip()));
    }
    QVERIFY(window.findChild<QAction *>(QStringLiteral("showDetailsAction"))->isEnabled());
    // Even asked directly, nothing is sent.
    QSignalSpy finished(backend, &ConsoleBackend::actionFinished);
    backend->joinRoom(QStringLiteral("/"), {id}, QStringLiteral("vip"));
    QVERIFY(finished.wait(5000));
    QVERIFY(!finished.first().at(1).value<ControlResult>().ok);
}

void tst_ConsoleAttach::wrongCredentials_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("plugboard") << QStringLiteral("plugboard");
    QTest::newRow("node") << QStringLiteral("node");
}

void tst_ConsoleAttach::wrongCredentials()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QString error;
    const auto server = startInstrumented(kind, dir, &error);
    QVERIFY2(server, qPrintable(error));
    auto *backend = new RemoteBackend(profileFor(*server, false, QStringLiteral("wrong")));
    MainWindow window(backend, &m_settings, ServiceConfig());
    backend->setParent(&window);
    window.show();
    QSignalSpy failed(backend, &ConsoleBackend::startFailed);
    backend->attach();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(0).toString().contains(QLatin1String("invalid credentials")),
             qPrintable(failed.first().at(0).toString()));
    QTRY_COMPARE(backend->state(), ConsoleBackend::State::Stopped);
    QVERIFY(window.banner()->isVisible());
}

void tst_ConsoleAttach::notInstrumented()
{
    // plugboard-testapp serves Socket.IO without an admin namespace.
    ServerProcess server(ServerProcess::Kind::Plugboard);
    QVERIFY2(server.start(), qPrintable(server.error()));
    AttachProfile profile;
    profile.serverUrl = QUrl(server.url());
    RemoteBackend backend(profile);
    QSignalSpy failed(&backend, &ConsoleBackend::startFailed);
    backend.attach();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(0).toString().contains(QLatin1String("not instrumented")),
             qPrintable(failed.first().at(0).toString()));
}

void tst_ConsoleAttach::attachUrl()
{
    QString error;
    AttachProfile profile = AttachProfile::fromUrl(QUrl(QStringLiteral("http://admin:pw@host:3000/ops")), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(profile.adminNamespace, QStringLiteral("/ops"));
    QCOMPARE(profile.username, QStringLiteral("admin"));
    QCOMPARE(profile.password, QStringLiteral("pw"));
    QCOMPARE(profile.adminUrl(), QUrl(QStringLiteral("http://host:3000/ops")));
    profile = AttachProfile::fromUrl(QUrl(QStringLiteral("http://host:3000")), &error);
    QCOMPARE(profile.adminNamespace, QStringLiteral("/admin"));
    AttachProfile::fromUrl(QUrl(QStringLiteral("ftp://host/admin")), &error);
    QVERIFY(error.contains(QLatin1String("http://")));
    error.clear();
    AttachProfile::fromUrl(QUrl(QStringLiteral("http://host:3000/")), &error);
    QVERIFY(error.isEmpty()); // "/" alone means the default namespace /admin
}

void tst_ConsoleAttach::attachDialogAndProfiles()
{
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    AttachProfile first;
    first.serverUrl = QUrl(QStringLiteral("http://10.0.0.1:3000"));
    first.username = QStringLiteral("ops");
    first.password = QStringLiteral("not saved");
    first.webSocketOnly = true;
    AttachProfile::save(store, first);
    AttachProfile second = first;
    second.serverUrl = QUrl(QStringLiteral("https://hub.example:443"));
    AttachProfile::save(store, second);
    AttachProfile::save(store, first); // again: moves to the front, no duplicate
    const QList<AttachProfile> saved = AttachProfile::loadSaved(store);
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved.first().label(), first.label());
    QVERIFY(saved.first().password.isEmpty());
    QVERIFY(saved.first().webSocketOnly);

    AttachDialog dialog(saved);
    QCOMPARE(dialog.profile().serverUrl, first.serverUrl); // the last one used fills the form
    QCOMPARE(dialog.profile().username, QStringLiteral("ops"));
    auto *profiles = dialog.findChild<QComboBox *>(QStringLiteral("attachProfiles"));
    QVERIFY(profiles);
    profiles->setCurrentIndex(2);
    QCOMPARE(dialog.profile().serverUrl, second.serverUrl);

    auto *server = dialog.findChild<QLineEdit *>(QStringLiteral("attachServer"));
    auto *nsp = dialog.findChild<QLineEdit *>(QStringLiteral("attachNamespace"));
    auto *error = dialog.findChild<QLabel *>(QStringLiteral("attachError"));
    QVERIFY(server && nsp && error);
    dialog.show();
    nsp->setText(QStringLiteral("/"));
    dialog.accept();
    QVERIFY(dialog.isVisible()); // refused, with the reason in the dialog
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QLatin1String("namespace")));
    nsp->setText(QStringLiteral("/admin"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

QTEST_MAIN(tst_ConsoleAttach)
#include "tst_consoleattach.moc"
