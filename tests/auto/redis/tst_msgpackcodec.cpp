// encodeMsgpack / decodeMsgpack: MessagePack as notepack.io 3 writes and reads it (the codec of
// Node's @socket.io/redis-adapter), checked against what a Node-only cluster published
// (tests/data/redis-interop/wire-samples.json) and against hand-written rows.

#include "protocol/msgpackcodec.h"
#include "wiresamples.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborStreamWriter>
#include <QtCore/QCryptographicHash>
#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

#include <sys/resource.h>

#include <cmath>
#include <limits>

using namespace Plugboard;
using Plugboard::decodeMsgpack;
using Plugboard::encodeMsgpack;
using Plugboard::MsgpackLimits;
using namespace WireSamples;

namespace {

// Same type and value; NaN equals NaN, maps compare in key order.
bool identical(const QCborValue &a, const QCborValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QCborValue::Double:
        if (std::isnan(a.toDouble()))
            return std::isnan(b.toDouble());
        return a.toDouble() == b.toDouble() && std::signbit(a.toDouble()) == std::signbit(b.toDouble());
    case QCborValue::Array: {
        const QCborArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!identical(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QCborValue::Map: {
        const QCborMap x = a.toMap(), y = b.toMap();
        if (x.size() != y.size())
            return false;
        for (auto i = x.cbegin(), j = y.cbegin(); i != x.cend(); ++i, ++j) {
            if (!identical(i.key(), j.key()) || !identical(i.value(), j.value()))
                return false;
        }
        return true;
    }
    case QCborValue::DateTime:
        return a.toDateTime() == b.toDateTime();
    default:
        return a == b;
    }
}

// Nested one-element arrays: `depth` containers in all.
QByteArray nestedArrays(int depth)
{
    return QByteArray(depth - 1, '\x91') + '\x90';
}

// Nested one-entry maps {"a": {"a": … {}}}: `depth` containers in all.
QByteArray nestedMaps(int depth)
{
    QByteArray bytes;
    for (int i = 1; i < depth; ++i)
        bytes += hex("81a161");
    return bytes + '\x80';
}

long peakRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class tst_MsgpackCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void samples_data();
    void samples();
    void bigIntSample();
    void encode_data();
    void encode();
    void decodeOnly_data();
    void decodeOnly();
    void malformed_data();
    void malformed();
    void truncated_data();
    void truncated();
    void nesting_data();
    void nesting();
    void sizeLimit();
    void wideMap();
};

void tst_MsgpackCodec::initTestCase()
{
    QVERIFY2(!::samples().isEmpty(), qPrintable(SampleDir + u"/wire-samples.json is missing or empty"_qs));
}

// Every msgpack sample Node published: it decodes to `decoded` and re-encodes to the same bytes.
void tst_MsgpackCodec::samples_data()
{
    QTest::addColumn<QJsonObject>("sample");

    int rows = 0;
    for (const QJsonValue &value : ::samples()) {
        const QJsonObject sample = value.toObject();
        if (sample.value(u"encoding"_qs).toString() != u"msgpack"_qs || !sample.contains(u"decoded"_qs))
            continue;
        QTest::newRow(qPrintable(sample.value(u"kind"_qs).toString())) << sample;
        ++rows;
    }
    QVERIFY(rows >= 26);
}

void tst_MsgpackCodec::samples()
{
    QFETCH(QJsonObject, sample);

    QString error;
    const QByteArray bytes = sampleBytes(sample, &error);
    QVERIFY2(!bytes.isEmpty(), qPrintable(error));

    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error);
    QVERIFY2(decoded, qPrintable(error));
    const QString why = mismatch(*decoded, sample.value(u"decoded"_qs));
    QVERIFY2(why.isEmpty(), qPrintable(why));

    QByteArray expected = bytes;
    if (sample.value(u"kind"_qs).toString().endsWith(u".codec-bigint"_qs)) {
        // Known difference: notepack writes a BigInt >= 0 as uint64 whatever its size, so 0n is
        // cf 00 00 00 00 00 00 00 00. Decoded it is the number 0, which we write (as notepack
        // writes the Number 0) as fixint 00. Every other byte is the same.
        const QByteArray bigIntZero = hex("cf0000000000000000");
        QCOMPARE(expected.count(bigIntZero), 2);
        expected.replace(bigIntZero, QByteArray(1, '\0'));
        QCOMPARE(expected.size(), bytes.size() - 16);
    }
    const QByteArray encoded = encodeMsgpack(*decoded);
    if (encoded != expected && encoded.size() < 4096)
        qWarning("ours: %s\nnode: %s", encoded.toHex().constData(), expected.toHex().constData());
    QVERIFY2(encoded == expected, qPrintable(u"re-encoded %1 bytes differ from the %2 expected (first difference at %3)"_qs
                                                 .arg(encoded.size())
                                                 .arg(expected.size())
                                                 .arg([&] {
                                                     qsizetype i = 0;
                                                     while (i < encoded.size() && i < expected.size() && encoded[i] == expected[i])
                                                         ++i;
                                                     return i;
                                                 }())));

