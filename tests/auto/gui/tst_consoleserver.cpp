// Server settings from the window: start and stop, errors shown in the window, the config
// file field, and the dashboard fed by live stats.

#include "consolefixture.h"

#include <configfile.h>
#include <dashboardpage.h>
#include <mainwindow.h>
#include <messagebanner.h>
#include <serverrunner.h>
#include <serversettingspage.h>
#include <timeserieschart.h>

#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>

using namespace Plugboard;

class tst_ConsoleServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void portInUseIsShownInTheWindow();
    void invalidHostIsShownInline();
    void stopAndStartAgain();
    void configFileField();
    void dashboardFollowsTraffic();

private:
    template<typename T>
    T *find(const QString &name) const
    {
        T *widget = m_console->window()->findChild<T *>(name);
        if (!widget)
            qFatal("no widget %s", qPrintable(name));
        return widget;
    }

    std::unique_ptr<ConsoleFixture> m_console;
};

void tst_ConsoleServer::initTestCase()
{
    QString why;
    // The test command installs the npm clients: without them the test fails, never passes.
    QVERIFY2(NodeClient::isAvailable(&why), qPrintable(why));
}

void tst_ConsoleServer::init()
{
    m_console = std::make_unique<ConsoleFixture>();
}

void tst_ConsoleServer::cleanup()
{
    m_console.reset();
}

void tst_ConsoleServer::portInUseIsShownInTheWindow()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QVERIFY(!m_console->start(squatter.serverPort()));
    QCOMPARE(m_console->runner()->state(), ServerRunner::State::Stopped);

    MessageBanner *banner = m_console->window()->banner();
    QVERIFY(!banner->isHidden());
    QCOMPARE(banner->level(), MessageBanner::Level::Error);
    QVERIFY2(banner->text().contains(QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QLatin1String("in use")), qPrintable(banner->text()));
    QVERIFY(m_console->window()->serverSettingsPage()->errorText().contains(QLatin1String("in use")));
    QVERIFY(find<QPushButton>(QStringLiteral("startButton"))->isEnabled());
    QVERIFY(!find<QPushButton>(QStringLiteral("stopButton"))->isEnabled());

    // Fix the port in the form and start from the window.
    find<QSpinBox>(QStringLiteral("portSpin"))->setValue(0);
    QSignalSpy started(m_console->runner(), &ServerRunner::started);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("startButton")), Qt::LeftButton);
    QVERIFY(started.wait(5000));
    QVERIFY(banner->isHidden());
    QVERIFY(m_console->window()->serverSettingsPage()->errorText().isEmpty());
    QVERIFY(m_console->connectClient());
}

void tst_ConsoleServer::invalidHostIsShownInline()
{
    QVERIFY(m_console->start());
    QSignalSpy stopped(m_console->runner(), &ServerRunner::stopped);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("stopButton")), Qt::LeftButton);
    QVERIFY(stopped.wait(5000));
    auto *host = find<QLineEdit>(QStringLiteral("hostEdit"));
    host->clear();
    QTest::keyClicks(host, QStringLiteral("not-an-address"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("startButton")), Qt::LeftButton);
    QVERIFY(m_console->window()->serverSettingsPage()->errorText().contains(QLatin1String("not-an-address")));
    QCOMPARE(m_console->runner()->state(), ServerRunner::State::Stopped);
}

void tst_ConsoleServer::stopAndStartAgain()
{
    QVERIFY(m_console->start());
    NodeClient *client = m_console->connectClient();
    QVERIFY(client);
    QTableView *connections = m_console->window()->findChild<QTableView *>(QStringLiteral("connectionsView"));
    QTRY_COMPARE(connections->model()->rowCount(), 1);

    QSignalSpy stopped(m_console->runner(), &ServerRunner::stopped);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("stopButton")), Qt::LeftButton);
    QVERIFY(stopped.wait(5000));
    QVERIFY(!client->waitForDisconnect().isEmpty());
    QCOMPARE(connections->model()->rowCount(), 0);
    QCOMPARE(find<QLabel>(QStringLiteral("serverState"))->text(), QStringLiteral("Stopped"));

    QSignalSpy started(m_console->runner(), &ServerRunner::started);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("startButton")), Qt::LeftButton);
    QVERIFY(started.wait(5000));
    QVERIFY(find<QLabel>(QStringLiteral("serverState"))->text().startsWith(QLatin1String("Listening on 127.0.0.1:")));
    QVERIFY(m_console->connectClient());
    QTRY_COMPARE(connections->model()->rowCount(), 1);
}

void tst_ConsoleServer::configFileField()
{
    QVERIFY(m_console->start());
    auto *field = find<QLineEdit>(QStringLiteral("configFileEdit"));
    auto *status = find<QLabel>(QStringLiteral("configStatus"));
    if (!configFilesSupported()) {
        QVERIFY(!field->isEnabled());
        QVERIFY(status->text().contains(QLatin1String("not supported")));
        return;
    }
    QVERIFY(field->isEnabled());
    QVERIFY(!m_console->window()->serverSettingsPage()->loadConfig(QStringLiteral("/nonexistent/plugboard.json")));
    QVERIFY(!status->text().isEmpty());
}

void tst_ConsoleServer::dashboardFollowsTraffic()
{
    QVERIFY(m_console->start());
    NodeClient *a = m_console->connectClient();
    NodeClient *b = m_console->connectClient();
    QVERIFY(a && b);
    DashboardPage *dashboard = m_console->window()->dashboardPage();
    QTRY_COMPARE(dashboard->tileText(QStringLiteral("sockets")), QStringLiteral("2"));
    a->emitEvent(QStringLiteral("tick"));
    QTRY_VERIFY(dashboard->tileText(QStringLiteral("events")).startsWith(QLatin1String("1 /")));
    QVERIFY(dashboard->tileText(QStringLiteral("memory")).contains(QLatin1String("B")));
    QCOMPARE(dashboard->tileText(QStringLiteral("cluster")), QStringLiteral("this server only"));
    // Samples are per second of server time.
    auto *chart = dashboard->findChild<TimeSeriesChart *>(QStringLiteral("connectionsChart"));
    QTRY_VERIFY_WITH_TIMEOUT(chart->sampleCount() >= 1, 5000);
    QVERIFY(!chart->grab().isNull());
}

QTEST_MAIN(tst_ConsoleServer)
#include "tst_consoleserver.moc"
