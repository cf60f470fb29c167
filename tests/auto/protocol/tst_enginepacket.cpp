// Engine.IO v4 packets: text packets, polling payloads (\x1e-separated, binary as 'b' + base64).

#include "protocol/enginepacket.h"

#include <QtTest/QTest>

using namespace Plugboard;
using EngineIO::Packet;
using EngineIO::PacketType;

namespace Plugboard::EngineIO {
// For QCOMPARE's failure messages.
char *toString(const Packet &packet)
{
    const QByteArray text = "Packet(" + QByteArray::number(int(packet.type)) +
                            (packet.binary ? ", binary, " : ", ") + packet.data.toHex(' ') + ')';
    return qstrdup(text.constData());
}
} // namespace Plugboard::EngineIO

Q_DECLARE_METATYPE(Plugboard::EngineIO::Packet)

namespace {

Packet text(PacketType type, const QByteArray &data = {})
{
    return Packet{type, data, false};
}

Packet binary(const QByteArray &bytes)
{
    return Packet{PacketType::Message, bytes, true};
}

} // namespace

class tst_EnginePacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodeTextPacket_data();
    void decodeTextPacket();
    void binaryPacket();
    void decodePayload_data();
    void decodePayload();
    void encodeTextPacket_data();
    void encodeTextPacket();
    void encodePayload_data();
    void encodePayload();
    void appendPayloadElement();
};

void tst_EnginePacket::decodeTextPacket_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Packet>("expected");

    QTest::newRow("open") << QByteArray("0{\"sid\":\"abc\"}") << true
                          << text(PacketType::Open, "{\"sid\":\"abc\"}");
    QTest::newRow("close") << QByteArray("1") << true << text(PacketType::Close);
    QTest::newRow("ping") << QByteArray("2") << true << text(PacketType::Ping);
    QTest::newRow("ping probe") << QByteArray("2probe") << true << text(PacketType::Ping, "probe");
    QTest::newRow("pong") << QByteArray("3") << true << text(PacketType::Pong);
    QTest::newRow("pong probe") << QByteArray("3probe") << true << text(PacketType::Pong, "probe");
    QTest::newRow("message") << QByteArray("4hello") << true << text(PacketType::Message, "hello");
    QTest::newRow("empty message") << QByteArray("4") << true << text(PacketType::Message);
    QTest::newRow("socket.io event")
        << QByteArray("42[\"a\",1]") << true << text(PacketType::Message, "2[\"a\",1]");
    QTest::newRow("UTF-8 message")
        << QByteArray("4h\xc3\xa9") << true << text(PacketType::Message, "h\xc3\xa9");
    QTest::newRow("upgrade") << QByteArray("5") << true << text(PacketType::Upgrade);
    QTest::newRow("noop") << QByteArray("6") << true << text(PacketType::Noop);

    QTest::newRow("empty") << QByteArray() << false << Packet();
    QTest::newRow("type 7") << QByteArray("7") << false << Packet();
    QTest::newRow("type 8 with data") << QByteArray("8x") << false << Packet();
    QTest::newRow("type 9") << QByteArray("9") << false << Packet();
    QTest::newRow("letter") << QByteArray("x4") << false << Packet();
    QTest::newRow("binary form in a text frame") << QByteArray("bAQIDBA==") << false << Packet();
    QTest::newRow("lone b") << QByteArray("b") << false << Packet();
    QTest::newRow("minus") << QByteArray("-1") << false << Packet();
    QTest::newRow("leading space") << QByteArray(" 4hello") << false << Packet();
    QTest::newRow("record separator") << QByteArray("\x1e") << false << Packet();
    QTest::newRow("NUL") << QByteArray("\0", 1) << false << Packet();
}

