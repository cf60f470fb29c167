#include <admin/admininstrumentation.h>
#include <admin/adminserialization.h>
#include <admin/adminsessions.h>
#include <admin/aggregatedevents.h>
#include <admin/passwordhash.h>

#include <QtCore/QCborMap>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Plugboard;

class tst_AdminParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bcryptVerifies_data();
    void bcryptVerifies();
    void bcryptFormat_data();
    void bcryptFormat();
    void hashRoundTrip();
    void aggregatesBySecondTypeAndSubType();
    void aggregatedEventsAreBounded();
    void sessionsExpireAndAreBounded();
    void timestamps();
    void optionsValidated_data();
    void optionsValidated();
};

void tst_AdminParts::bcryptVerifies_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("matches");
    // crypt_blowfish's published vector, in the three prefixes bcryptjs and bcrypt write.
    const QByteArray body = "05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    QTest::newRow("$2a$") << QByteArray("U*U") << QByteArray("$2a$" + body) << true;
    QTest::newRow("$2b$") << QByteArray("U*U") << QByteArray("$2b$" + body) << true;
    QTest::newRow("$2y$") << QByteArray("U*U") << QByteArray("$2y$" + body) << true;
    QTest::newRow("wrong password") << QByteArray("U*V") << QByteArray("$2b$" + body) << false;
    QTest::newRow("empty password") << QByteArray() << QByteArray("$2b$" + body) << false;
    QTest::newRow("NUL inside") << QByteArray("U*U\0x", 5) << QByteArray("$2b$" + body) << false;
    QTest::newRow("plain text as hash") << QByteArray("U*U") << QByteArray("U*U") << false;
}

void tst_AdminParts::bcryptVerifies()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QFETCH(bool, matches);
    QCOMPARE(PasswordHash::verify(password, hash), matches);
}

void tst_AdminParts::bcryptFormat_data()
{
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("valid");
    QTest::newRow("good") << QByteArray("$2b$10$glbRx2F4fiZP01/RwYsAc.BIIWOcqG.jHrtV6RObjnfYw.qfc6SM.") << true;
    QTest::newRow("plain") << QByteArray("secret") << false;
    QTest::newRow("short") << QByteArray("$2b$10$glbRx2F4fiZP01") << false;
    QTest::newRow("variant") << QByteArray("$2x$10$glbRx2F4fiZP01/RwYsAc.BIIWOcqG.jHrtV6RObjnfYw.qfc6SM.") << false;
    QTest::newRow("cost 03") << QByteArray("$2b$03$glbRx2F4fiZP01/RwYsAc.BIIWOcqG.jHrtV6RObjnfYw.qfc6SM.") << false;
    QTest::newRow("cost 32") << QByteArray("$2b$32$glbRx2F4fiZP01/RwYsAc.BIIWOcqG.jHrtV6RObjnfYw.qfc6SM.") << false;
    QTest::newRow("alphabet") << QByteArray("$2b$10$glbRx2F4fiZP01/RwYsAc.BIIWOcqG.jHrtV6RObjnfYw.qfc6SM!") << false;
    QTest::newRow("md5 crypt") << QByteArray("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/") << false;
}

void tst_AdminParts::bcryptFormat()
{
    QFETCH(QByteArray, hash);
    QFETCH(bool, valid);
    QString error;
    QCOMPARE(PasswordHash::isBcrypt(hash, &error), valid);
    QCOMPARE(error.isEmpty(), valid);
}

void tst_AdminParts::hashRoundTrip()
{
    const QByteArray hash = PasswordHash::hash("correct horse", 4);
    QVERIFY(hash.startsWith("$2b$04$"));
    QVERIFY(PasswordHash::isBcrypt(hash));
    QVERIFY(PasswordHash::verify("correct horse", hash));
    QVERIFY(!PasswordHash::verify("correct horsf", hash));
    QVERIFY(PasswordHash::hash("correct horse", 4) != hash); // a fresh salt each time

    // bcrypt reads 72 bytes: a longer password would match on its first 72 alone.
    const QByteArray longest(PasswordHash::MaxPasswordBytes, 'x');
    const QByteArray longestHash = PasswordHash::hash(longest, 4);
    QVERIFY(PasswordHash::verify(longest, longestHash));
    QVERIFY(!PasswordHash::verify(longest + 'y', longestHash));
}

