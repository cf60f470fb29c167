#include <ratelimiter.h>

#include <QtTest/QTest>

using namespace Plugboard;

class tst_RateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsPerEventAndWindow();
    void disconnectsAfterRepeatedRefusals();
    void boundsTheNamesTracked();
    void unlimitedWhenNoLimitApplies();
};

void tst_RateLimiter::countsPerEventAndWindow()
{
    RateLimitConfig config;
    config.windowMs = 1000;
    config.maxEvents = 2;
    config.perEvent.insert(QStringLiteral("chat"), 1);
    RateLimiter limiter(config);
    using V = RateLimiter::Verdict;
    QCOMPARE(limiter.check(QStringLiteral("a"), 0), V::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("a"), 10), V::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("a"), 20), V::Refused);
    QCOMPARE(limiter.check(QStringLiteral("b"), 30), V::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("chat"), 40), V::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("chat"), 50), V::Refused);
    QCOMPARE(limiter.check(QStringLiteral("a"), 999), V::Refused);
    QCOMPARE(limiter.check(QStringLiteral("a"), 1000), V::Allowed); // a new window
    QCOMPARE(limiter.refusals(), 3);
}

void tst_RateLimiter::disconnectsAfterRepeatedRefusals()
{
    RateLimitConfig config;
    config.maxEvents = 1;
    config.disconnectAfter = 2;
    RateLimiter limiter(config);
    using V = RateLimiter::Verdict;
    QCOMPARE(limiter.check(QStringLiteral("x"), 0), V::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("x"), 1), V::Refused);
    QCOMPARE(limiter.check(QStringLiteral("x"), 2), V::Disconnect);
}

void tst_RateLimiter::boundsTheNamesTracked()
{
    RateLimitConfig config;
    config.maxEvents = 5;
    RateLimiter limiter(config);
    for (int i = 0; i < RateLimiter::MaxTrackedEvents; ++i)
        QCOMPARE(limiter.check(QString::number(i), 0), RateLimiter::Verdict::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("one too many"), 0), RateLimiter::Verdict::Refused);
    QCOMPARE(limiter.check(QStringLiteral("0"), 0), RateLimiter::Verdict::Allowed);
    QCOMPARE(limiter.check(QStringLiteral("one too many"), config.windowMs), RateLimiter::Verdict::Allowed);
}

void tst_RateLimiter::unlimitedWhenNoLimitApplies()
{
    RateLimitConfig config;
    config.perEvent.insert(QStringLiteral("limited"), 1);
    QVERIFY(config.isEnabled());
    RateLimiter limiter(config);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(limiter.check(QStringLiteral("free"), 0), RateLimiter::Verdict::Allowed);
    QVERIFY(!RateLimitConfig().isEnabled());
}

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_ratelimiter.moc"
