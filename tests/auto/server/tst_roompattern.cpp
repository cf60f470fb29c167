#include <roompattern.h>

#include <QtTest/QTest>

using namespace Plugboard;

class tst_RoomPattern : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data();
    void matches();
    void validate_data();
    void validate();
};

void tst_RoomPattern::matches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("room");
    QTest::addColumn<bool>("expected");

    QTest::newRow("literal") << "lobby" << "lobby" << true;
    QTest::newRow("literal, other") << "lobby" << "lobby2" << false;
    QTest::newRow("wildcard") << "public:*" << "public:news" << true;
    QTest::newRow("wildcard spans colons") << "public:*" << "public:a:b" << true;
    QTest::newRow("wildcard needs text") << "public:*" << "public:" << false;
    QTest::newRow("wildcard is anchored") << "public:*" << "xpublic:news" << false;
    QTest::newRow("claim") << "user:{sub}" << "user:u42" << true;
    QTest::newRow("claim, other user") << "user:{sub}" << "user:u43" << false;
    QTest::newRow("claim is literal") << "user:{sub}" << "user:u4" << false;
    QTest::newRow("integer claim") << "org:{org.id}:*" << "org:7:builds" << true;
    QTest::newRow("missing claim") << "team:{team}" << "team:" << false;
    QTest::newRow("non-scalar claim") << "x:{org}" << "x:{\"id\":7}" << false;
    QTest::newRow("regex characters are text") << "a.b+(c)" << "a.b+(c)" << true;
    QTest::newRow("regex characters are not regex") << "a.b" << "axb" << false;
    QTest::newRow("claim with a star grants nothing more") << "room:{star}" << "room:anything" << false;
    QTest::newRow("claim with a star, literally") << "room:{star}" << "room:*" << true;
    QTest::newRow("newline does not end a wildcard") << "p:*" << "p:a\nb" << true;
}

void tst_RoomPattern::matches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, room);
    QFETCH(bool, expected);
    QCborMap claims;
    claims.insert(QStringLiteral("sub"), QStringLiteral("u42"));
    claims.insert(QStringLiteral("star"), QStringLiteral("*"));
    QCborMap org;
    org.insert(QStringLiteral("id"), 7);
    claims.insert(QStringLiteral("org"), org);
    QVERIFY(!RoomPattern::validate(pattern));
    QCOMPARE(RoomPattern(pattern).matches(room, claims), expected);
}

void tst_RoomPattern::validate_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << "" << "empty pattern";
    QTest::newRow("unclosed") << "user:{sub" << "unclosed '{' in \"user:{sub\"";
    QTest::newRow("stray close") << "user:sub}" << "'}' without '{' in \"user:sub}\"";
    QTest::newRow("empty claim") << "user:{}" << "bad claim name in \"user:{}\" (letters, digits, '_', '-', '.')";
    QTest::newRow("bad claim") << "user:{a b}" << "bad claim name in \"user:{a b}\" (letters, digits, '_', '-', '.')";
}

void tst_RoomPattern::validate()
{
    QFETCH(QString, pattern);
    QFETCH(QString, error);
    QCOMPARE(RoomPattern::validate(pattern).value_or(QString()), error);
}

QTEST_GUILESS_MAIN(tst_RoomPattern)
#include "tst_roompattern.moc"
