// Engine.IO v3 polling payloads and WebSocket binary frames (allowEIO3), against the forms
// engine.io-parser 2.x writes (the samples of its 4.0.0 changelog, which sets v3 beside v4).

#include "protocol/enginepayloadv3.h"

#include <QtTest/QTest>

using namespace Plugboard::EngineIO;

Q_DECLARE_METATYPE(Plugboard::EngineIO::Packet)

namespace {

Packet text(const QByteArray &data, PacketType type = PacketType::Message)
{
    return Packet{type, data, false};
}

Packet binary(const QByteArray &data)
{
    return Packet{PacketType::Message, data, true};
}

const QByteArray euros = QStringLiteral("\u20ac\u20ac\u20ac").toUtf8();

} // namespace

class tst_EnginePayloadV3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeText();
    void encodeBinary();
    void decodeText_data();
    void decodeText();
    void decodeBinary_data();
    void decodeBinary();
    void roundTrips();
    void frames();
    void utf16Length();
};

void tst_EnginePayloadV3::encodeText()
{
    const V3::EncodedPayload strings = V3::encodePayload({text("hello"), text(euros)}, true);
    QVERIFY(!strings.binary);
    QCOMPARE(strings.body, "6:4hello4:4" + euros);
    const V3::EncodedPayload b64 = V3::encodePayload({text("hello"), binary("\x01\x02\x03")}, false);
    QVERIFY(!b64.binary);
    QCOMPARE(b64.body, QByteArray("6:4hello6:b4AQID"));
    QCOMPARE(V3::encodePayload({text({}, PacketType::Close), text({}, PacketType::Noop)}, false).body,
             QByteArray("1:11:6"));
}

void tst_EnginePayloadV3::encodeBinary()
{
    const V3::EncodedPayload mixed = V3::encodePayload({text("hello"), binary("\x01\x02\x03")}, true);
    QVERIFY(mixed.binary);
    QCOMPARE(mixed.body, QByteArray::fromHex("0006ff3468656c6c6f0104ff04010203"));
    // Lengths of ten and more are several digit bytes.
    const V3::EncodedPayload longer = V3::encodePayload({binary(QByteArray(11, 'x'))}, true);
    QCOMPARE(longer.body, QByteArray::fromHex("010102ff04") + QByteArray(11, 'x'));
}

void tst_EnginePayloadV3::decodeText_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<Packet>>("expected");
    QTest::newRow("two strings") << "6:4hello4:4" + euros << true << QList<Packet>{text("hello"), text(euros)};
    QTest::newRow("base64") << QByteArray("6:b4AQID") << true << QList<Packet>{binary("\x01\x02\x03")};
    QTest::newRow("ping") << QByteArray("1:2") << true << QList<Packet>{text({}, PacketType::Ping)};
    QTest::newRow("empty element skipped") << QByteArray("0:2:40") << true << QList<Packet>{text("0")};
    QTest::newRow("surrogate pair counts two") << QByteArray("3:4\xf0\x9f\x98\x80") << true
                                               << QList<Packet>{text("\xf0\x9f\x98\x80")};
    QTest::newRow("empty body") << QByteArray() << false << QList<Packet>{};
    QTest::newRow("no colon") << QByteArray("64hello") << false << QList<Packet>{};
    QTest::newRow("no length") << QByteArray(":4hello") << false << QList<Packet>{};
    QTest::newRow("length not a number") << QByteArray("x:4") << false << QList<Packet>{};
    QTest::newRow("signed length") << QByteArray("+1:2") << false << QList<Packet>{};
    QTest::newRow("too long") << QByteArray("9:4hello") << false << QList<Packet>{};
    QTest::newRow("huge length") << QByteArray("99999999999999999999:4") << false << QList<Packet>{};
    QTest::newRow("unknown type") << QByteArray("1:9") << false << QList<Packet>{};
    QTest::newRow("bad base64") << QByteArray("4:b4**") << false << QList<Packet>{};
    QTest::newRow("base64 of another type") << QByteArray("6:b2AQID") << false << QList<Packet>{};
    QTest::newRow("trailing garbage") << QByteArray("1:2x") << false << QList<Packet>{};
}

