// Socket.IO v5 packets: golden wire vectors (tests/data/socketio-vectors.json) decoded and
// re-encoded byte for byte, the attachment decoder, and encode() of binary data.

#include "protocol/enginepacket.h"
#include "protocol/jsoncodec.h"
#include "protocol/siopacket.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Plugboard;
using SocketIO::DecodeError;
using SocketIO::Decoder;
using SocketIO::Packet;
using SocketIO::PacketType;

Q_DECLARE_METATYPE(Plugboard::SocketIO::Packet)

namespace {

// One thing the transport delivers to the decoder, and what the decoder must answer.
struct Step
{
    bool binary = false;
    QByteArray bytes;
    Decoder::Status status = Decoder::Status::NeedMore;
    DecodeError error = DecodeError::None;
};

Step text(const QByteArray &bytes, Decoder::Status status, DecodeError error = DecodeError::None)
{
    return Step{false, bytes, status, error};
}

Step bin(const QByteArray &bytes, Decoder::Status status, DecodeError error = DecodeError::None)
{
    return Step{true, bytes, status, error};
}

QCborMap placeholder(int num)
{
    return QCborMap{{u"_placeholder"_qs, true}, {u"num"_qs, num}};
}

Packet packet(PacketType type, const QString &nsp, qint64 id, const QCborValue &data)
{
    Packet p;
    p.type = type;
    p.nsp = nsp;
    p.id = id;
    p.data = data;
    return p;
}

// The byte arrays inside value, depth first.
void collectBinaries(const QCborValue &value, QList<QByteArray> &out)
{
    if (value.isByteArray()) {
        out.append(value.toByteArray());
    } else if (value.isArray()) {
        for (const QCborValue &item : value.toArray())
            collectBinaries(item, out);
    } else if (value.isMap()) {
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            collectBinaries(it.value(), out);
    }
}

const QHash<QString, DecodeError> &errorNames()
{
    static const QHash<QString, DecodeError> names{
        {u"None"_qs, DecodeError::None},
        {u"Empty"_qs, DecodeError::Empty},
        {u"UnknownType"_qs, DecodeError::UnknownType},
        {u"BadAttachmentCount"_qs, DecodeError::BadAttachmentCount},
        {u"TooManyAttachments"_qs, DecodeError::TooManyAttachments},
        {u"BadAckId"_qs, DecodeError::BadAckId},
        {u"BadJson"_qs, DecodeError::BadJson},
        {u"InvalidPayload"_qs, DecodeError::InvalidPayload},
        {u"UnexpectedBinary"_qs, DecodeError::UnexpectedBinary},
        {u"MissingAttachments"_qs, DecodeError::MissingAttachments},
        {u"BadPlaceholder"_qs, DecodeError::BadPlaceholder},
    };
    return names;
}

QJsonObject loadVectors()
{
    QFile file(QStringLiteral(PLUGBOARD_TEST_DATA "/socketio-vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(file.fileName()), qPrintable(error.errorString()));
    return document.object();
}

} // namespace

Q_DECLARE_METATYPE(Step)

class tst_SioPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data();
    void vectors();
    void invalidVectors_data();
    void invalidVectors();
    void invalidBytes_data();
    void invalidBytes();
    void decoder_data();
    void decoder();
    void decoderRecoversAfterComplete();
    void encode_data();
    void encode();
    void hasBinary_data();
    void hasBinary();
    void reconstruct_data();
    void reconstruct();
    void errorMessages();
};

void tst_SioPacket::vectors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QByteArray>("data"); // null: no payload
    QTest::addColumn<QList<QByteArray>>("attachments");
    QTest::addColumn<QByteArray>("reencoded");

