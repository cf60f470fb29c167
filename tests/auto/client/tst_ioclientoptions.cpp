// Plugboard::Client's connection options against real servers: extraHeaders and
// withCredentials (the middleware example's API key and session cookie), TLS (the hub with a
// throwaway certificate), rememberUpgrade, path and the URL's query.
#include "clientwaits.h"
#include "serverprocess.h"

#include "client/engineclient.h"
#include "client/io.h"

#include <QtCore/QCborMap>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslCertificate>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Plugboard;

class TestIoClientOptions : public QObject
{
    Q_OBJECT

private:
    static Io::ManagerOptions transportOptions(const QString &transport)
    {
        Io::ManagerOptions options;
        options.reconnection = false;
        if (transport != QLatin1String("upgrade"))
            options.engine.transports = {transport};
        return options;
    }
    static void addTransportRows()
    {
        QTest::addColumn<QString>("transport");
        QTest::newRow("polling") << QStringLiteral("polling");
        QTest::newRow("websocket") << QStringLiteral("websocket");
        QTest::newRow("upgrade") << QStringLiteral("upgrade");
    }

private Q_SLOTS:
    void extraHeadersCarryTheApiKey_data() { addTransportRows(); }
    void extraHeadersCarryTheApiKey()
    {
        QFETCH(QString, transport);
        ServerProcess server(QStringList{QStringLiteral(PLUGBOARD_EXAMPLE_HTTPMIDDLEWARE)});
        QVERIFY2(server.start({QStringLiteral("--api-key"), QStringLiteral("s3cret")}), qPrintable(server.error()));

        Io::Manager refused{QUrl(server.url()), transportOptions(transport)};
        QSignalSpy errors(refused.socket(), &Io::Socket::connectError);
        QVERIFY(errors.wait(5000));
        QVERIFY(!refused.socket()->isConnected());

        Io::ManagerOptions options = transportOptions(transport);
        options.engine.extraHeaders = {{QByteArrayLiteral("x-api-key"), QByteArrayLiteral("s3cret")}};
        Io::Manager admitted{QUrl(server.url()), options};
        QVERIFY(waitConnected(admitted.socket()));
        QVERIFY(waitForAck(admitted.socket(), QStringLiteral("session")).ok);

        // The URL's query reaches the server too (the example also takes ?apiKey=).
        Io::Manager byQuery{QUrl(server.url() + QStringLiteral("/?apiKey=s3cret")), transportOptions(transport)};
        QVERIFY(waitConnected(byQuery.socket()));
    }

    void withCredentialsKeepsTheSessionCookie_data() { addTransportRows(); }
    void withCredentialsKeepsTheSessionCookie()
    {
        QFETCH(QString, transport);
        ServerProcess server(QStringList{QStringLiteral(PLUGBOARD_EXAMPLE_HTTPMIDDLEWARE)});
        QVERIFY2(server.start(), qPrintable(server.error()));
        for (const bool withCredentials : {true, false}) {
            Io::ManagerOptions options = transportOptions(transport);
            options.engine.withCredentials = withCredentials;
            Io::Manager manager{QUrl(server.url()), options};
            Io::Socket *socket = manager.socket();
            QVERIFY(waitConnected(socket));
            const QCborMap first = waitForAck(socket, QStringLiteral("session")).args.at(0).toMap();
            QCOMPARE(first.value(QStringLiteral("isNew")).toBool(), true);
            // A new Engine.IO session on the same Manager: the cookie jar outlives it.
            manager.close();
            QCOMPARE(manager.readyState(), Io::Manager::ReadyState::Closed);
            socket->connect();
            QVERIFY(waitConnected(socket));
            const QCborMap second = waitForAck(socket, QStringLiteral("session")).args.at(0).toMap();
            QCOMPARE(second.value(QStringLiteral("isNew")).toBool(), !withCredentials);
            QCOMPARE(second.value(QStringLiteral("id")) == first.value(QStringLiteral("id")), withCredentials);
        }
    }