void tst_AdminParts::aggregatesBySecondTypeAndSubType()
{
    AggregatedEvents events;
    events.add(1795702510123, QStringLiteral("rawConnection"), 1);
    events.add(1795702510999, QStringLiteral("rawConnection"), 2);
    events.add(1795702511000, QStringLiteral("rawConnection"), 1);
    events.add(1795702511000, QStringLiteral("rawDisconnection"), 1, QStringLiteral("transport close"));
    events.add(1795702511500, QStringLiteral("rawDisconnection"), 1, QStringLiteral("ping timeout"));
    events.add(1795702511600, QStringLiteral("packetsIn"), 0); // nothing to say
    const QCborArray taken = events.take();
    QCOMPARE(taken.size(), 4);
    const QCborMap first = taken.at(0).toMap();
    QCOMPARE(first.value(QStringLiteral("timestamp")).toInteger(), 1795702510000);
    QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("rawConnection"));
    QCOMPARE(first.value(QStringLiteral("count")).toInteger(), 3);
    QVERIFY(!first.contains(QStringLiteral("subType"))); // absent, not null
    QCOMPARE(taken.at(2).toMap().value(QStringLiteral("subType")).toString(), QStringLiteral("transport close"));
    QCOMPARE(taken.at(3).toMap().value(QStringLiteral("subType")).toString(), QStringLiteral("ping timeout"));
    QCOMPARE(events.take().size(), 0); // cleared at each emission
}

void tst_AdminParts::aggregatedEventsAreBounded()
{
    AggregatedEvents events(10);
    for (int i = 0; i < 100; ++i)
        events.add(1000, QStringLiteral("rawDisconnection"), 1, QString::number(i));
    QCOMPARE(events.size(), 10);
    QCOMPARE(events.dropped(), 90u);
}

void tst_AdminParts::sessionsExpireAndAreBounded()
{
    AdminSessions sessions(1000, 3);
    const QString a = sessions.create(0);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(a).hasMatch());
    QVERIFY(sessions.isValid(a, 999));
    QVERIFY(!sessions.isValid(a, 1000));
    QVERIFY(!sessions.isValid(QStringLiteral("0123456789abcdef"), 0));
    const QString b = sessions.create(2000);
    sessions.create(2000);
    sessions.create(2000);
    sessions.create(2000);
    QCOMPARE(sessions.size(), 3);
    QVERIFY(!sessions.isValid(b, 2001)); // the oldest went to make room
}

void tst_AdminParts::timestamps()
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(1795702198094, Qt::UTC);
    QCOMPARE(AdminSerialization::isoTimestamp(time), QStringLiteral("2026-11-26T14:09:58.094Z"));
    const QString js = AdminSerialization::jsDateString(time);
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4} \\(.+\\)$"))
                 .match(js)
                 .hasMatch(),
             qPrintable(js));
}

void tst_AdminParts::optionsValidated_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<QString>("error");
    QTest::newRow("ok") << QStringLiteral("/admin") << QByteArray() << QString();
    QTest::newRow("root namespace") << QStringLiteral("/") << QByteArray() << QStringLiteral("must not be /");
    QTest::newRow("no slash") << QStringLiteral("admin") << QByteArray() << QStringLiteral("must start with /");
    QTest::newRow("plain password") << QStringLiteral("/admin") << QByteArray("secret") << QStringLiteral("not a bcrypt hash");
}

void tst_AdminParts::optionsValidated()
{
    QFETCH(QString, nsp);
    QFETCH(QByteArray, hash);
    QFETCH(QString, error);
    AdminOptions options;
    options.namespaceName = nsp;
    if (!hash.isEmpty())
        options.auth = AdminOptions::BasicAuth{QStringLiteral("admin"), hash};
    QString message;
    QCOMPARE(AdminInstrumentation::validate(options, &message), error.isEmpty());
    QVERIFY2(message.contains(error), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_AdminParts)
#include "tst_adminparts.moc"