    // Our own output reads back to the same value.
    const std::optional<QCborValue> again = decodeMsgpack(encoded, &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(identical(*again, *decoded));
}

// The JS BigInts of the codec-bigint sample, exactly: the JSON `decoded` can only show them
// rounded to doubles (7766279631452242000), so samples() compares them as doubles.
void tst_MsgpackCodec::bigIntSample()
{
    const QJsonObject sample = ::sample(u"broadcast.node.room-channel.one-room.codec-bigint"_qs);
    QVERIFY(!sample.isEmpty());
    QString error;
    const QByteArray bytes = sampleBytes(sample, &error);
    QVERIFY2(!bytes.isEmpty(), qPrintable(error));
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error);
    QVERIFY2(decoded, qPrintable(error));

    const QCborArray data = decoded->toArray().at(1).toMap().value(u"data"_qs).toArray();
    QCOMPARE(data.size(), 5);
    // cf 6b c7 5e 2d 63 10 00 00: uint64 that fits in int64.
    QCOMPARE(data.at(1).type(), QCborValue::Integer);
    QCOMPARE(data.at(1).toInteger(), Q_INT64_C(7766279631452241920));
    // cf 00 00 00 00 00 00 00 00: BigInt 0n.
    QCOMPARE(data.at(2).type(), QCborValue::Integer);
    QCOMPARE(data.at(2).toInteger(), qint64(0));
    // d3 94 38 a1 d2 9c f0 00 00: int64.
    QCOMPARE(data.at(3).type(), QCborValue::Integer);
    QCOMPARE(data.at(3).toInteger(), Q_INT64_C(-7766279631452241920));
    QCOMPARE(data.at(4).type(), QCborValue::Integer);
    QCOMPARE(data.at(4).toInteger(), qint64(0));
    // The decimal JSON form rounds to the same double, nothing more.
    QCOMPARE(double(data.at(1).toInteger()), 7766279631452242000.0);

    // The big ones re-encode as notepack wrote them.
    QCOMPARE(encodeMsgpack(data.at(1)), hex("cf6bc75e2d63100000"));
    QCOMPARE(encodeMsgpack(data.at(3)), hex("d39438a1d29cf00000"));
}