    const QJsonArray valid = loadVectors().value(u"valid").toArray();
    QVERIFY(valid.size() >= 20);
    for (const QJsonValue &entry : valid) {
        const QJsonObject v = entry.toObject();
        QList<QByteArray> attachments;
        for (const QJsonValue &hex : v.value(u"attachments").toArray())
            attachments.append(QByteArray::fromHex(hex.toString().toLatin1()));
        const QByteArray wire = v.value(u"wire").toString().toUtf8();
        QTest::newRow(qPrintable(v.value(u"name").toString()))
            << wire << v.value(u"type").toInt() << v.value(u"nsp").toString()
            << (v.value(u"id").isNull() ? SocketIO::NoAckId : qint64(v.value(u"id").toDouble()))
            << (v.contains(u"data") ? v.value(u"data").toString().toUtf8() : QByteArray())
            << attachments
            << (v.contains(u"reencoded") ? v.value(u"reencoded").toString().toUtf8() : wire);
    }
}

void tst_SioPacket::vectors()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QByteArray, data);
    QFETCH(QList<QByteArray>, attachments);
    QFETCH(QByteArray, reencoded);

    // It travels as an Engine.IO message.
    const auto message = EngineIO::decodeTextPacket(QByteArray("4" + wire));
    QVERIFY(message);
    QCOMPARE(message->type, EngineIO::PacketType::Message);
    QCOMPARE(message->data, wire);

    // The header alone.
    const SocketIO::HeaderResult header = SocketIO::decodeHeader(wire);
    QCOMPARE(header.error, DecodeError::None);
    QCOMPARE(int(header.packet.type), type);
    QCOMPARE(header.packet.nsp, nsp);
    QCOMPARE(header.packet.id, id);
    if (data.isNull())
        QVERIFY(header.packet.data.isUndefined());
    else
        QCOMPARE(Json::write(header.packet.data), data);
    QCOMPARE(header.attachments, int(attachments.size()));

    // The decoder, then the attachments one by one.
    Decoder decoder;
    Decoder::Result result = decoder.addText(wire);
    for (const QByteArray &attachment : attachments) {
        QCOMPARE(result.status, Decoder::Status::NeedMore);
        QVERIFY(decoder.awaitingAttachments());
        result = decoder.addBinary(attachment);
    }
    QCOMPARE(result.status, Decoder::Status::Complete);
    QCOMPARE(result.error, DecodeError::None);
    QVERIFY(!decoder.awaitingAttachments());
    QCOMPARE(int(result.packet.type), type);
    QCOMPARE(result.packet.nsp, nsp);
    QCOMPARE(result.packet.id, id);
    QList<QByteArray> binaries;
    collectBinaries(result.packet.data, binaries);
    QCOMPARE(binaries, attachments);

    // And back, byte for byte.
    const SocketIO::EncodedPacket encoded = SocketIO::encode(result.packet);
    QCOMPARE(encoded.text, reencoded);
    QCOMPARE(encoded.attachments, attachments);
}

void tst_SioPacket::invalidVectors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<DecodeError>("error");
    QTest::addColumn<QString>("knownBug");

    const QJsonArray invalid = loadVectors().value(u"invalid").toArray();
    QVERIFY(invalid.size() >= 20);
    for (const QJsonValue &entry : invalid) {
        const QJsonObject v = entry.toObject();
        const QString errorName = v.value(u"error").toString();
        QVERIFY2(errorNames().contains(errorName), qPrintable(errorName));
        QTest::newRow(qPrintable(v.value(u"name").toString()))
            << v.value(u"wire").toString().toUtf8() << errorNames().value(errorName)
            << v.value(u"bug").toString();
    }
}

void tst_SioPacket::invalidVectors()
{
    QFETCH(QByteArray, wire);
    QFETCH(DecodeError, error);
    QFETCH(QString, knownBug);

    // Rows with a "bug" field document a known difference from Node.
    if (!knownBug.isEmpty())
        QEXPECT_FAIL("", qPrintable(QString() + knownBug), Abort);
    QCOMPARE(SocketIO::decodeHeader(wire).error, error);

    Decoder decoder;
    const Decoder::Result result = decoder.addText(wire);
    QCOMPARE(result.status, Decoder::Status::Error);
    QCOMPARE(result.error, error);
    QVERIFY(!decoder.awaitingAttachments());
}

