// Reading cookies from requests and writing Set-Cookie values (the `cookie` npm package's
// parse and serialize, for what Engine.IO middleware needs).

#include "http/httpcookies.h"

#include <QtTest/QTest>

using namespace Plugboard;

class tst_HttpCookies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void value_data();
    void value();
    void serialize();
};

void tst_HttpCookies::value_data()
{
    QTest::addColumn<QList<QByteArray>>("cookieHeaders");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("one") << QList<QByteArray>{"sid=abc"} << QByteArray("sid") << true << QByteArray("abc");
    QTest::newRow("among others") << QList<QByteArray>{"a=1; sid=abc; b=2"} << QByteArray("sid") << true << QByteArray("abc");
    QTest::newRow("first wins") << QList<QByteArray>{"sid=1; sid=2"} << QByteArray("sid") << true << QByteArray("1");
    QTest::newRow("second header") << QList<QByteArray>{"a=1", "sid=x"} << QByteArray("sid") << true << QByteArray("x");
    QTest::newRow("percent-decoded") << QList<QByteArray>{"sid=s%3Aab.cd"} << QByteArray("sid") << true << QByteArray("s:ab.cd");
    QTest::newRow("quoted") << QList<QByteArray>{"sid=\"q v\""} << QByteArray("sid") << true << QByteArray("q v");
    QTest::newRow("empty value") << QList<QByteArray>{"sid="} << QByteArray("sid") << true << QByteArray();
    QTest::newRow("prefix is not the name") << QList<QByteArray>{"xsid=1; sidx=2"} << QByteArray("sid") << false << QByteArray();
    QTest::newRow("no equals sign") << QList<QByteArray>{"sid; a=1"} << QByteArray("sid") << false << QByteArray();
    QTest::newRow("absent") << QList<QByteArray>{} << QByteArray("sid") << false << QByteArray();
}

void tst_HttpCookies::value()
{
    QFETCH(QList<QByteArray>, cookieHeaders);
    QFETCH(QByteArray, name);
    QFETCH(bool, found);
    QFETCH(QByteArray, expected);
    HttpRequest request;
    request.headers.append(HttpHeader{"host", "x"});
    for (const QByteArray &header : cookieHeaders)
        request.headers.append(HttpHeader{"cookie", header});
    const std::optional<QByteArray> value = HttpCookies::value(request, name);
    QCOMPARE(value.has_value(), found);
    if (found)
        QCOMPARE(*value, expected);
}

void tst_HttpCookies::serialize()
{
    HttpCookies::SetCookie cookie;
    cookie.name = "sid";
    cookie.value = "s:a b;c";
    QCOMPARE(HttpCookies::serialize(cookie), QByteArray("sid=s%3Aa%20b%3Bc; Path=/; HttpOnly; SameSite=Lax"));
    cookie.maxAgeSeconds = 60;
    cookie.secure = true;
    cookie.httpOnly = false;
    cookie.sameSite = "None";
    cookie.path = "/app";
    QCOMPARE(HttpCookies::serialize(cookie), QByteArray("sid=s%3Aa%20b%3Bc; Path=/app; Max-Age=60; Secure; SameSite=None"));
}

QTEST_GUILESS_MAIN(tst_HttpCookies)
#include "tst_httpcookies.moc"