// value -> exact bytes notepack 3 writes for the JavaScript value, and what those bytes decode to
void tst_MsgpackCodec::encode_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QCborValue>("decoded");

    const auto row = [](const char *tag, const QCborValue &value, const QByteArray &encoded) {
        QTest::newRow(tag) << value << encoded << value;
    };
    const auto rowBack = [](const char *tag, const QCborValue &value, const QByteArray &encoded, const QCborValue &decoded) {
        QTest::newRow(tag) << value << encoded << decoded;
    };
    const QCborValue undefined(QCborValue::Undefined);

    // Integers: the smallest form, unsigned forms for positive values.
    row("0", qint64(0), hex("00"));
    row("1", qint64(1), hex("01"));
    row("127", qint64(127), hex("7f"));
    row("128", qint64(128), hex("cc80"));
    row("255", qint64(255), hex("ccff"));
    row("256", qint64(256), hex("cd0100"));
    row("65535", qint64(65535), hex("cdffff"));
    row("65536", qint64(65536), hex("ce00010000"));
    row("2^32-1", qint64(4294967295), hex("ceffffffff"));
    row("2^32", qint64(4294967296), hex("cf0000000100000000"));
    row("2^53", qint64(9007199254740992), hex("cf0020000000000000"));
    row("-1", qint64(-1), hex("ff"));
    row("-32", qint64(-32), hex("e0"));
    row("-33", qint64(-33), hex("d0df"));
    row("-128", qint64(-128), hex("d080"));
    row("-129", qint64(-129), hex("d1ff7f"));
    row("-32768", qint64(-32768), hex("d18000"));
    row("-32769", qint64(-32769), hex("d2ffff7fff"));
    row("-2^31", qint64(-2147483648LL), hex("d280000000"));
    row("-2^31-1", qint64(-2147483649LL), hex("d3ffffffff7fffffff"));
    row("-2^53", qint64(-9007199254740992), hex("d3ffe0000000000000"));
    row("int64 max", std::numeric_limits<qint64>::max(), hex("cf7fffffffffffffff"));
    row("int64 min", std::numeric_limits<qint64>::min(), hex("d38000000000000000"));

    // JavaScript has one number type: an integral double is written as an integer.
    rowBack("3.0", 3.0, hex("03"), qint64(3));
    rowBack("-0.0", -0.0, hex("00"), qint64(0));
    rowBack("128.0", 128.0, hex("cc80"), qint64(128));
    rowBack("-33.0", -33.0, hex("d0df"), qint64(-33));
    rowBack("65536.0", 65536.0, hex("ce00010000"), qint64(65536));
    rowBack("2^32 as double", 4294967296.0, hex("cf0000000100000000"), qint64(4294967296));
    rowBack("-2^31-1 as double", -2147483649.0, hex("d3ffffffff7fffffff"), qint64(-2147483649LL));
    rowBack("2^53 as double", 9007199254740992.0, hex("cf0020000000000000"), qint64(9007199254740992));
    rowBack("-2^53 as double", -9007199254740992.0, hex("d3ffe0000000000000"), qint64(-9007199254740992));
    rowBack("1e18 as double", 1e18, hex("cf0de0b6b3a7640000"), qint64(1000000000000000000));
    // notepack's uint64/int64 branches are exact for integral Numbers in [-2^63, 2^64): hi is
    // (value / 2^32) >> 0, whose bit pattern is right up to 2^64. 2^63 is not an int64, so it
    // decodes back as a double.
    rowBack("2^63 as double", 9223372036854775808.0, hex("cf8000000000000000"), 9223372036854775808.0);
    rowBack("-2^63 as double", -9223372036854775808.0, hex("d38000000000000000"), std::numeric_limits<qint64>::min());
    rowBack("1e19 as double", 1e19, hex("cf8ac7230489e80000"), 1e19);
    rowBack("largest double below 2^64", 18446744073709549568.0, hex("cffffffffffffff800"), 18446744073709549568.0);
    // From 2^64 on notepack's hi word wraps (it would write another number, 2^64 as 0);
    // float64 keeps the value. 2^64 itself is written by hand: msgpack-cxx's pack_double()
    // casts it to uint64_t (undefined behaviour, which UBSan reports; found by
    // tests/fuzz/fuzz_clustermessages).
    row("2^64 stays float64", 18446744073709551616.0, hex("cb43f0000000000000"));
    row("2^64 in an array", QCborArray{18446744073709551616.0}, hex("91cb43f0000000000000"));
    row("1e20 stays float64", 1e20, hex("cb4415af1d78b58c40"));

    // Other doubles: float64, never float32.
    row("1.5", 1.5, hex("cb3ff8000000000000"));
    row("-0.25", -0.25, hex("cbbfd0000000000000"));
    row("0.1", 0.1, hex("cb3fb999999999999a"));
    row("1e300", 1e300, hex("cb7e37e43c8800759c"));
    row("1e-300", 1e-300, hex("cb01a56e1fc2f8f359"));
    row("denormal min", std::numeric_limits<double>::denorm_min(), hex("cb0000000000000001"));
    row("NaN", std::numeric_limits<double>::quiet_NaN(), hex("cb7ff8000000000000"));
    row("Infinity", std::numeric_limits<double>::infinity(), hex("cb7ff0000000000000"));
    row("-Infinity", -std::numeric_limits<double>::infinity(), hex("cbfff0000000000000"));

    row("null", QCborValue(nullptr), hex("c0"));
    row("true", true, hex("c3"));
    row("false", false, hex("c2"));
    rowBack("undefined alone is nil", undefined, hex("c0"), QCborValue(nullptr));

    // Strings: fixstr below 32 UTF-8 bytes, then str8, str16, str32.
    row("empty string", u""_qs, hex("a0"));
    row("string a", u"a"_qs, hex("a161"));
    row("string of 31", QString(31, u'a'), hex("bf") + QByteArray(31, 'a'));
    row("string of 32", QString(32, u'a'), hex("d920") + QByteArray(32, 'a'));
    row("string of 255", QString(255, u'a'), hex("d9ff") + QByteArray(255, 'a'));
    row("string of 256", QString(256, u'a'), hex("da0100") + QByteArray(256, 'a'));
    row("string of 65535", QString(65535, u'a'), hex("daffff") + QByteArray(65535, 'a'));
    row("string of 65536", QString(65536, u'a'), hex("db00010000") + QByteArray(65536, 'a'));
    row("non-ASCII", QString::fromUtf8("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x9a\x80"),
        hex("af68c3a96c6c6f20e29c9320f09f9a80"));
    // The length counts UTF-8 bytes: 16 characters, 32 bytes.
    row("16 x e-acute is str8", QString(16, QChar(0xe9)), hex("d920") + hex("c3a9").repeated(16));
    row("NUL inside", QString::fromUtf8("a\0b", 3), hex("a3610062"));

    // Byte arrays stay binary: bin8, bin16, bin32.
    row("bin 0", QByteArray(), hex("c400"));
    row("bin 1", QByteArray(1, '\xff'), hex("c401ff"));
    row("bin 255", QByteArray(255, '\x01'), hex("c4ff") + QByteArray(255, '\x01'));
    row("bin 256", QByteArray(256, '\x02'), hex("c50100") + QByteArray(256, '\x02'));
    row("bin 65535", QByteArray(65535, '\x03'), hex("c5ffff") + QByteArray(65535, '\x03'));
    row("bin 65536", QByteArray(65536, '\x04'), hex("c600010000") + QByteArray(65536, '\x04'));

    // Arrays: fixarray below 16, then array16, array32.
    row("empty array", QCborArray(), hex("90"));
    QCborArray array15, array16, array65535, array65536;
    for (int i = 0; i < 65536; ++i) {
        if (i < 15)
            array15.append(qint64(i % 100));
        if (i < 16)
            array16.append(qint64(i % 100));
        if (i < 65535)
            array65535.append(qint64(0));
        array65536.append(qint64(0));
    }
    row("array of 15", array15, hex("9f000102030405060708090a0b0c0d0e"));
    row("array of 16", array16, hex("dc0010000102030405060708090a0b0c0d0e0f"));
    row("array of 65535", array65535, hex("dcffff") + QByteArray(65535, '\0'));
    row("array of 65536", array65536, hex("dd00010000") + QByteArray(65536, '\0'));
    row("nested arrays", QCborArray{QCborArray{QCborArray{}}}, hex("919190"));
    row("nested mixed", QCborArray{qint64(1), QCborArray{qint64(2), QCborArray{qint64(3), QCborArray{}}}},
        hex("92019202920390"));
    row("map in array", QCborArray{QCborMap{{u"a"_qs, QCborArray{QCborMap{{u"b"_qs, nullptr}}}}}},
        hex("9181a1619181a162c0"));
    rowBack("undefined in array is nil", QCborArray{qint64(1), undefined, qint64(2)}, hex("9301c002"),
            QCborArray{qint64(1), nullptr, qint64(2)});

    // Maps: string keys in insertion order; fixmap below 16, then map16, map32.
    row("empty map", QCborMap(), hex("80"));
    row("key order kept", QCborMap{{u"z"_qs, qint64(1)}, {u"a"_qs, qint64(2)}}, hex("82a17a01a16102"));
    QCborMap map15, map16, map16WithUndefined, map65536;
    QByteArray map15Body, map16Body;
    for (int i = 0; i < 16; ++i) {
        const QString key = QString(QChar(u'a' + i));
        if (i < 15) {
            map15.insert(key, qint64(i));
            map15Body += hex("a1") + key.toLatin1() + char(i);
        }
        map16.insert(key, qint64(i));
        map16Body += hex("a1") + key.toLatin1() + char(i);
        map16WithUndefined.insert(key, i == 7 ? undefined : QCborValue(qint64(i)));
    }
    QByteArray map65536Bytes = hex("df00010000");
    {
        // Built from CBOR: QCborMap::insert looks for the key first, quadratic for this size.
        QByteArray cbor;
        QCborStreamWriter writer(&cbor);
        writer.startMap(65536);
        for (int i = 0; i < 65536; ++i) {
            const QString key = u"k%1"_qs.arg(i);
            writer.append(key);
            writer.append(true);
            map65536Bytes += char(0xa0 | key.size()) + key.toLatin1() + '\xc3';
        }
        writer.endMap();
        map65536 = QCborValue::fromCbor(cbor).toMap();
    }
    row("map of 15", map15, hex("8f") + map15Body);
    row("map of 16", map16, hex("de0010") + map16Body);
    row("map of 65536", map65536, map65536Bytes);
    {
        // The undefined entry does not count: 15 entries, so a fixmap.
        QCborMap back = map16WithUndefined;
        back.remove(u"h"_qs);
        QByteArray body;
        for (auto it = back.cbegin(); it != back.cend(); ++it)
            body += hex("a1") + it.key().toString().toLatin1() + char(it.value().toInteger());
        rowBack("map of 16 with one undefined", map16WithUndefined, hex("8f") + body, back);
    }
    rowBack("undefined in map skipped",
            QCborMap{{u"a"_qs, qint64(1)}, {u"b"_qs, undefined}, {u"c"_qs, qint64(2)}}, hex("82a16101a16302"),
            QCborMap{{u"a"_qs, qint64(1)}, {u"c"_qs, qint64(2)}});
    rowBack("only undefined in map", QCborMap{{u"u"_qs, undefined}}, hex("80"), QCborMap());
    rowBack("undefined in nested map",
            QCborArray{QCborMap{{u"x"_qs, QCborMap{{u"u"_qs, undefined}, {u"n"_qs, nullptr}}}}},
            hex("9181a17881a16ec0"), QCborArray{QCborMap{{u"x"_qs, QCborMap{{u"n"_qs, nullptr}}}}});
    row("non-ASCII key and value",
        QCborMap{{QString::fromUtf8("\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87"),
                  QString::fromUtf8("\xd0\xb7\xd0\xbd\xd0\xb0\xd1\x87\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xb5")}},
        hex("81a8d0bad0bbd18ed187b0d0b7d0bdd0b0d187d0b5d0bdd0b8d0b5"));
    // JavaScript object keys are strings.
    rowBack("integer key written as string", QCborMap{{qint64(1), true}}, hex("81a131c3"), QCborMap{{u"1"_qs, true}});
    row("socket.io packet object",
        QCborMap{{u"type"_qs, qint64(2)}, {u"data"_qs, QCborArray{u"ev"_qs, QByteArray("\x00\x01", 2)}}, {u"nsp"_qs, u"/"_qs}},
        hex("83a47479706502a46461746192a26576c4020001a36e7370a12f"));
}