// Inputs that cannot be written in the JSON vectors file.
void tst_SioPacket::invalidBytes_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<DecodeError>("error");

    QTest::newRow("invalid UTF-8 in the JSON") << QByteArray("2[\"\xff\"]") << DecodeError::BadJson;
    QTest::newRow("NUL before the JSON") << QByteArray("2\0[\"x\"]", 7) << DecodeError::BadJson;
    QTest::newRow("record separator in the JSON")
        << QByteArray("2[\"a\x1e\"]") << DecodeError::BadJson;
    QTest::newRow("deep nesting") << "2[\"x\"," + QByteArray(100000, '[') +
                                         QByteArray(100000, ']') + ']'
                                  << DecodeError::BadJson;
}

void tst_SioPacket::invalidBytes()
{
    QFETCH(QByteArray, wire);
    QFETCH(DecodeError, error);

    QCOMPARE(SocketIO::decodeHeader(wire).error, error);
}

void tst_SioPacket::decoder_data()
{
    using S = Decoder::Status;
    QTest::addColumn<int>("maxAttachments");
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<QCborValue>("lastData"); // data of the last Complete packet

    const QByteArray b1("\x01\x02\x03\x04", 4);
    const QByteArray b2("\xff", 1);

    QTest::newRow("plain event") << 10 << QList<Step>{text("2[\"a\"]", S::Complete)}
                                 << QCborValue(QCborArray{u"a"_qs});
    QTest::newRow("one attachment")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]", S::NeedMore),
                       bin(b1, S::Complete)}
        << QCborValue(QCborArray{u"ev"_qs, b1});
    QTest::newRow("two attachments, out of order placeholders")
        << 10
        << QList<Step>{text("52-[\"ev\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,"
                            "\"num\":0}]",
                            S::NeedMore),
                       bin(b1, S::NeedMore), bin(b2, S::Complete)}
        << QCborValue(QCborArray{u"ev"_qs, b2, b1});
    QTest::newRow("empty attachment")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]", S::NeedMore),
                       bin(QByteArray(), S::Complete)}
        << QCborValue(QCborArray{u"ev"_qs, QByteArray()});
    QTest::newRow("binary ack")
        << 10
        << QList<Step>{text("61-/admin,7[{\"_placeholder\":true,\"num\":0}]", S::NeedMore),
                       bin(b2, S::Complete)}
        << QCborValue(QCborArray{b2});
    QTest::newRow("same buffer twice")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,"
                            "\"num\":0}]",
                            S::NeedMore),
                       bin(b1, S::Complete)}
        << QCborValue(QCborArray{u"ev"_qs, b1, b1});
    {
        QCborArray args{u"ev"_qs};
        QByteArray header = "510-[\"ev\"";
        QList<Step> steps;
        for (int i = 0; i < 10; ++i) {
            header += ",{\"_placeholder\":true,\"num\":" + QByteArray::number(i) + '}';
            args.append(QByteArray(1, char(i)));
        }
        steps.append(text(header + ']', S::NeedMore));
        for (int i = 0; i < 10; ++i)
            steps.append(bin(QByteArray(1, char(i)), i == 9 ? S::Complete : S::NeedMore));
        QTest::newRow("10 attachments, the cap") << 10 << steps << QCborValue(args);
    }
    QTest::newRow("binary then text")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]", S::NeedMore),
                       bin(b1, S::Complete), text("2[\"next\"]", S::Complete)}
        << QCborValue(QCborArray{u"next"_qs});

    QTest::newRow("binary without header")
        << 10 << QList<Step>{bin(b1, S::Error, DecodeError::UnexpectedBinary)} << QCborValue();
    QTest::newRow("binary after a complete packet")
        << 10
        << QList<Step>{text("2[\"a\"]", S::Complete),
                       bin(b1, S::Error, DecodeError::UnexpectedBinary)}
        << QCborValue();
    QTest::newRow("extra binary after the attachments")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]", S::NeedMore),
                       bin(b1, S::Complete), bin(b2, S::Error, DecodeError::UnexpectedBinary)}
        << QCborValue();
    QTest::newRow("text while attachments pending")
        << 10
        << QList<Step>{text("52-[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,"
                            "\"num\":1}]",
                            S::NeedMore),
                       bin(b1, S::NeedMore),
                       text("2[\"a\"]", S::Error, DecodeError::MissingAttachments)}
        << QCborValue();
    QTest::newRow("11 attachments")
        << 10 << QList<Step>{text("511-[\"ev\"]", S::Error, DecodeError::TooManyAttachments)}
        << QCborValue();
    QTest::newRow("over a lower cap")
        << 2 << QList<Step>{text("53-[\"ev\"]", S::Error, DecodeError::TooManyAttachments)}
        << QCborValue();
    QTest::newRow("placeholder out of range")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":1}]", S::NeedMore),
                       bin(b1, S::Error, DecodeError::BadPlaceholder)}
        << QCborValue();
    QTest::newRow("negative placeholder")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":-1}]", S::NeedMore),
                       bin(b1, S::Error, DecodeError::BadPlaceholder)}
        << QCborValue();
    QTest::newRow("huge placeholder")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":4294967296}]", S::NeedMore),
                       bin(b1, S::Error, DecodeError::BadPlaceholder)}
        << QCborValue();
    QTest::newRow("placeholder beyond 64 bits") // a double: was cast before it was checked
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":184467440737095516192}]", S::NeedMore),
                       bin(b1, S::Error, DecodeError::BadPlaceholder)}
        << QCborValue();
    QTest::newRow("fractional placeholder")
        << 10
        << QList<Step>{text("51-[\"ev\",{\"_placeholder\":true,\"num\":0.5}]", S::NeedMore),
                       bin(b1, S::Error, DecodeError::BadPlaceholder)}
        << QCborValue();
    QTest::newRow("placeholder without attachments")
        << 10
        << QList<Step>{text("50-[\"ev\",{\"_placeholder\":true,\"num\":0}]", S::Error,
                            DecodeError::BadAttachmentCount)}
        << QCborValue();
    QTest::newRow("bad header") << 10
                                << QList<Step>{text("2abc[\"x\"]", S::Error, DecodeError::BadJson)}
                                << QCborValue();
    QTest::newRow("reserved name in a binary event")
        << 10
        << QList<Step>{text("51-[\"connect\",{\"_placeholder\":true,\"num\":0}]", S::Error,
                            DecodeError::InvalidPayload)}
        << QCborValue();
}

