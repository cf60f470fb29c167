// The msgpack parser's packets: golden bytes written by socket.io-msgpack-parser 3.0.2 (Node),
// encoded byte for byte and decoded back, and the packets Node's decoder refuses.

#include "protocol/siomsgpack.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtTest/QTest>

using namespace Plugboard;
using SocketIO::DecodeError;
using SocketIO::Decoder;
using SocketIO::Packet;
using SocketIO::PacketType;

Q_DECLARE_METATYPE(Plugboard::SocketIO::Packet)

namespace {

Packet packet(PacketType type, const QString &nsp, qint64 id, const QCborValue &data)
{
    Packet p;
    p.type = type;
    p.nsp = nsp;
    p.id = id;
    p.data = data;
    return p;
}

} // namespace

class tst_SioMsgpack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void golden_data();
    void golden();
    void binaryTypesAreWrittenAsPlainOnes();
    void refused_data();
    void refused();
    void decoderTakesOnlyBinaryMessages();
};

void tst_SioMsgpack::golden_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("hex");
    using T = PacketType;
    const qint64 none = SocketIO::NoAckId;
    QTest::newRow("connect") << packet(T::Connect, u"/"_qs, none, QCborMap{{u"sid"_qs, u"abc"_qs}})
                             << QByteArray("83a47479706500a46461746181a3736964a3616263a36e7370a12f");
    QTest::newRow("event") << packet(T::Event, u"/chat"_qs, none,
                                     QCborArray{u"hi"_qs, 1, 2.5, true, QCborValue(QCborValue::Null)})
                           << QByteArray("83a47479706502a46461746195a2686901cb4004000000000000c3c0a36e7370a52f63686174");
    QTest::newRow("event with ack id") << packet(T::Event, u"/"_qs, 7, QCborArray{u"x"_qs})
                                       << QByteArray("84a47479706502a46461746191a178a2696407a36e7370a12f");
    QTest::newRow("binary in place") << packet(T::Event, u"/"_qs, none,
                                               QCborArray{u"bin"_qs, QByteArray("\x01\x02\x03")})
                                     << QByteArray("83a47479706502a46461746192a362696ec403010203a36e7370a12f");
    QTest::newRow("ack") << packet(T::Ack, u"/"_qs, 12, QCborArray{QCborMap{{u"a"_qs, 1}}})
                         << QByteArray("84a47479706503a4646174619181a16101a269640ca36e7370a12f");
    QTest::newRow("connect error") << packet(T::ConnectError, u"/p"_qs, none, QCborMap{{u"message"_qs, u"no"_qs}})
                                   << QByteArray("83a47479706504a46461746181a76d657373616765a26e6fa36e7370a22f70");
    QTest::newRow("disconnect") << packet(T::Disconnect, u"/"_qs, none, QCborValue(QCborValue::Undefined))
                                << QByteArray("82a47479706501a36e7370a12f");
}

void tst_SioMsgpack::golden()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, hex);
    const QByteArray bytes = QByteArray::fromHex(hex);
    QCOMPARE(SocketIO::encodeMsgpackPacket(packet).toHex(), hex);

    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet, SocketIO::Parser::Msgpack);
    QVERIFY(encoded.text.isNull());
    QCOMPARE(encoded.attachments, QList<QByteArray>{bytes});

    const SocketIO::HeaderResult decoded = SocketIO::decodeMsgpackPacket(bytes);
    QCOMPARE(decoded.error, DecodeError::None);
    QCOMPARE(decoded.attachments, 0);
    QCOMPARE(decoded.packet.type, packet.type);
    QCOMPARE(decoded.packet.nsp, packet.nsp);
    QCOMPARE(decoded.packet.id, packet.id);
    QCOMPARE(decoded.packet.data, packet.data);
}