void tst_MsgpackCodec::encode()
{
    QFETCH(QCborValue, value);
    QFETCH(QByteArray, encoded);
    QFETCH(QCborValue, decoded);

    const QByteArray ours = encodeMsgpack(value);
    if (ours != encoded && ours.size() <= 64)
        qWarning("ours: %s\nnode: %s", ours.toHex(' ').constData(), encoded.toHex(' ').constData());
    QVERIFY2(ours == encoded, qPrintable(u"encoded %1 bytes, expected %2"_qs.arg(ours.size()).arg(encoded.size())));

    QString error;
    const std::optional<QCborValue> back = decodeMsgpack(encoded, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY2(identical(*back, decoded), qPrintable(u"decoded %1, expected %2"_qs.arg(show(*back), show(decoded))));
}

// What other encoders write (notepack 2, float32, timestamps, non-minimal forms, integer keys).
void tst_MsgpackCodec::decodeOnly_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QCborValue>("expected");

    const QCborValue undefined(QCborValue::Undefined);
    const auto utc = [](qint64 ms) { return QCborValue(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())); };

    QTest::newRow("notepack 2 undefined") << hex("d40000") << undefined;
    QTest::newRow("notepack 2 undefined in array") << hex("92d4000001") << QCborValue(QCborArray{undefined, qint64(1)});
    QTest::newRow("notepack 2 undefined in map") << hex("81a161d40000") << QCborValue(QCborMap{{u"a"_qs, undefined}});
    QTest::newRow("float32 1.5") << hex("ca3fc00000") << QCborValue(1.5);
    QTest::newRow("float32 -0.25") << hex("cabe800000") << QCborValue(-0.25);
    QTest::newRow("float32 0.1") << hex("ca3dcccccd") << QCborValue(double(0.1f));
    QTest::newRow("float32 3 stays double") << hex("ca40400000") << QCborValue(3.0);
    QTest::newRow("float64 3 stays double") << hex("cb4008000000000000") << QCborValue(3.0);
    // Timestamp extension (-1): 32-bit seconds, 64-bit nanoseconds << 34 | seconds, 96-bit.
    QTest::newRow("timestamp32") << hex("d6ff39457980") << utc(960854400000);
    QTest::newRow("timestamp64") << hex("d7ff1d53530039457980") << utc(960854400123);
    QTest::newRow("timestamp96") << hex("c70cff077359400000000039457980") << utc(960854400125);
    QTest::newRow("timestamp96 before 1970") << hex("c70cff00000000ffffffffffffffff") << utc(-1000);
    QTest::newRow("uint8 1") << hex("cc01") << QCborValue(qint64(1));
    QTest::newRow("uint16 1") << hex("cd0001") << QCborValue(qint64(1));
    QTest::newRow("uint32 1") << hex("ce00000001") << QCborValue(qint64(1));
    QTest::newRow("uint64 1") << hex("cf0000000000000001") << QCborValue(qint64(1));
    QTest::newRow("int8 1") << hex("d001") << QCborValue(qint64(1));
    QTest::newRow("int8 -1") << hex("d0ff") << QCborValue(qint64(-1));
    QTest::newRow("int16 128") << hex("d10080") << QCborValue(qint64(128));
    QTest::newRow("int32 -1") << hex("d2ffffffff") << QCborValue(qint64(-1));
    QTest::newRow("int64 -1") << hex("d3ffffffffffffffff") << QCborValue(qint64(-1));
    QTest::newRow("int64 5") << hex("d30000000000000005") << QCborValue(qint64(5));
    QTest::newRow("uint64 int64 max") << hex("cf7fffffffffffffff") << QCborValue(std::numeric_limits<qint64>::max());
    // Beyond int64 a uint64 is a double, as it is a Number in JavaScript.
    QTest::newRow("uint64 2^63") << hex("cf8000000000000000") << QCborValue(9223372036854775808.0);
    QTest::newRow("uint64 max") << hex("cfffffffffffffffff") << QCborValue(18446744073709551615.0);
    QTest::newRow("str8 short") << hex("d903616263") << QCborValue(u"abc"_qs);
    QTest::newRow("str16 short") << hex("da0003616263") << QCborValue(u"abc"_qs);
    QTest::newRow("str32 short") << hex("db00000003616263") << QCborValue(u"abc"_qs);
    QTest::newRow("bin16 short") << hex("c500020102") << QCborValue(QByteArray("\x01\x02"));
    QTest::newRow("bin32 short") << hex("c6000000020102") << QCborValue(QByteArray("\x01\x02"));
    QTest::newRow("array16 short") << hex("dc000101") << QCborValue(QCborArray{qint64(1)});
    QTest::newRow("array32 short") << hex("dd0000000101") << QCborValue(QCborArray{qint64(1)});
    QTest::newRow("map16 short") << hex("de0001a16101") << QCborValue(QCborMap{{u"a"_qs, qint64(1)}});
    QTest::newRow("map32 short") << hex("df00000001a16101") << QCborValue(QCborMap{{u"a"_qs, qint64(1)}});
    QTest::newRow("integer key") << hex("8101a161") << QCborValue(QCborMap{{u"1"_qs, u"a"_qs}});
    QTest::newRow("negative integer key") << hex("81ffc3") << QCborValue(QCborMap{{u"-1"_qs, true}});
    QTest::newRow("uint16 key") << hex("81cd0100c2") << QCborValue(QCborMap{{u"256"_qs, false}});
    // JavaScript: the last value wins, at the first key's position.
    QTest::newRow("duplicate key") << hex("83a16101a16202a16103")
                                   << QCborValue(QCborMap{{u"a"_qs, qint64(3)}, {u"b"_qs, qint64(2)}});
    // Buffer#toString('utf8') replaces invalid UTF-8 with U+FFFD.
    QTest::newRow("invalid UTF-8") << hex("a3ff6162") << QCborValue(QString(QChar(0xfffd)) + u"ab"_qs);
}