void tst_EnginePacket::decodeTextPacket()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, ok);
    QFETCH(Packet, expected);

    const std::optional<Packet> packet = EngineIO::decodeTextPacket(input);
    QCOMPARE(packet.has_value(), ok);
    if (ok) {
        QCOMPARE(*packet, expected);
        QVERIFY(!packet->binary);
    }
}

void tst_EnginePacket::binaryPacket()
{
    const Packet packet = EngineIO::binaryPacket(QByteArray("\x01\x02\x03\x04", 4));
    QCOMPARE(packet.type, PacketType::Message);
    QVERIFY(packet.binary);
    QCOMPARE(packet.data, QByteArray("\x01\x02\x03\x04", 4));

    const Packet empty = EngineIO::binaryPacket(QByteArray());
    QVERIFY(empty.binary);
    QVERIFY(empty.data.isEmpty());
}

void tst_EnginePacket::decodePayload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QList<Packet>>("expected");

    QTest::newRow("one message") << QByteArray("4hello") << true
                                 << QList<Packet>{text(PacketType::Message, "hello")};
    QTest::newRow("three packets")
        << QByteArray("4hello\x1e"
                      "2\x1e"
                      "4world")
        << true
        << QList<Packet>{text(PacketType::Message, "hello"), text(PacketType::Ping),
                         text(PacketType::Message, "world")};
    QTest::newRow("binary") << QByteArray("bAQIDBA==") << true
                            << QList<Packet>{binary(QByteArray("\x01\x02\x03\x04", 4))};
    QTest::newRow("empty binary") << QByteArray("b") << true << QList<Packet>{binary(QByteArray())};
    QTest::newRow("binary between texts")
        << QByteArray("451-[\"ev\",{\"_placeholder\":true,\"num\":0}]\x1e"
                      "bAQIDBA==\x1e"
                      "42[\"x\"]")
        << true
        << QList<Packet>{text(PacketType::Message, "51-[\"ev\",{\"_placeholder\":true,\"num\":0}]"),
                         binary(QByteArray("\x01\x02\x03\x04", 4)),
                         text(PacketType::Message, "2[\"x\"]")};
    QTest::newRow("text message starting with b")
        << QByteArray("4bAQIDBA==") << true
        << QList<Packet>{text(PacketType::Message, "bAQIDBA==")};
    QTest::newRow("pong") << QByteArray("3") << true << QList<Packet>{text(PacketType::Pong)};
    QTest::newRow("close") << QByteArray("1") << true << QList<Packet>{text(PacketType::Close)};
    QTest::newRow("empty messages")
        << QByteArray("4\x1e"
                      "4")
        << true << QList<Packet>{text(PacketType::Message), text(PacketType::Message)};
    QTest::newRow("binary of 0xff bytes")
        << QByteArray("b//8=") << true << QList<Packet>{binary(QByteArray("\xff\xff", 2))};

    QTest::newRow("empty body") << QByteArray() << false << QList<Packet>();
    QTest::newRow("lone separator") << QByteArray("\x1e") << false << QList<Packet>();
    QTest::newRow("trailing separator") << QByteArray("4a\x1e") << false << QList<Packet>();
    QTest::newRow("leading separator") << QByteArray("\x1e"
                                                     "4a")
                                       << false << QList<Packet>();
    QTest::newRow("empty element between separators") << QByteArray("4a\x1e\x1e"
                                                                    "4b")
                                                      << false << QList<Packet>();
    QTest::newRow("unknown type digit") << QByteArray("7") << false << QList<Packet>();
    QTest::newRow("unknown type digit later") << QByteArray("4a\x1e"
                                                            "9")
                                              << false << QList<Packet>();
    QTest::newRow("not a digit") << QByteArray("x") << false << QList<Packet>();
    QTest::newRow("bad base64") << QByteArray("b!!!") << false << QList<Packet>();
    QTest::newRow("bad base64 later") << QByteArray("4a\x1e"
                                                    "bAQ*DBA==")
                                      << false << QList<Packet>();
    QTest::newRow("base64 with a space") << QByteArray("bAQ IDBA==") << false << QList<Packet>();
    QTest::newRow("data after base64 padding")
        << QByteArray("bAQ==AQ==") << false << QList<Packet>();
}