void tst_SioPacket::decoder()
{
    QFETCH(int, maxAttachments);
    QFETCH(QList<Step>, steps);
    QFETCH(QCborValue, lastData);

    Decoder decoder(maxAttachments);
    QCborValue completed;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &step = steps.at(i);
        const Decoder::Result result =
            step.binary ? decoder.addBinary(step.bytes) : decoder.addText(step.bytes);
        const QByteArray where = "step " + QByteArray::number(i);
        QVERIFY2(result.status == step.status, where.constData());
        QVERIFY2(result.error == step.error, where.constData());
        if (result.status == Decoder::Status::Complete)
            completed = result.packet.data;
        if (result.status == Decoder::Status::NeedMore)
            QVERIFY(decoder.awaitingAttachments());
    }
    if (steps.last().status == Decoder::Status::Complete) {
        QCOMPARE(completed, lastData);
        QVERIFY(!decoder.awaitingAttachments());
    }
}

void tst_SioPacket::decoderRecoversAfterComplete()
{
    Decoder decoder;
    for (int round = 0; round < 3; ++round) {
        Decoder::Result r = decoder.addText("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]");
        QCOMPARE(r.status, Decoder::Status::NeedMore);
        r = decoder.addBinary(QByteArray::number(round));
        QCOMPARE(r.status, Decoder::Status::Complete);
        QCOMPARE(r.packet.data, QCborValue(QCborArray{u"ev"_qs, QByteArray::number(round)}));
    }
}

