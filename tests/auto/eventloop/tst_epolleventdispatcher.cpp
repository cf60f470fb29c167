// EpollEventDispatcher as the main thread's dispatcher (installed in main() below): timers,
// socket notifiers with real sockets on 127.0.0.1, wake-ups from other threads, nested loops,
// and notifiers that go away while their socket is ready.

#include <eventloop/epolleventdispatcher.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace Plugboard;

class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isInstalled();
    void singleShotTimersFireInDeadlineOrder();
    void repeatingTimerKeepsItsPace();
    void timerBookkeeping();
    void killingATimerFromAnotherTimersHandler();
    void tcpEchoOverLoopback();
    void manySocketsAtOnce();
    void notifierDeletedBeforeItsTurn();
    void hangUpWakesTheReadNotifier();
    void postedEventsFromAnotherThreadWakeTheLoop();
    void nestedLoopDoesNotRefireTheRunningTimer();
};

namespace {

struct SocketPair
{
    SocketPair() { ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0; }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                close(fd);
        }
    }
    void closeEnd(int i)
    {
        close(fds[i]);
        fds[i] = -1;
    }
    int fds[2] = {-1, -1};
    bool ok = false;
};

} // namespace

void tst_EpollEventDispatcher::isInstalled()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher()));
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher())->isValid());
}

void tst_EpollEventDispatcher::singleShotTimersFireInDeadlineOrder()
{
    QStringList fired;
    QTimer::singleShot(60, Qt::PreciseTimer, this, [&] { fired.append(u"60"_qs); });
    QTimer::singleShot(20, Qt::PreciseTimer, this, [&] { fired.append(u"20"_qs); });
    QTimer::singleShot(40, Qt::CoarseTimer, this, [&] { fired.append(u"40"_qs); });
    QTimer::singleShot(0, this, [&] { fired.append(u"0"_qs); });
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE(fired.size(), 4);
    QCOMPARE(fired, (QStringList{u"0"_qs, u"20"_qs, u"40"_qs, u"60"_qs}));
    QVERIFY(clock.elapsed() >= 59);
}

void tst_EpollEventDispatcher::repeatingTimerKeepsItsPace()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(10);
    QSignalSpy ticks(&timer, &QTimer::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 20, 5000);
    timer.stop();
    // Twenty 10 ms ticks take at least 190 ms (the first may come up to a tick early).
    QVERIFY2(clock.elapsed() >= 190, qPrintable(QString::number(clock.elapsed())));
    const qsizetype count = ticks.size();
    QTest::qWait(50);
    QCOMPARE(ticks.size(), count); // stopped means stopped
}

void tst_EpollEventDispatcher::timerBookkeeping()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(5000);
    QVERIFY(timer.remainingTime() > 4000 && timer.remainingTime() <= 5000);
    const auto timers = QCoreApplication::eventDispatcher()->registeredTimers(&timer);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().interval, 5000);
    QCOMPARE(timers.first().timerType, Qt::PreciseTimer);
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
    QVERIFY(QCoreApplication::eventDispatcher()->registeredTimers(&timer).isEmpty());

    QTimer veryCoarse;
    veryCoarse.setTimerType(Qt::VeryCoarseTimer);
    veryCoarse.start(1400); // whole seconds
    QVERIFY(veryCoarse.remainingTime() > 900 && veryCoarse.remainingTime() <= 1000);
}

void tst_EpollEventDispatcher::killingATimerFromAnotherTimersHandler()
{
    // Both are due in the same pass; the first to run stops the other, which must not fire.
    QTimer victim;
    victim.setSingleShot(true);
    QSignalSpy victimFired(&victim, &QTimer::timeout);
    bool killerRan = false;
    QTimer killer;
    killer.setSingleShot(true);
    connect(&killer, &QTimer::timeout, this, [&] {
        killerRan = true;
        victim.stop();
    });
    killer.start(5);
    victim.start(6);
    QThread::msleep(20); // both are overdue when the loop next runs
    QTRY_VERIFY(killerRan);
    QTest::qWait(30);
    QCOMPARE(victimFired.size(), 0);
}

void tst_EpollEventDispatcher::tcpEchoOverLoopback()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
    });
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(5000) || client.state() == QAbstractSocket::ConnectedState);
    // Large enough to need several writes: exercises the write notifier being switched on and off.
    QByteArray payload(4 * 1024 * 1024, 'x');
    for (int i = 0; i < payload.size(); i += 4096)
        payload[i] = char('a' + (i / 4096) % 26);
    client.write(payload);
    QByteArray echoed;
    connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 20000);
    QCOMPARE(echoed, payload);
}