void tst_MsgpackCodec::decodeOnly()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QCborValue, expected);

    QString error;
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error);
    QVERIFY2(decoded, qPrintable(error));
    QVERIFY2(identical(*decoded, expected), qPrintable(u"decoded %1, expected %2"_qs.arg(show(*decoded), show(expected))));
}

// Input that must be refused with an error, quickly and without allocating what a header claims.
void tst_MsgpackCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("reserved c1") << hex("c1") << QString();
    QTest::newRow("reserved c1 in array") << hex("9201c1") << QString();
    QTest::newRow("reserved c1 as key") << hex("81c101") << QString();
    QTest::newRow("trailing byte") << hex("0102") << u"1 trailing bytes"_qs;
    QTest::newRow("trailing after array") << hex("9000") << u"1 trailing bytes"_qs;
    QTest::newRow("two nils") << hex("c0c0") << u"1 trailing bytes"_qs;
    QTest::newRow("array32 of 2^32-1, 5 bytes") << hex("ddffffffff") << QString();
    QTest::newRow("array32 of 2^32-1, a few elements") << hex("ddffffffff010203") << QString();
    QTest::newRow("array16 of 65535, 3 bytes") << hex("dcffff") << QString();
    QTest::newRow("map32 of 2^31") << hex("df80000000a16101") << QString();
    QTest::newRow("map32 of 2^32-1") << hex("dfffffffff") << QString();
    QTest::newRow("map16 of 65535") << hex("deffffa16101") << QString();
    QTest::newRow("str32 of 4 GB") << hex("dbffffffff61") << QString();
    QTest::newRow("str32 of 2 GB") << hex("db8000000061") << QString();
    QTest::newRow("bin32 of 4 GB") << hex("c6ffffffff00") << QString();
    QTest::newRow("ext32 of 4 GB") << hex("c9ffffffff01") << QString();
    QTest::newRow("str8 longer than input") << hex("d9ff61") << QString();
    QTest::newRow("fixstr longer than input") << hex("a5616263") << QString();
    QTest::newRow("100 array32 headers") << hex("ddffffffff").repeated(100) << QString();
    QTest::newRow("100 map32 headers") << hex("dfffffffffa161").repeated(100) << QString();
    QTest::newRow("nesting 1000 arrays") << nestedArrays(1001) << QString();
    QTest::newRow("nesting 1000 maps") << nestedMaps(1001) << QString();
    QTest::newRow("1000 unclosed arrays") << QByteArray(1000, '\x91') << QString();
    QTest::newRow("nesting 100000 arrays") << nestedArrays(100001) << QString();
    QTest::newRow("truncated float64") << hex("cb3ff8") << QString();
    QTest::newRow("truncated uint64") << hex("cf00000000") << QString();
    QTest::newRow("truncated timestamp") << hex("d6ff3945") << QString();

    // The undecodable samples of the Node cluster (notepack: "18 trailing bytes", "Could not parse").
    for (const QJsonValue &value : ::samples()) {
        const QJsonObject sample = value.toObject();
        const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
        if (!sample.contains(u"decodeError"_qs) || bytes.startsWith('{'))
            continue;
        const QString nodeError = sample.value(u"decodeError"_qs).toString();
        QTest::newRow(qPrintable(sample.value(u"kind"_qs).toString()))
            << bytes << (nodeError.contains(u"trailing bytes"_qs) ? nodeError : QString());
    }
}