void tst_SioPacket::encode_data()
{
    QTest::addColumn<Packet>("input");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QByteArray>>("attachments");

    const QByteArray b0("\x01\x02\x03\x04", 4);
    const QByteArray b1("\xff", 1);
    const QByteArray b2("ab", 2);
    const QByteArray b3("\x00", 1);
    const QString root = u"/"_qs;

    QTest::newRow("event") << packet(PacketType::Event, root, -1, QCborArray{u"hello"_qs, 1})
                           << QByteArray("2[\"hello\",1]") << QList<QByteArray>();
    QTest::newRow("event, namespace and ack id")
        << packet(PacketType::Event, u"/admin"_qs, 12, QCborArray{u"a"_qs})
        << QByteArray("2/admin,12[\"a\"]") << QList<QByteArray>();
    QTest::newRow("ack id 0") << packet(PacketType::Ack, root, 0, QCborArray{})
                              << QByteArray("30[]") << QList<QByteArray>();
    QTest::newRow("binary event") << packet(PacketType::Event, root, -1, QCborArray{u"ev"_qs, b0})
                                  << QByteArray("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]")
                                  << QList<QByteArray>{b0};
    QTest::newRow("depth-first order")
        << packet(PacketType::Event, root, -1,
                  QCborArray{u"ev"_qs, b0, QCborMap{{u"a"_qs, b1}, {u"b"_qs, QCborArray{b2}}}, b3})
        << QByteArray(
               "54-[\"ev\",{\"_placeholder\":true,\"num\":0},{\"a\":{\"_placeholder\":true,\"num\":"
               "1},"
               "\"b\":[{\"_placeholder\":true,\"num\":2}]},{\"_placeholder\":true,\"num\":3}]")
        << QList<QByteArray>{b0, b1, b2, b3};
    QTest::newRow("map order, not key order")
        << packet(PacketType::Event, root, -1,
                  QCborArray{u"ev"_qs, QCborMap{{u"z"_qs, b0}, {u"a"_qs, b1}}})
        << QByteArray("52-[\"ev\",{\"z\":{\"_placeholder\":true,\"num\":0},\"a\":{\"_placeholder\":"
                      "true,\"num\":1}}]")
        << QList<QByteArray>{b0, b1};
    QTest::newRow("binary ack, namespace and id")
        << packet(PacketType::Ack, u"/admin"_qs, 456, QCborArray{b1})
        << QByteArray("61-/admin,456[{\"_placeholder\":true,\"num\":0}]") << QList<QByteArray>{b1};
    QTest::newRow("binary event with ack id")
        << packet(PacketType::Event, root, 3, QCborArray{u"up"_qs, b2})
        << QByteArray("51-3[\"up\",{\"_placeholder\":true,\"num\":0}]") << QList<QByteArray>{b2};
    QTest::newRow("empty buffer") << packet(PacketType::Event, root, -1,
                                            QCborArray{u"ev"_qs, QByteArray()})
                                  << QByteArray("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]")
                                  << QList<QByteArray>{QByteArray()};
    QTest::newRow("BinaryEvent without binary is an Event")
        << packet(PacketType::BinaryEvent, root, -1, QCborArray{u"x"_qs}) << QByteArray("2[\"x\"]")
        << QList<QByteArray>();
    QTest::newRow("BinaryAck without binary is an Ack")
        << packet(PacketType::BinaryAck, root, 5, QCborArray{u"x"_qs}) << QByteArray("35[\"x\"]")
        << QList<QByteArray>();
    QTest::newRow("connect with bytes keeps Buffer JSON")
        << packet(PacketType::Connect, root, -1, QCborMap{{u"b"_qs, QByteArray("\x01\x02", 2)}})
        << QByteArray("0{\"b\":{\"type\":\"Buffer\",\"data\":[1,2]}}") << QList<QByteArray>();
    QTest::newRow("connect") << packet(PacketType::Connect, root, -1,
                                       QCborValue(QCborValue::Undefined))
                             << QByteArray("0") << QList<QByteArray>();
    QTest::newRow("connect reply in a namespace")
        << packet(PacketType::Connect, u"/admin"_qs, -1, QCborMap{{u"sid"_qs, u"abc"_qs}})
        << QByteArray("0/admin,{\"sid\":\"abc\"}") << QList<QByteArray>();
    QTest::newRow("disconnect in a namespace")
        << packet(PacketType::Disconnect, u"/admin"_qs, -1, QCborValue(QCborValue::Undefined))
        << QByteArray("1/admin,") << QList<QByteArray>();
    QTest::newRow("connect error")
        << packet(PacketType::ConnectError, root, -1,
                  QCborMap{{u"message"_qs, u"Invalid namespace"_qs}})
        << QByteArray("4{\"message\":\"Invalid namespace\"}") << QList<QByteArray>();
    QTest::newRow("empty namespace is /")
        << packet(PacketType::Event, QString(), -1, QCborArray{u"x"_qs}) << QByteArray("2[\"x\"]")
        << QList<QByteArray>();
    QTest::newRow("record separator escaped")
        << packet(PacketType::Event, root, -1, QCborArray{u"a\u001eb"_qs})
        << QByteArray("2[\"a\\u001eb\"]") << QList<QByteArray>();
}