void tst_EnginePayloadV3::decodeText()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QFETCH(QList<Packet>, expected);
    const auto packets = V3::decodeTextPayload(body);
    QCOMPARE(packets.has_value(), valid);
    if (valid)
        QCOMPARE(*packets, expected);
}

void tst_EnginePayloadV3::decodeBinary_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<Packet>>("expected");
    QTest::newRow("string and binary") << QByteArray::fromHex("0006ff3468656c6c6f0104ff04010203") << true
                                       << QList<Packet>{text("hello"), binary("\x01\x02\x03")};
    QTest::newRow("two-digit length") << QByteArray::fromHex("010102ff04") + QByteArray(11, 'x') << true
                                      << QList<Packet>{binary(QByteArray(11, 'x'))};
    QTest::newRow("empty") << QByteArray() << false << QList<Packet>{};
    QTest::newRow("bad marker") << QByteArray::fromHex("0201ff32") << false << QList<Packet>{};
    QTest::newRow("no length end") << QByteArray::fromHex("000102") << false << QList<Packet>{};
    QTest::newRow("no digits") << QByteArray::fromHex("00ff32") << false << QList<Packet>{};
    QTest::newRow("digit out of range") << QByteArray::fromHex("000aff32") << false << QList<Packet>{};
    QTest::newRow("length past the end") << QByteArray::fromHex("0009ff32") << false << QList<Packet>{};
    QTest::newRow("binary without type byte") << QByteArray::fromHex("0100ff") << false << QList<Packet>{};
    QTest::newRow("binary of another type") << QByteArray::fromHex("0102ff0201") << false << QList<Packet>{};
    // Found by fuzz_enginepayloadv3: Node utf8-decodes text packets of a binary payload.
    QTest::newRow("text packet not UTF-8") << QByteArray::fromHex("0006ff35686510ff04")
                                           << false << QList<Packet>{};
    QTest::newRow("too many digits") << QByteArray::fromHex("000101010101010101010101ff") << false << QList<Packet>{};
}

void tst_EnginePayloadV3::decodeBinary()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QFETCH(QList<Packet>, expected);
    const auto packets = V3::decodeBinaryPayload(body);
    QCOMPARE(packets.has_value(), valid);
    if (valid)
        QCOMPARE(*packets, expected);
}

void tst_EnginePayloadV3::roundTrips()
{
    const QList<Packet> packets{text("0{\"sid\":\"x\"}", PacketType::Open), text("2[\"ev\",\"" + euros + "\"]"),
                                binary(QByteArray("\x00\xff\x1e:", 4)), text({}, PacketType::Noop)};
    for (const bool supportsBinary : {true, false}) {
        const V3::EncodedPayload encoded = V3::encodePayload(packets, supportsBinary);
        QCOMPARE(encoded.binary, supportsBinary);
        const auto decoded = supportsBinary ? V3::decodeBinaryPayload(encoded.body) : V3::decodeTextPayload(encoded.body);
        QVERIFY(decoded);
        QCOMPARE(*decoded, packets);
    }
}

void tst_EnginePayloadV3::frames()
{
    QCOMPARE(V3::binaryFrameContent("\x01\x02"), QByteArray("\x04\x01\x02"));
    QCOMPARE(V3::decodeBinaryFrame(QByteArray("\x04\x01\x02")), std::optional<Packet>(binary("\x01\x02")));
    QCOMPARE(V3::decodeBinaryFrame(QByteArray("\x04")), std::optional<Packet>(binary({})));
    QVERIFY(!V3::decodeBinaryFrame(QByteArray()));
    QVERIFY(!V3::decodeBinaryFrame(QByteArray("\x02probe")));
}

void tst_EnginePayloadV3::utf16Length()
{
    QCOMPARE(V3::utf16Length("4hello"), 6);
    QCOMPARE(V3::utf16Length(QByteArray("4" + euros)), 4);
    QCOMPARE(V3::utf16Length("\xf0\x9f\x98\x80"), 2);
    QCOMPARE(V3::utf16Length(""), 0);
}

QTEST_GUILESS_MAIN(tst_EnginePayloadV3)
#include "tst_enginepayloadv3.moc"
