// Plugboard::Client against real servers: plugboard-testapp and Node's socket.io 4.8.4 running
// the same conformance contract, over polling only, WebSocket only and polling with upgrade.
#include "clientwaits.h"
#include "serverprocess.h"

#include "client/engineclient.h"
#include "client/io.h"

#include <QtCore/QCborMap>
#include <QtCore/QPointer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <numeric>

using namespace Plugboard;
using Kind = ServerProcess::Kind;

Q_DECLARE_METATYPE(ServerProcess::Kind)

class TestIoClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_servers[2];

    ServerProcess *server(Kind kind) { return m_servers[int(kind)].get(); }

    static Io::ManagerOptions managerOptions(const QString &transport)
    {
        Io::ManagerOptions options;
        options.reconnectionDelay = 50;
        options.reconnectionDelayMax = 200;
        if (transport == QLatin1String("polling"))
            options.engine.transports = {QStringLiteral("polling")};
        else if (transport == QLatin1String("websocket"))
            options.engine.transports = {QStringLiteral("websocket")};
        return options;
    }

    // The server and transport of this data row, with a fresh Manager on it.
    struct Row
    {
        Kind kind;
        QString transport;
        QString url;
    };
    Row row(bool recovery = false)
    {
        QFETCH(ServerProcess::Kind, kind);
        QFETCH(QString, transport);
        ServerProcess *process = server(kind);
        if (!process)
            return {kind, transport, {}};
        return {kind, transport, recovery ? process->recoveryUrl() : process->url()};
    }

    // One row per server and transport ("upgrade": polling, then WebSocket).
    static void addRows(const QStringList &transports = {QStringLiteral("polling"), QStringLiteral("websocket"),
                                                         QStringLiteral("upgrade")})
    {
        QTest::addColumn<ServerProcess::Kind>("kind");
        QTest::addColumn<QString>("transport");
        for (Kind kind : {Kind::Plugboard, Kind::Node}) {
            for (const QString &transport : transports)
                QTest::addRow("%s/%s", qPrintable(ServerProcess::kindName(kind)), qPrintable(transport)) << kind << transport;
        }
    }

    static AckResult ack(Io::Socket *socket, const QString &event, const QCborArray &args = {}, int timeoutMs = 5000)
    {
        return waitForAck(socket, event, args, timeoutMs);
    }

    // With "upgrade", waits for the WebSocket to take over, so that whoami sees it.
    static bool waitTransport(Io::Manager *manager, const QString &transport)
    {
        const QString expected = transport == QLatin1String("polling") ? QStringLiteral("polling") : QStringLiteral("websocket");
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            if (manager->engine() && manager->engine()->transportName() == expected)
                return true;
            QTest::qWait(5);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (Kind kind : {Kind::Plugboard, Kind::Node}) {
            // Both servers, or a failure: half the rows skipped would still pass.
            const QString why = ServerProcess::unavailableReason(kind);
            QVERIFY2(why.isEmpty(), qPrintable(ServerProcess::kindName(kind) + QStringLiteral(": ") + why));
            auto process = std::make_unique<ServerProcess>(kind);
            QVERIFY2(process->startWithRecovery(), qPrintable(process->error()));
            m_servers[int(kind)] = std::move(process);
        }
    }

    void connectsAndReportsTransport_data() { addRows(); }
    void connectsAndReportsTransport()
    {
        const Row r = row();
        Io::ManagerOptions options = managerOptions(r.transport);
        options.engine.query = {{QStringLiteral("client"), QStringLiteral("qt")}};
        Io::Manager manager{QUrl(r.url), options};
        Io::Socket *socket = manager.socket(QStringLiteral("/"));
        QVERIFY(waitConnected(socket));
        QVERIFY(!socket->id().isEmpty());
        QVERIFY(socket->isActive());
        QVERIFY(waitTransport(&manager, r.transport));
        const AckResult whoami = ack(socket, QStringLiteral("whoami"));
        QVERIFY2(whoami.ok, qPrintable(whoami.error));
        const QCborMap info = whoami.args.at(0).toMap();
        QCOMPARE(info.value(QStringLiteral("id")).toString(), socket->id());
        QCOMPARE(info.value(QStringLiteral("engineId")).toString(), manager.engine()->id());
        QVERIFY(info.value(QStringLiteral("engineId")).toString() != socket->id());
        QCOMPARE(info.value(QStringLiteral("transport")).toString(), manager.engine()->transportName());
        QCOMPARE(info.value(QStringLiteral("query")).toMap().value(QStringLiteral("client")).toString(), QStringLiteral("qt"));
        QCOMPARE(info.value(QStringLiteral("query")).toMap().value(QStringLiteral("EIO")).toString(), QStringLiteral("4"));
    }

    void acksCarryBinaryAnywhere_data() { addRows(); }
    void acksCarryBinaryAnywhere()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        QByteArray big(70000, '\0');
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(i * 7);
        QCborMap nested;
        nested.insert(QStringLiteral("blob"), QByteArray("\x00\xff\x10", 3));
        nested.insert(QStringLiteral("list"), QCborArray{1, QByteArray(), QStringLiteral("é ☃")});
        const QCborArray args{QStringLiteral("text"), big, nested, 3.5, QCborValue(QCborValue::Null), true};
        const AckResult result = ack(socket, QStringLiteral("message-with-ack"), args);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.args, args);

        // And the server's emit with binary, to a listener.
        QCborArray received;
        socket->on(QStringLiteral("message-back"), [&received](const QCborArray &a, const Ack &) { received = a; });
        QVERIFY(socket->emitEvent(QStringLiteral("message"), {QByteArray("bytes"), QCborMap{{QStringLiteral("k"), QByteArray("v")}}}));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 5000);
        QCOMPARE(received.at(0).toByteArray(), QByteArray("bytes"));
        QCOMPARE(received.at(1).toMap().value(QStringLiteral("k")).toByteArray(), QByteArray("v"));
    }

    void answersServerAcks_data() { addRows(); }
    void answersServerAcks()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        int calls = 0;
        socket->on(QStringLiteral("question"), [&calls](const QCborArray &args, const Ack &reply) {
            ++calls;
            QVERIFY(reply.isRequested());
            reply(QCborArray{QString(QStringLiteral("answer to ") + args.at(0).toString()), QByteArray("\x01")});
            reply(QCborArray{QStringLiteral("a second call is ignored")});
        });
        QVERIFY(waitConnected(socket));
        const AckResult result = ack(socket, QStringLiteral("ask"), {QStringLiteral("life")});
        QVERIFY2(result.ok, qPrintable(result.error));
        const QCborMap outcome = result.args.at(0).toMap();
        QCOMPARE(outcome.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(outcome.value(QStringLiteral("answer")).toString(), QStringLiteral("answer to life"));
        QCOMPARE(calls, 1);
    }

    void ackTimesOut_data() { addRows(); }
    void ackTimesOut()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        // The contract ignores unknown events, so no acknowledgement ever comes.
        const AckResult result = ack(socket, QStringLiteral("nobody-answers"), {1}, 200);
        QVERIFY(!result.ok);
        QCOMPARE(result.error, QStringLiteral("operation has timed out"));
        QCOMPARE(socket->pendingAckCount(), 0);

        // Without a timeout the callback waits for the reply, as in Node.
        bool called = false;
        socket->emitEvent(QStringLiteral("message-with-ack"), {QStringLiteral("x")}, [&called](const AckResult &a) {
            called = a.ok && a.args == QCborArray{QStringLiteral("x")};
        });
        QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    }

    void refusedNamespacesGiveConnectError_data() { addRows(); }
    void refusedNamespacesGiveConnectError()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *refused = manager.socket(QStringLiteral("/private"));
        QSignalSpy errors(refused, &Io::Socket::connectError);
        QVERIFY(errors.wait(5000));
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("not authorized"));
        const QCborMap data = errors.at(0).at(1).value<QCborValue>().toMap();
        QCOMPARE(data.value(QStringLiteral("code")).toString(), QStringLiteral("E_AUTH"));
        QVERIFY(!refused->isActive());

        Io::Socket *unknown = manager.socket(QStringLiteral("/no-such-namespace"));
        QCborArray listenerArgs;
        unknown->on(QStringLiteral("connect_error"), [&listenerArgs](const QCborArray &a, const Ack &) { listenerArgs = a; });
        QTRY_COMPARE_WITH_TIMEOUT(listenerArgs.size(), 1, 5000);
        QCOMPARE(listenerArgs.at(0).toMap().value(QStringLiteral("message")).toString(), QStringLiteral("Invalid namespace"));

        // The refused namespaces leave the connection to the others alone; auth as a callback.
        Io::SocketOptions authorized;
        int asked = 0;
        authorized.authCallback = [&asked](const Io::SocketOptions::AuthReply &reply) {
            ++asked;
            reply(QCborMap{{QStringLiteral("token"), QStringLiteral("let-me-in")}});
        };
        Io::Socket *admitted = manager.socket(QStringLiteral("/custom"), {});
        QVERIFY(waitConnected(admitted));
        Io::Manager second{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *privateSocket = second.socket(QStringLiteral("/private"), authorized);
        QVERIFY(waitConnected(privateSocket));
        QCOMPARE(asked, 1);
        const AckResult whoami = ack(privateSocket, QStringLiteral("whoami"));
        QCOMPARE(whoami.args.at(0).toMap().value(QStringLiteral("auth")).toMap().value(QStringLiteral("token")).toString(),
                 QStringLiteral("let-me-in"));
    }

    void namespacesShareOneConnection_data() { addRows(); }
    void namespacesShareOneConnection()
    {
        const Row r = row();
        Io::ConnectOptions options;
        options.manager = managerOptions(r.transport);
        options.forceNew = true;
        QObject owner;
        Io::Socket *root = Io::connect(QUrl(r.url), options, &owner);
        options.forceNew = false;
        Io::Socket *custom = root->io()->socket(QStringLiteral("/custom"));
        QVERIFY(waitConnected(root));
        QVERIFY(waitConnected(custom));
        QCOMPARE(custom->io(), root->io());
        const QString rootEngine = ack(root, QStringLiteral("whoami")).args.at(0).toMap().value(QStringLiteral("engineId")).toString();
        const QCborMap customInfo = ack(custom, QStringLiteral("whoami")).args.at(0).toMap();
        QCOMPARE(customInfo.value(QStringLiteral("engineId")).toString(), rootEngine);
        QCOMPARE(customInfo.value(QStringLiteral("nsp")).toString(), QStringLiteral("/custom"));

        // io() with the namespace already taken makes a new connection, as socket.io-client.
        Io::Socket *again = Io::connect(QUrl(r.url), options, &owner);
        QVERIFY(again->io() != root->io() || again == root);
        QVERIFY(waitConnected(again));
    }

    void serverDisconnectIsFinal_data() { addRows(); }
    void serverDisconnectIsFinal()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        QSignalSpy disconnected(socket, &Io::Socket::disconnected);
        QSignalSpy reconnects(&manager, &Io::Manager::reconnectAttempt);
        socket->emitEvent(QStringLiteral("disconnect-me"));
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("io server disconnect"));
        QVERIFY(!socket->isActive());
        QTRY_COMPARE_WITH_TIMEOUT(manager.readyState(), Io::Manager::ReadyState::Closed, 5000);
        QCOMPARE(reconnects.size(), 0);
        // connect() brings it back by hand.
        socket->connect();
        QVERIFY(waitConnected(socket));
    }

    void transportLossReconnects_data() { addRows(); }
    void transportLossReconnects()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        QVERIFY(waitTransport(&manager, r.transport));
        const QString firstId = socket->id();
        QSignalSpy disconnected(socket, &Io::Socket::disconnected);
        QSignalSpy reconnected(&manager, &Io::Manager::reconnected);
        QSignalSpy connected(socket, &Io::Socket::connected);
        socket->emitEvent(QStringLiteral("drop-transport"));
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("transport close"));
        QVERIFY(socket->isActive());
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        QCOMPARE(reconnected.size(), 1);
        QVERIFY(socket->id() != firstId);
        QVERIFY(!socket->isRecovered());
        QVERIFY(ack(socket, QStringLiteral("whoami")).ok);
    }

    void clientDisconnectReachesServer_data() { addRows(); }
    void clientDisconnectReachesServer()
    {
        const Row r = row();
        Io::Manager observerManager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *observer = observerManager.socket();
        QVERIFY(waitConnected(observer));
        QVERIFY(ack(observer, QStringLiteral("join"), {QStringLiteral("observers")}).ok);
        QHash<QString, QString> reasons; // other tests' sockets leave this shared server too
        observer->on(QStringLiteral("peer-disconnect"), [&reasons](const QCborArray &a, const Ack &) {
            reasons.insert(a.at(0).toMap().value(QStringLiteral("id")).toString(),
                           a.at(0).toMap().value(QStringLiteral("reason")).toString());
        });

        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        const QString id = socket->id();
        QSignalSpy disconnected(socket, &Io::Socket::disconnected);
        socket->disconnect();
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("io client disconnect"));
        QTRY_VERIFY_WITH_TIMEOUT(reasons.contains(id), 5000);
        QCOMPARE(reasons.value(id), QStringLiteral("client namespace disconnect"));
        QCOMPARE(manager.readyState(), Io::Manager::ReadyState::Closed);
    }

    void sendBufferWaitsForConnection_data() { addRows(); }
    void sendBufferWaitsForConnection()
    {
        const Row r = row();
        Io::ManagerOptions options = managerOptions(r.transport);
        options.autoConnect = false;
        Io::Manager manager{QUrl(r.url), options};
        Io::Socket *socket = manager.socket();
        // 150 packets of 10 kB: 1.5 MB, beyond the server's maxPayload of 1 MB, so polling must
        // cut them into several POSTs.
        const QString payload(10000, QLatin1Char('x'));
        int acked = 0;
        QList<int> order;
        for (int i = 0; i < 150; ++i) {
            socket->emitEvent(QStringLiteral("message-with-ack"), {i, payload}, [&acked, &order](const AckResult &a) {
                ++acked;
                order.append(int(a.args.at(0).toInteger()));
            });
        }
        QCOMPARE(socket->sendBufferSize(), 150);
        socket->connect();
        QVERIFY(waitConnected(socket));
        QTRY_COMPARE_WITH_TIMEOUT(acked, 150, 45000); // 1.5 MB through polling on a loaded CI machine
        QList<int> expected(150);
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(order, expected);
        QVERIFY(socket->isConnected());
    }

    void volatileEventsNeverRepeat_data() { addRows(); }
    void volatileEventsNeverRepeat()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QList<qint64> ticks;
        qint64 done = -1;
        socket->on(QStringLiteral("volatile-tick"), [&ticks](const QCborArray &a, const Ack &) { ticks.append(a.at(0).toInteger()); });
        socket->on(QStringLiteral("volatile-done"), [&done](const QCborArray &a, const Ack &) { done = a.at(0).toInteger(); });
        QVERIFY(waitConnected(socket));
        QVERIFY(waitTransport(&manager, r.transport));
        socket->emitEvent(QStringLiteral("volatile-burst"), {200});
        QTRY_COMPARE_WITH_TIMEOUT(done, 200, 5000);
        // Some may be dropped (polling has no request waiting most of the time), never repeated
        // or reordered.
        for (qsizetype i = 1; i < ticks.size(); ++i)
            QVERIFY(ticks.at(i) > ticks.at(i - 1));
        QVERIFY(ticks.size() <= 200);
        // A volatile emit while disconnected is dropped, not buffered.
        socket->disconnect();
        socket->emitVolatile(QStringLiteral("message"), {1});
        QCOMPARE(socket->sendBufferSize(), 0);
    }

    void catchAllListeners_data() { addRows(); }
    void catchAllListeners()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QStringList seen;
        const auto any = socket->onAny([&seen](const QString &event, const QCborArray &) { seen.append(QStringLiteral("any:") + event); });
        socket->prependAny([&seen](const QString &event, const QCborArray &) { seen.append(QStringLiteral("first:") + event); });
        socket->on(QStringLiteral("message-back"), [&seen](const QCborArray &, const Ack &) { seen.append(QStringLiteral("on")); });
        QStringList outgoing;
        socket->onAnyOutgoing([&outgoing](const QString &event, const QCborArray &args) {
            outgoing.append(event + QLatin1Char(':') + QString::number(args.size()));
        });
        QVERIFY(waitConnected(socket));
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("any:auth")), 5000);
        seen.clear();
        socket->emitEvent(QStringLiteral("message"), {1, 2});
        QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 3, 5000);
        QCOMPARE(seen, (QStringList{QStringLiteral("first:message-back"), QStringLiteral("any:message-back"), QStringLiteral("on")}));
        QCOMPARE(outgoing, QStringList{QStringLiteral("message:2")});
        socket->offAny(any);
        seen.clear();
        socket->emitEvent(QStringLiteral("message"), {3});
        QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2, 5000);
        QCOMPARE(seen, (QStringList{QStringLiteral("first:message-back"), QStringLiteral("on")}));

        // Reserved names are refused with Node's error, and nothing is sent.
        outgoing.clear();
        QVERIFY(!socket->emitEvent(QStringLiteral("disconnect")));
        QCOMPARE(socket->lastError(), QStringLiteral("\"disconnect\" is a reserved event name"));
        const AckResult refused = socket->emitWithAck(QStringLiteral("connect")).result();
        QVERIFY(!refused.ok);
        QCOMPARE(refused.error, QStringLiteral("\"connect\" is a reserved event name"));
        QVERIFY(outgoing.isEmpty());
    }

    void retriesUntilAcknowledged_data() { addRows(); }
    void retriesUntilAcknowledged()
    {
        const Row r = row();
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::SocketOptions options;
        options.retries = 2;
        options.ackTimeout = 150;
        Io::Socket *socket = manager.socket(QStringLiteral("/"), options);
        int sends = 0;
        socket->onAnyOutgoing([&sends](const QString &event, const QCborArray &) {
            if (event == QLatin1String("nobody-answers"))
                ++sends;
        });
        QVERIFY(waitConnected(socket));
        AckResult failed;
        bool failedDone = false;
        socket->emitEvent(QStringLiteral("nobody-answers"), {}, [&](const AckResult &a) { failed = a; failedDone = true; });
        AckResult answered;
        bool answeredDone = false;
        socket->emitEvent(QStringLiteral("message-with-ack"), {QStringLiteral("queued")}, [&](const AckResult &a) {
            answered = a;
            answeredDone = true;
        });
        // One at a time: the second waits until the first has given up after 1 + 2 tries.
        QTRY_VERIFY_WITH_TIMEOUT(failedDone, 5000);
        QCOMPARE(failed.error, QStringLiteral("operation has timed out"));
        QCOMPARE(sends, 3);
        QTRY_VERIFY_WITH_TIMEOUT(answeredDone, 5000);
        QVERIFY(answered.ok);
        QCOMPARE(answered.args, QCborArray{QStringLiteral("queued")});
        QCOMPARE(socket->queuedPacketCount(), 0);
    }

    void recoversMissedEvents_data() { addRows(); }
    void recoversMissedEvents()
    {
        const Row r = row(true);
        Io::Manager manager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *socket = manager.socket();
        QList<QCborMap> roomEvents;
        socket->on(QStringLiteral("room-event"), [&roomEvents](const QCborArray &a, const Ack &) { roomEvents.append(a.at(0).toMap()); });
        QVERIFY(waitConnected(socket));
        QVERIFY(!socket->pid().isEmpty());
        QVERIFY(ack(socket, QStringLiteral("join"), {QStringLiteral("news")}).ok);
        Io::Manager otherManager{QUrl(r.url), managerOptions(r.transport)};
        Io::Socket *other = otherManager.socket();
        QVERIFY(waitConnected(other));
        QVERIFY(ack(other, QStringLiteral("room-emit"), {QStringLiteral("news"), QStringLiteral("before")}).ok);
        QTRY_COMPARE_WITH_TIMEOUT(roomEvents.size(), 1, 5000);
        QVERIFY(!socket->lastOffset().isEmpty());

        const QString id = socket->id();
        QSignalSpy disconnected(socket, &Io::Socket::disconnected);
        // Reconnection waits until the missed event has been sent.
        manager.setReconnectionDelay(100000);
        manager.setReconnectionDelayMax(100000);
        socket->emitEvent(QStringLiteral("drop-transport"));
        QVERIFY(disconnected.wait(5000));
        QVERIFY(ack(other, QStringLiteral("room-emit"), {QStringLiteral("news"), QStringLiteral("while away")}).ok);
        manager.setReconnectionDelay(10);
        manager.setReconnectionDelayMax(10);
        manager.close();
        QSignalSpy connected(socket, &Io::Socket::connected);
        socket->connect();
        QVERIFY(connected.wait(10000));
        QVERIFY(socket->isRecovered());
        QCOMPARE(socket->id(), id);
        QTRY_COMPARE_WITH_TIMEOUT(roomEvents.size(), 2, 5000);
        QCOMPARE(roomEvents.at(1).value(QStringLiteral("payload")).toString(), QStringLiteral("while away"));
        const QCborMap info = ack(socket, QStringLiteral("whoami")).args.at(0).toMap();
        QCOMPARE(info.value(QStringLiteral("recovered")).toBool(), true);
        QVERIFY(info.value(QStringLiteral("rooms")).toArray().contains(QStringLiteral("news")));
    }

    void detectsDeadServerAndComesBack_data() { addRows({QStringLiteral("polling"), QStringLiteral("websocket")}); }
    void detectsDeadServerAndComesBack()
    {
        QFETCH(ServerProcess::Kind, kind);
        QFETCH(QString, transport);
        ServerProcess process(kind);
        QVERIFY2(process.start(), qPrintable(process.error()));
        Io::Manager manager{QUrl(process.url()), managerOptions(transport)};
        Io::Socket *socket = manager.socket();
        QVERIFY(waitConnected(socket));
        QSignalSpy disconnected(socket, &Io::Socket::disconnected);
        // A frozen server answers no ping: pingInterval + pingTimeout is 500 ms.
        process.freeze();
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("ping timeout"));
        const quint16 port = process.port();
        process.stop();
        // A restarted server on the same port: the client finds it on its own.
        QSignalSpy reconnected(&manager, &Io::Manager::reconnected);
        QVERIFY2(process.start({}, port), qPrintable(process.error()));
        QVERIFY(reconnected.wait(10000) || reconnected.size() == 1);
        QVERIFY(waitConnected(socket));
        QVERIFY(ack(socket, QStringLiteral("whoami")).ok);
    }

    void thousandClientsInOneProcess_data() { addRows({QStringLiteral("websocket"), QStringLiteral("polling")}); }
    void thousandClientsInOneProcess()
    {
        QFETCH(ServerProcess::Kind, kind);
        QFETCH(QString, transport);
        // Its own server, with a heartbeat that a thousand polling clients in one thread can
        // keep (the contract's 300 + 200 ms is for the conformance suites).
        ServerProcess process(kind);
        QVERIFY2(process.start({QStringLiteral("--ping-interval"), QStringLiteral("5000"),
                                QStringLiteral("--ping-timeout"), QStringLiteral("5000")}),
                 qPrintable(process.error()));
        const Row r{kind, transport, process.url()};
        constexpr int Clients = 1000;
        std::vector<std::unique_ptr<Io::Manager>> managers;
        int connected = 0;
        int acked = 0;
        for (int i = 0; i < Clients; ++i) {
            managers.push_back(std::make_unique<Io::Manager>(QUrl(r.url), managerOptions(r.transport)));
            Io::Socket *socket = managers.back()->socket();
            QObject::connect(socket, &Io::Socket::connected, socket, [socket, i, &connected, &acked] {
                ++connected;
                socket->emitEvent(QStringLiteral("message-with-ack"), {i}, [i, &acked](const AckResult &a) {
                    if (a.ok && a.args == QCborArray{i})
                        ++acked;
                });
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(connected, Clients, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(acked, Clients, 60000);
        // Each connected once: no connection was lost on the way.
        QCOMPARE(connected, Clients);
    }
};

QTEST_GUILESS_MAIN(TestIoClient)
#include "tst_ioclient.moc"