void tst_SioPacket::encode()
{
    QFETCH(Packet, input);
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, attachments);

    const SocketIO::EncodedPacket encoded = SocketIO::encode(input);
    QCOMPARE(encoded.text, text);
    QCOMPARE(encoded.attachments, attachments);
    QVERIFY(!encoded.text.contains(EngineIO::RecordSeparator));

    // The decoder gives the same data back.
    Decoder decoder;
    Decoder::Result result = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments)
        result = decoder.addBinary(attachment);
    if (input.type == PacketType::Connect && SocketIO::hasBinary(input.data))
        return; // a Buffer in a CONNECT comes back as {"type":"Buffer",...}
    QCOMPARE(result.status, Decoder::Status::Complete);
    QCOMPARE(result.packet.data, input.data);
    QCOMPARE(result.packet.id, input.id);
}

void tst_SioPacket::hasBinary_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<bool>("expected");

    QTest::newRow("bytes") << QCborValue(QByteArray("x")) << true;
    QTest::newRow("empty bytes") << QCborValue(QByteArray()) << true;
    QTest::newRow("in an array") << QCborValue(QCborArray{1, QByteArray("x")}) << true;
    QTest::newRow("deep in a map")
        << QCborValue(QCborMap{{u"a"_qs, QCborArray{QCborMap{{u"b"_qs, QByteArray("x")}}}}})
        << true;
    QTest::newRow("undefined") << QCborValue(QCborValue::Undefined) << false;
    QTest::newRow("string") << QCborValue(u"bytes"_qs) << false;
    QTest::newRow("array of strings") << QCborValue(QCborArray{u"a"_qs, u"b"_qs}) << false;
    QTest::newRow("placeholder map") << QCborValue(placeholder(0)) << false;
}

void tst_SioPacket::hasBinary()
{
    QFETCH(QCborValue, value);
    QFETCH(bool, expected);
    QCOMPARE(SocketIO::hasBinary(value), expected);
}