void tst_MsgpackCodec::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, errorContains);

    const long rssBefore = peakRssKiB();
    QString error;
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error);
    QVERIFY2(!decoded, qPrintable(u"decoded %1"_qs.arg(show(decoded.value_or(QCborValue())))));
    QVERIFY(!error.isEmpty());
    if (!errorContains.isEmpty())
        QVERIFY2(error.contains(errorContains), qPrintable(error));
    // Nothing near what a header claims was allocated and touched.
    QVERIFY2(peakRssKiB() - rssBefore < 64 * 1024, qPrintable(u"peak RSS grew by %1 KiB"_qs.arg(peakRssKiB() - rssBefore)));

    // Without an error pointer it fails the same way.
    QVERIFY(!decodeMsgpack(bytes));
}

// Every proper prefix of a valid message is refused, also when the bytes after the prefix are
// there in memory (the decoder reads only the view it is given).
void tst_MsgpackCodec::truncated_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("hand-made") << hex("94a3616263c402010281a16bcb3ff8000000000000"
                                      "dc0011000102030405060708090a0b0c0d0e0f10");
    for (const char *kind : {"broadcast.node.room-channel.one-room.codec-small",
                             "broadcast.node.room-channel.one-room.binary",
                             "request.BROADCAST.msgpack.binary",
                             "response.BROADCAST_ACK.msgpack"}) {
        QString error;
        const QByteArray bytes = sampleBytes(sample(QString::fromLatin1(kind)), &error);
        QVERIFY2(!bytes.isEmpty(), qPrintable(error));
        QTest::newRow(kind) << bytes;
    }
}

