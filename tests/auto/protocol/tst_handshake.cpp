// The open packet's JSON: Node's keys, in Node's order, compact.

#include "protocol/handshake.h"
#include "protocol/jsoncodec.h"

#include <QtCore/QCborMap>
#include <QtTest/QTest>

using namespace Plugboard;

Q_DECLARE_METATYPE(Plugboard::EngineIO::Handshake)

namespace {

EngineIO::Handshake handshake(const QString &sid, const QStringList &upgrades,
                              int pingInterval = 25000, int pingTimeout = 20000,
                              qint64 maxPayload = 1000000)
{
    EngineIO::Handshake h;
    h.sid = sid;
    h.upgrades = upgrades;
    h.pingInterval = pingInterval;
    h.pingTimeout = pingTimeout;
    h.maxPayload = maxPayload;
    return h;
}

} // namespace

class tst_Handshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void encode_data();
    void encode();
};

void tst_Handshake::defaults()
{
    const EngineIO::Handshake h;
    QCOMPARE(h.pingInterval, 25000);
    QCOMPARE(h.pingTimeout, 20000);
    QCOMPARE(h.maxPayload, qint64(1000000));
    QVERIFY(h.upgrades.isEmpty());
}

void tst_Handshake::encode_data()
{
    QTest::addColumn<EngineIO::Handshake>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("polling, Node defaults")
        << handshake(u"lv_VI97HAXpY6yYWAAAC"_qs, {u"websocket"_qs})
        << QByteArray("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],"
                      "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    QTest::newRow("websocket, no upgrades")
        << handshake(u"abc"_qs, {})
        << QByteArray("{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,"
                      "\"pingTimeout\":20000,\"maxPayload\":1000000}");
    QTest::newRow("small timers")
        << handshake(u"s"_qs, {u"websocket"_qs}, 100, 50, 10)
        << QByteArray("{\"sid\":\"s\",\"upgrades\":[\"websocket\"],\"pingInterval\":100,"
                      "\"pingTimeout\":50,\"maxPayload\":10}");
    QTest::newRow("large maxPayload")
        << handshake(u"s"_qs, {}, 25000, 20000, 100000000000ll)
        << QByteArray("{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":25000,"
                      "\"pingTimeout\":20000,\"maxPayload\":100000000000}");
    QTest::newRow("two upgrades")
        << handshake(u"s"_qs, {u"websocket"_qs, u"webtransport"_qs})
        << QByteArray("{\"sid\":\"s\",\"upgrades\":[\"websocket\",\"webtransport\"],"
                      "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    // Ids are generated, but whatever they hold must come out as valid JSON.
    QTest::newRow("sid needing escapes")
        << handshake(u"a\"b\\c\u001e"_qs, {})
        << QByteArray("{\"sid\":\"a\\\"b\\\\c\\u001e\",\"upgrades\":[],\"pingInterval\":25000,"
                      "\"pingTimeout\":20000,\"maxPayload\":1000000}");
    QTest::newRow("empty sid") << handshake(QString(), {})
                               << QByteArray("{\"sid\":\"\",\"upgrades\":[],\"pingInterval\":25000,"
                                             "\"pingTimeout\":20000,\"maxPayload\":1000000}");
}

void tst_Handshake::encode()
{
    QFETCH(EngineIO::Handshake, input);
    QFETCH(QByteArray, expected);

    const QByteArray json = EngineIO::encodeHandshake(input);
    QCOMPARE(json, expected);

    // It is one JSON object with the five keys, in that order.
    const Json::ParseResult parsed = Json::parse(json);
    QVERIFY2(parsed.ok, qPrintable(parsed.error));
    const QCborMap map = parsed.value.toMap();
    QStringList keys;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        keys << it.key().toString();
    QCOMPARE(keys, (QStringList{u"sid"_qs, u"upgrades"_qs, u"pingInterval"_qs, u"pingTimeout"_qs,
                                u"maxPayload"_qs}));
    QCOMPARE(map.value(u"sid"_qs).toString(), input.sid);
}

QTEST_GUILESS_MAIN(tst_Handshake)
#include "tst_handshake.moc"