void tst_SioPacket::reconstruct_data()
{
    QTest::addColumn<QCborValue>("data");
    QTest::addColumn<QList<QByteArray>>("buffers");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QCborValue>("expected");
    QTest::addColumn<QString>("knownBug");

    const QByteArray a("a"), b("b");
    QTest::newRow("one") << QCborValue(QCborArray{u"ev"_qs, placeholder(0)}) << QList<QByteArray>{a}
                         << true << QCborValue(QCborArray{u"ev"_qs, a}) << QString();
    QTest::newRow("nested") << QCborValue(QCborArray{
                                   QCborMap{{u"x"_qs, QCborArray{placeholder(1)}}}, placeholder(0)})
                            << QList<QByteArray>{a, b} << true
                            << QCborValue(QCborArray{QCborMap{{u"x"_qs, QCborArray{b}}}, a})
                            << QString();
    QTest::newRow("no placeholders") << QCborValue(QCborArray{1, u"x"_qs}) << QList<QByteArray>{}
                                     << true << QCborValue(QCborArray{1, u"x"_qs}) << QString();
    QTest::newRow("unused buffer")
        << QCborValue(QCborArray{placeholder(0)}) << QList<QByteArray>{a, b} << true
        << QCborValue(QCborArray{a}) << QString();

    QTest::newRow("num out of range")
        << QCborValue(QCborArray{placeholder(2)}) << QList<QByteArray>{a, b} << false
        << QCborValue() << QString();
    QTest::newRow("num equal to the count")
        << QCborValue(QCborArray{placeholder(1)}) << QList<QByteArray>{a} << false << QCborValue()
        << QString();
    QTest::newRow("negative num") << QCborValue(QCborArray{placeholder(-1)}) << QList<QByteArray>{a}
                                  << false << QCborValue() << QString();
    QTest::newRow("no buffers") << QCborValue(QCborArray{placeholder(0)}) << QList<QByteArray>{}
                                << false << QCborValue() << QString();
    QTest::newRow("deep, out of range")
        << QCborValue(QCborArray{QCborMap{{u"a"_qs, QCborArray{placeholder(5)}}}})
        << QList<QByteArray>{a} << false << QCborValue() << QString();
    // socket.io-parser 4.2.7 (_reconstructPacket): any object with _placeholder === true must
    // carry a valid numeric num, else "illegal attachments".
    QTest::newRow("string num")
        << QCborValue(QCborArray{QCborMap{{u"_placeholder"_qs, true}, {u"num"_qs, u"0"_qs}}})
        << QList<QByteArray>{a} << false << QCborValue()
        << QString();
    QTest::newRow("placeholder without num")
        << QCborValue(QCborArray{QCborMap{{u"_placeholder"_qs, true}}}) << QList<QByteArray>{a}
        << false << QCborValue()
        << QString();
}

void tst_SioPacket::reconstruct()
{
    QFETCH(QCborValue, data);
    QFETCH(QList<QByteArray>, buffers);
    QFETCH(bool, ok);
    QFETCH(QCborValue, expected);
    QFETCH(QString, knownBug);

    QCborValue value = data;
    const bool reconstructed = SocketIO::reconstruct(value, buffers);
    if (!knownBug.isEmpty())
        QEXPECT_FAIL("", qPrintable(knownBug), Abort);
    QCOMPARE(reconstructed, ok);
    if (ok)
        QCOMPARE(value, expected);
}

void tst_SioPacket::errorMessages()
{
    // socket.io-parser's texts where it has one.
    QCOMPARE(QByteArray(SocketIO::decodeErrorMessage(DecodeError::MissingAttachments)),
             QByteArray("got plaintext data when reconstructing a packet"));
    QCOMPARE(QByteArray(SocketIO::decodeErrorMessage(DecodeError::TooManyAttachments)),
             QByteArray("too many attachments"));
    QCOMPARE(QByteArray(SocketIO::decodeErrorMessage(DecodeError::InvalidPayload)),
             QByteArray("invalid payload"));
    for (DecodeError e : errorNames())
        QVERIFY(qstrlen(SocketIO::decodeErrorMessage(e)) > 0);
}

QTEST_GUILESS_MAIN(tst_SioPacket)
#include "tst_siopacket.moc"