void tst_MsgpackCodec::truncated()
{
    QFETCH(QByteArray, bytes);

    QString error;
    QVERIFY2(decodeMsgpack(bytes, &error), qPrintable(error));
    for (qsizetype length = 0; length < bytes.size(); ++length) {
        error.clear();
        const QByteArray copy = bytes.left(length);
        QVERIFY2(!decodeMsgpack(copy, &error), qPrintable(u"prefix of %1 bytes decoded"_qs.arg(length)));
        QVERIFY2(!error.isEmpty(), qPrintable(u"prefix of %1 bytes: no error"_qs.arg(length)));
        error.clear();
        QVERIFY2(!decodeMsgpack(QByteArrayView(bytes.constData(), length), &error),
                 qPrintable(u"view of %1 bytes decoded"_qs.arg(length)));
        QVERIFY2(!error.isEmpty(), qPrintable(u"view of %1 bytes: no error"_qs.arg(length)));
    }
}

// The default limit admits 64 nested containers; deeper fails cleanly, however deep.
void tst_MsgpackCodec::nesting_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxDepth");
    QTest::addColumn<bool>("ok");

    const int defaultDepth = MsgpackLimits().maxDepth;
    QTest::newRow("1 array") << nestedArrays(1) << defaultDepth << true;
    QTest::newRow("20 arrays") << nestedArrays(20) << defaultDepth << true;
    QTest::newRow("64 arrays") << nestedArrays(64) << defaultDepth << true;
    QTest::newRow("65 arrays") << nestedArrays(65) << defaultDepth << false;
    QTest::newRow("64 maps") << nestedMaps(64) << defaultDepth << true;
    QTest::newRow("65 maps") << nestedMaps(65) << defaultDepth << false;
    QTest::newRow("1000 arrays") << nestedArrays(1000) << defaultDepth << false;
    QTest::newRow("3 arrays, limit 3") << nestedArrays(3) << 3 << true;
    QTest::newRow("4 arrays, limit 3") << nestedArrays(4) << 3 << false;
    QTest::newRow("scalar, limit 0") << hex("01") << 0 << true;
    QTest::newRow("wide and shallow") << hex("dc0100") + hex("90").repeated(256) << 2 << true;
}