void tst_EpollEventDispatcher::manySocketsAtOnce()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int answered = 0;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *peer = server.nextPendingConnection())
            connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll().toUpper()); });
    });
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < 300; ++i) {
        auto client = std::make_unique<QTcpSocket>();
        connect(client.get(), &QTcpSocket::connected, client.get(), [c = client.get(), i] { c->write(QByteArray("ping") + QByteArray::number(i)); });
        connect(client.get(), &QTcpSocket::readyRead, this, [&answered, c = client.get(), i] {
            if (c->readAll() == QByteArray("PING") + QByteArray::number(i))
                ++answered;
        });
        client->connectToHost(QHostAddress::LocalHost, server.serverPort());
        clients.push_back(std::move(client));
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, 300, 20000);
}

void tst_EpollEventDispatcher::notifierDeletedBeforeItsTurn()
{
    // Two sockets ready in the same pass; the first handler deletes the other's notifier.
    SocketPair a;
    SocketPair b;
    QVERIFY(a.ok && b.ok);
    auto *first = new QSocketNotifier(a.fds[0], QSocketNotifier::Read, this);
    auto *second = new QSocketNotifier(b.fds[0], QSocketNotifier::Read, this);
    int firstCalls = 0;
    int secondCalls = 0;
    QPointer<QSocketNotifier> secondGuard(second);
    connect(first, &QSocketNotifier::activated, this, [&] {
        ++firstCalls;
        char sink[16];
        while (read(a.fds[0], sink, sizeof sink) > 0) {
        }
        delete secondGuard.data();
    });
    connect(second, &QSocketNotifier::activated, this, [&] {
        ++secondCalls;
        char sink[16];
        while (read(b.fds[0], sink, sizeof sink) > 0) {
        }
        delete first;
        first = nullptr;
    });
    QCOMPARE(write(a.fds[1], "x", 1), 1);
    QCOMPARE(write(b.fds[1], "y", 1), 1);
    QTRY_COMPARE(firstCalls + secondCalls, 1); // whichever ran first removed the other
    QTest::qWait(20);
    QCOMPARE(firstCalls + secondCalls, 1);
    delete first;
    delete secondGuard.data();
}

void tst_EpollEventDispatcher::hangUpWakesTheReadNotifier()
{
    SocketPair pair;
    QVERIFY(pair.ok);
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    pair.closeEnd(1);
    QTRY_VERIFY(activated.size() >= 1);
    char byte;
    QCOMPARE(read(pair.fds[0], &byte, 1), 0); // end of stream
    notifier.setEnabled(false);
}

void tst_EpollEventDispatcher::postedEventsFromAnotherThreadWakeTheLoop()
{
    // No timer is due and no socket is ready: only the wake-up can end the wait.
    QThread worker;
    QObject onWorker;
    onWorker.moveToThread(&worker);
    worker.start();
    QElapsedTimer clock;
    bool delivered = false;
    QMetaObject::invokeMethod(
        &onWorker,
        [this, &delivered] {
            QThread::msleep(50); // the main thread is blocked in epoll_wait by now
            QMetaObject::invokeMethod(this, [&delivered] { delivered = true; }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    clock.start();
    QEventLoop loop;
    QTimer::singleShot(5000, &loop, &QEventLoop::quit); // the bound if the wake-up were lost
    QMetaObject::invokeMethod(
        &onWorker, [&loop] { QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection); },
        Qt::QueuedConnection);
    loop.exec();
    QVERIFY(delivered);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    worker.quit();
    worker.wait();
}

void tst_EpollEventDispatcher::nestedLoopDoesNotRefireTheRunningTimer()
{
    QTimer timer;
    timer.setInterval(1);
    int depth = 0;
    int maxDepth = 0;
    int calls = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++calls;
        ++depth;
        maxDepth = qMax(maxDepth, depth);
        if (calls == 1)
            QTest::qWait(30); // a nested loop while this timer's event is being delivered
        --depth;
    });
    timer.start();
    QTRY_VERIFY(calls >= 3);
    timer.stop();
    QCOMPARE(maxDepth, 1);
}

int main(int argc, char **argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