void tst_SioMsgpack::binaryTypesAreWrittenAsPlainOnes()
{
    // The msgpack parser has no BINARY_EVENT / BINARY_ACK: they go out as EVENT / ACK.
    const QCborArray data{u"bin"_qs, QByteArray("\x01\x02\x03")};
    QCOMPARE(SocketIO::encodeMsgpackPacket(packet(PacketType::BinaryEvent, u"/"_qs, SocketIO::NoAckId, data)),
             SocketIO::encodeMsgpackPacket(packet(PacketType::Event, u"/"_qs, SocketIO::NoAckId, data)));
    QCOMPARE(SocketIO::encodeMsgpackPacket(packet(PacketType::BinaryAck, u"/"_qs, 3, data)),
             SocketIO::encodeMsgpackPacket(packet(PacketType::Ack, u"/"_qs, 3, data)));
}

void tst_SioMsgpack::refused_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<DecodeError>("error");
    // What Node's decoder throws on, with its message in the row name.
    QTest::newRow("type 5: invalid packet type") << QByteArray("83a47479706505a46461746190a36e7370a12f")
                                                 << DecodeError::UnknownType;
    QTest::newRow("event data not an array: invalid payload")
        << QByteArray("83a47479706502a464617461a178a36e7370a12f") << DecodeError::InvalidPayload;
    QTest::newRow("no nsp: invalid namespace") << QByteArray("82a47479706502a46461746191a161")
                                               << DecodeError::InvalidPayload;
    QTest::newRow("id 1.5: invalid packet id")
        << QByteArray("84a47479706502a46461746191a161a36e7370a12fa26964cb3ff8000000000000") << DecodeError::BadAckId;
    QTest::newRow("disconnect with data: invalid payload")
        << QByteArray("83a47479706501a46461746101a36e7370a12f") << DecodeError::InvalidPayload;
    QTest::newRow("connect with null: invalid payload")
        << QByteArray("83a47479706500a464617461c0a36e7370a12f") << DecodeError::InvalidPayload;
    // Plugboard's own checks.
    QTest::newRow("empty") << QByteArray() << DecodeError::Empty;
    QTest::newRow("not a map") << QByteArray("93010203") << DecodeError::BadJson;
    QTest::newRow("truncated") << QByteArray("83a474797065") << DecodeError::BadJson;
    QTest::newRow("reserved event name") << QByteArray("83a47479706502a46461746191aa646973636f6e6e656374a36e7370a12f")
                                         << DecodeError::InvalidPayload;
    QTest::newRow("negative id") << QByteArray("84a47479706503a46461746190a26964ffa36e7370a12f")
                                 << DecodeError::BadAckId;
}

void tst_SioMsgpack::refused()
{
    QFETCH(QByteArray, hex);
    QFETCH(DecodeError, error);
    QCOMPARE(SocketIO::decodeMsgpackPacket(QByteArray::fromHex(hex)).error, error);
}

void tst_SioMsgpack::decoderTakesOnlyBinaryMessages()
{
    Decoder decoder(SocketIO::DefaultMaxAttachments, SocketIO::Parser::Msgpack);
    const QByteArray event = QByteArray::fromHex("84a47479706502a46461746191a178a2696407a36e7370a12f");
    Decoder::Result result = decoder.addBinary(event);
    QCOMPARE(result.status, Decoder::Status::Complete);
    QCOMPARE(result.packet.id, 7);
    QCOMPARE(result.packet.data, QCborValue(QCborArray{u"x"_qs}));

    result = decoder.addText("2[\"x\"]");
    QCOMPARE(result.status, Decoder::Status::Error);
    QCOMPARE(result.error, DecodeError::UnexpectedText);

    result = decoder.addBinary(QByteArray::fromHex("c1"));
    QCOMPARE(result.status, Decoder::Status::Error);
    QCOMPARE(result.error, DecodeError::BadJson);
}

QTEST_GUILESS_MAIN(tst_SioMsgpack)
#include "tst_siomsgpack.moc"