void tst_EnginePacket::decodePayload()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QList<Packet>, expected);

    const std::optional<QList<Packet>> packets = EngineIO::decodePayload(body);
    QCOMPARE(packets.has_value(), ok);
    if (!ok)
        return;
    QCOMPARE(*packets, expected);
    // What decodes also encodes back to the same body.
    QCOMPARE(EngineIO::encodePayload(*packets), body);
}

void tst_EnginePacket::encodeTextPacket_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("open") << text(PacketType::Open, "{}") << QByteArray("0{}");
    QTest::newRow("close") << text(PacketType::Close) << QByteArray("1");
    QTest::newRow("ping") << text(PacketType::Ping) << QByteArray("2");
    QTest::newRow("pong probe") << text(PacketType::Pong, "probe") << QByteArray("3probe");
    QTest::newRow("message") << text(PacketType::Message, "hello") << QByteArray("4hello");
    QTest::newRow("upgrade") << text(PacketType::Upgrade) << QByteArray("5");
    QTest::newRow("noop") << text(PacketType::Noop) << QByteArray("6");
}

void tst_EnginePacket::encodeTextPacket()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, expected);

    const QByteArray encoded = EngineIO::encodeTextPacket(packet);
    QCOMPARE(encoded, expected);
    QCOMPARE(EngineIO::decodeTextPacket(encoded), std::optional<Packet>(packet));
}

void tst_EnginePacket::encodePayload_data()
{
    QTest::addColumn<QList<Packet>>("packets");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("nothing") << QList<Packet>() << QByteArray();
    QTest::newRow("one") << QList<Packet>{text(PacketType::Message, "hello")}
                         << QByteArray("4hello");
    QTest::newRow("spec example") << QList<Packet>{text(PacketType::Message, "hello"),
                                                   text(PacketType::Ping),
                                                   text(PacketType::Message, "world")}
                                  << QByteArray("4hello\x1e"
                                                "2\x1e"
                                                "4world");
    QTest::newRow("binary 01 02 03 04")
        << QList<Packet>{binary(QByteArray("\x01\x02\x03\x04", 4))} << QByteArray("bAQIDBA==");
    QTest::newRow("text then binary")
        << QList<Packet>{text(PacketType::Message, "hi"), binary(QByteArray("\x00", 1))}
        << QByteArray("4hi\x1e"
                      "bAA==");
    QTest::newRow("empty binary") << QList<Packet>{binary(QByteArray())} << QByteArray("b");
    QTest::newRow("close after noop")
        << QList<Packet>{text(PacketType::Noop), text(PacketType::Close)}
        << QByteArray("6\x1e"
                      "1");
}

void tst_EnginePacket::encodePayload()
{
    QFETCH(QList<Packet>, packets);
    QFETCH(QByteArray, expected);

    QCOMPARE(EngineIO::encodePayload(packets), expected);
    if (!packets.isEmpty())
        QCOMPARE(EngineIO::decodePayload(expected), std::optional<QList<Packet>>(packets));
}

void tst_EnginePacket::appendPayloadElement()
{
    QByteArray out("4a\x1e");
    EngineIO::appendPayloadElement(binary(QByteArray("\x01\x02\x03\x04", 4)), out);
    QCOMPARE(out, QByteArray("4a\x1e"
                             "bAQIDBA=="));
    out += EngineIO::RecordSeparator;
    EngineIO::appendPayloadElement(text(PacketType::Pong), out);
    QCOMPARE(out, QByteArray("4a\x1e"
                             "bAQIDBA==\x1e"
                             "3"));
}

QTEST_GUILESS_MAIN(tst_EnginePacket)
#include "tst_enginepacket.moc"