void tst_MsgpackCodec::nesting()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxDepth);
    QFETCH(bool, ok);

    QCOMPARE(MsgpackLimits().maxDepth, 64);
    MsgpackLimits limits;
    limits.maxDepth = maxDepth;
    QString error;
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error, limits);
    QVERIFY2(bool(decoded) == ok, qPrintable(error.isEmpty() ? u"decoded"_qs : error));
    if (ok)
        QCOMPARE(encodeMsgpack(*decoded), bytes);
    else
        QVERIFY(!error.isEmpty());
}

void tst_MsgpackCodec::sizeLimit()
{
    QCOMPARE(MsgpackLimits().maxBytes, qsizetype(64 * 1024 * 1024));

    const QByteArray bytes = hex("da0007") + QByteArray(7, 'x'); // 10 bytes
    MsgpackLimits limits;
    limits.maxBytes = 10;
    QString error;
    QVERIFY2(decodeMsgpack(bytes, &error, limits), qPrintable(error));
    limits.maxBytes = 9;
    QVERIFY(!decodeMsgpack(bytes, &error, limits));
    QVERIFY(!error.isEmpty());

    // A value of exactly the default limit is read.
    const qsizetype big = MsgpackLimits().maxBytes;
    QByteArray large = hex("c6") + QByteArray(4, '\0') + QByteArray(big - 5, '\x07');
    const quint32 length = quint32(big - 5);
    large[1] = char(length >> 24);
    large[2] = char(length >> 16);
    large[3] = char(length >> 8);
    large[4] = char(length);
    const std::optional<QCborValue> decoded = decodeMsgpack(large, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(decoded->toByteArray().size(), big - 5);
    // One byte more is refused before it is parsed.
    large.append('\0');
    QVERIFY(!decodeMsgpack(large, &error));
    QVERIFY2(error.contains(u"limit"_qs), qPrintable(error));
}

// A map of many distinct keys decodes in time proportional to its size: a message within the
// size limit must not keep the event loop busy for seconds. (notepack decodes 65536 keys in
// milliseconds.)
void tst_MsgpackCodec::wideMap()
{
    QByteArray bytes = hex("df00010000");
    for (int i = 0; i < 65536; ++i) {
        const QByteArray key = "k" + QByteArray::number(i);
        bytes += char(0xa0 | key.size()) + key + char(i & 0x7f);
    }
    QElapsedTimer timer;
    timer.start();
    QString error;
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes, &error);
    const qint64 ms = timer.elapsed();
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(decoded->toMap().size(), qsizetype(65536));
    QCOMPARE(decoded->toMap().value(u"k65535"_qs).toInteger(), qint64(65535 & 0x7f));
    QVERIFY2(ms < 2000, qPrintable(u"decoding a map of 65536 keys (%1 bytes) took %2 ms"_qs.arg(bytes.size()).arg(ms)));
}

QTEST_GUILESS_MAIN(tst_MsgpackCodec)
#include "tst_msgpackcodec.moc"