    void tlsWithTheServersCertificate_data() { addTransportRows(); }
    void tlsWithTheServersCertificate()
    {
        QFETCH(QString, transport);
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl is not installed");
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                       QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        ServerProcess hub(QStringList{QStringLiteral(PLUGBOARD_BIN), QStringLiteral("--headless")});
        QVERIFY2(hub.start({QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key}), qPrintable(hub.error()));
        const QUrl url(QStringLiteral("https://127.0.0.1:%1").arg(hub.port()));

        // Unknown certificate: refused.
        Io::Manager untrusted{url, transportOptions(transport)};
        QSignalSpy errors(untrusted.socket(), &Io::Socket::connectError);
        QVERIFY(errors.wait(10000));

        // Trusted as a CA: connected, over TLS all the way.
        Io::ManagerOptions options = transportOptions(transport);
        options.engine.sslConfiguration.addCaCertificates(QSslCertificate::fromPath(cert));
        Io::Manager trusted{url, options};
        QVERIFY(waitConnected(trusted.socket()));
        if (transport != QLatin1String("polling"))
            QTRY_COMPARE_WITH_TIMEOUT(trusted.engine()->transportName(), QStringLiteral("websocket"), 10000);

        // rejectUnauthorized = false takes any certificate, as in Node.
        Io::ManagerOptions insecure = transportOptions(transport);
        insecure.engine.rejectUnauthorized = false;
        Io::Manager anyCertificate{url, insecure};
        QVERIFY(waitConnected(anyCertificate.socket()));
    }

    void rememberUpgradeStartsWithWebSocket()
    {
        if (!ServerProcess::unavailableReason(ServerProcess::Kind::Plugboard).isEmpty())
            QSKIP("plugboard-testapp is not built");
        ServerProcess server(ServerProcess::Kind::Plugboard);
        QVERIFY2(server.start(), qPrintable(server.error()));
        Io::ManagerOptions options;
        Io::Manager first{QUrl(server.url()), options};
        QSignalSpy upgraded(&first, &Io::Manager::upgraded);
        QVERIFY(upgraded.wait(10000));
        QVERIFY(Io::EngineClient::priorWebSocketSuccess());

        options.engine.rememberUpgrade = true;
        Io::Manager second{QUrl(server.url()), options};
        QVERIFY(waitConnected(second.socket()));
        QCOMPARE(second.engine()->transportName(), QStringLiteral("websocket"));
        const QCborMap info = waitForAck(second.socket(), QStringLiteral("whoami")).args.at(0).toMap();
        QCOMPARE(info.value(QStringLiteral("transport")).toString(), QStringLiteral("websocket"));

        // Without it: polling first again.
        options.engine.rememberUpgrade = false;
        Io::Manager third{QUrl(server.url()), options};
        QVERIFY(waitConnected(third.socket()));
        QCOMPARE(waitForAck(third.socket(), QStringLiteral("whoami")).args.at(0).toMap().value(QStringLiteral("transport")).toString(),
                 QStringLiteral("polling"));
    }

    void wrongPathIsAConnectError()
    {
        if (!ServerProcess::unavailableReason(ServerProcess::Kind::Plugboard).isEmpty())
            QSKIP("plugboard-testapp is not built");
        ServerProcess server(ServerProcess::Kind::Plugboard);
        QVERIFY2(server.start(), qPrintable(server.error()));
        Io::ManagerOptions options = transportOptions(QStringLiteral("polling"));
        options.engine.path = QStringLiteral("/not-socket.io");
        Io::Manager manager{QUrl(server.url()), options};
        QSignalSpy errors(manager.socket(), &Io::Socket::connectError);
        QVERIFY(errors.wait(5000));
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("xhr poll error"));
        // The raw Engine.IO endpoint of the contract is no Socket.IO server: no CONNECT answer.
        options.engine.path = QStringLiteral("/engine.io");
        options.timeout = 1500;
        Io::Manager raw{QUrl(server.url()), options};
        QSignalSpy rawConnected(raw.socket(), &Io::Socket::connected);
        QVERIFY(!rawConnected.wait(1000));
    }
};

QTEST_GUILESS_MAIN(TestIoClientOptions)
#include "tst_ioclientoptions.moc"
