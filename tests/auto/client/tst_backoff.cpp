// Io::Backoff: socket.io-client's reconnection delays (backo2), exactly: min * 2^attempts,
// jittered by floor(random * jitter * ms) down on an even first decimal of random and up on an
// odd one, capped at max.

#include "client/backoff.h"

#include <QtTest/QTest>

using namespace Plugboard::Io;

class tst_Backoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durations_data();
    void durations();
    void attemptsCount();
    void reset();
    void settersApplyToTheNextDuration();
    void manyAttemptsStayAtMax_data();
    void manyAttemptsStayAtMax();
};

void tst_Backoff::durations_data()
{
    QTest::addColumn<int>("min");
    QTest::addColumn<int>("max");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<QList<double>>("randoms"); // one per call
    QTest::addColumn<QList<int>>("expected");

    // Dyadic randoms keep random * jitter * ms exact, so the floors below are the formula's.
    QTest::newRow("jitter 0: doubling up to the cap")
        << 100 << 10000 << 0.0 << QList<double>(10, 0.5)
        << QList<int>{100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000, 10000};
    QTest::newRow("jitter 0: random ignored")
        << 1000 << 5000 << 0.0 << QList<double>{0.0, 0.99, 0.125, 0.9375, 0.5}
        << QList<int>{1000, 2000, 4000, 5000, 5000};
    QTest::newRow("socket.io-client defaults: 1000, 5000, 0.5")
        // 1000 - 125, 2000 + 125, 4000 - 1750, 8000 - 3500, min(16000 + 7500), min(32000 - 1000)
        << 1000 << 5000 << 0.5 << QList<double>{0.25, 0.125, 0.875, 0.875, 0.9375, 0.0625}
        << QList<int>{875, 2125, 2250, 4500, 5000, 5000};
    QTest::newRow("jitter 0.5, below the cap")
        // 1000 - 125, 2000 + 125, 4000 - 1750, 8000 - 2500, 16000 + 7500
        << 1000 << 100000 << 0.5 << QList<double>{0.25, 0.125, 0.875, 0.625, 0.9375}
        << QList<int>{875, 2125, 2250, 5500, 23500};
    QTest::newRow("jitter 0.5, random 0: no deviation")
        << 1000 << 5000 << 0.5 << QList<double>(4, 0.0) << QList<int>{1000, 2000, 4000, 5000};
    QTest::newRow("jitter 0.5, the deviation is floored")
        // 3 + floor(0.75), 6 + floor(1.5), 12 - floor(1.5), 24 + floor(1.5)
        << 3 << 1000 << 0.5 << QList<double>{0.5, 0.5, 0.25, 0.125} << QList<int>{3, 7, 11, 25};
    QTest::newRow("jitter 0.5, up over the cap")
        // 4000 + 1500
        << 1000 << 5000 << 0.5 << QList<double>{0.0, 0.0, 0.75, 0.0}
        << QList<int>{1000, 2000, 5000, 5000};
    QTest::newRow("jitter 0.5, from the cap down below it")
        // 5000 - 625
        << 2500 << 5000 << 0.5 << QList<double>{0.0, 0.25} << QList<int>{2500, 4375};
    QTest::newRow("jitter 1")
        // 1000 - 875, 2000 + 1500
        << 1000 << 100000 << 1.0 << QList<double>{0.875, 0.75} << QList<int>{125, 3500};
    QTest::newRow("min above max")
        << 6000 << 5000 << 0.0 << QList<double>(2, 0.0) << QList<int>{5000, 5000};
}

void tst_Backoff::durations()
{
    QFETCH(int, min);
    QFETCH(int, max);
    QFETCH(double, jitter);
    QFETCH(QList<double>, randoms);
    QFETCH(QList<int>, expected);
    QCOMPARE(randoms.size(), expected.size());

    Backoff backoff(min, max, jitter);
    QList<int> actual;
    for (double random : std::as_const(randoms))
        actual.append(backoff.duration(random));
    QCOMPARE(actual, expected);
}

void tst_Backoff::attemptsCount()
{
    Backoff backoff(1000, 5000, 0.5);
    QCOMPARE(backoff.attempts(), 0);
    for (int i = 1; i <= 5; ++i) {
        backoff.duration(0.3);
        QCOMPARE(backoff.attempts(), i);
    }
}

void tst_Backoff::reset()
{
    Backoff backoff(100, 10000, 0.0);
    QCOMPARE(backoff.duration(0), 100);
    QCOMPARE(backoff.duration(0), 200);
    QCOMPARE(backoff.duration(0), 400);
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.duration(0), 100);
    QCOMPARE(backoff.attempts(), 1);
    QCOMPARE(backoff.duration(0), 200);

    // A reset from the cap starts again from min.
    for (int i = 0; i < 20; ++i)
        backoff.duration(0);
    QCOMPARE(backoff.duration(0), 10000);
    backoff.reset();
    QCOMPARE(backoff.duration(0), 100);
}

void tst_Backoff::settersApplyToTheNextDuration()
{
    Backoff backoff(100, 10000, 0.0);
    QCOMPARE(backoff.duration(0.25), 100);
    backoff.setMin(300);
    QCOMPARE(backoff.duration(0.25), 600); // attempts carry on: 300 * 2^1
    backoff.setJitter(0.5);
    QCOMPARE(backoff.duration(0.25), 1050); // 1200 - floor(0.125 * 1200)
    backoff.setMax(1000);
    QCOMPARE(backoff.duration(0.25), 1000);
    QCOMPARE(backoff.attempts(), 4);
}

void tst_Backoff::manyAttemptsStayAtMax_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("attempts");

    QTest::newRow("100, jitter 0") << 0.0 << 0.5 << 100;
    QTest::newRow("100, jitter 0.5, down") << 0.5 << 0.25 << 100;
    QTest::newRow("100, jitter 0.5, up") << 0.5 << 0.9375 << 100;
    QTest::newRow("100, jitter 0.5, random 0") << 0.5 << 0.0 << 100;
    // Past 2^1024 the double is infinite: reconnectionAttempts is unbounded by default.
    QTest::newRow("2000, jitter 0") << 0.0 << 0.5 << 2000;
    QTest::newRow("2000, jitter 0.5, up") << 0.5 << 0.9375 << 2000;
    QTest::newRow("2000, jitter 0.5, down") << 0.5 << 0.25 << 2000;
    QTest::newRow("2000, jitter 0.5, random 0") << 0.5 << 0.0 << 2000;
}

void tst_Backoff::manyAttemptsStayAtMax()
{
    QFETCH(double, jitter);
    QFETCH(double, random);
    QFETCH(int, attempts);

    const int max = 5000;
    Backoff backoff(1000, max, jitter);
    // From 1000 * 2^3 on, each of these randoms leaves the delay at or over the cap.
    for (int i = 0; i < 4; ++i)
        backoff.duration(random);
    int firstOff = -1;
    int offValue = 0;
    for (int i = 4; i < attempts; ++i) {
        const int ms = backoff.duration(random);
        if (ms != max && firstOff < 0) {
            firstOff = i;
            offValue = ms;
        }
    }
    QCOMPARE(backoff.attempts(), attempts);
    QVERIFY2(firstOff < 0,
             qPrintable(QStringLiteral("attempt %1: %2 ms").arg(firstOff).arg(offValue)));
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_backoff.moc"
