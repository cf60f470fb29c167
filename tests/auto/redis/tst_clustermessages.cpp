// The classic Redis adapter's and the emitter's messages (core/redis/clustermessages,
// redisemitter) against what a Node-only cluster published (wire-samples.json): decoded
// structure, bytes re-encoded exactly, channel names, and refusals of malformed values.

#include "redis/clustermessages.h"
#include "protocol/msgpackcodec.h"
#include "redis/redisemitter.h"
#include "wiresamples.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

#include <ctime>
#include <limits>

using namespace Plugboard;
using namespace Plugboard::Redis;
using namespace WireSamples;

namespace {

QSet<QString> stringSet(const QJsonValue &value)
{
    QSet<QString> set;
    for (const QJsonValue &item : value.toArray())
        set.insert(item.toString());
    return set;
}

QList<QJsonObject> samplesOf(const QString &prefix)
{
    QList<QJsonObject> out;
    for (const QJsonValue &value : samples()) {
        if (value.toObject().value(u"kind"_qs).toString().startsWith(prefix))
            out.append(value.toObject());
    }
    return out;
}

// {"$bin": hex} in a sample's decoded JSON as QByteArray.
QCborValue withBinary(const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.size() == 1 && object.contains(u"$bin"_qs))
            return QByteArray::fromHex(object.value(u"$bin"_qs).toString().toLatin1());
        QCborMap map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            map.insert(it.key(), withBinary(it.value()));
        return map;
    }
    if (value.isArray()) {
        QCborArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(withBinary(item));
        return array;
    }
    return QCborValue::fromJsonValue(value);
}

QCborArray sortedStrings(const QCborValue &value)
{
    QStringList list;
    for (const QCborValue &item : value.toArray())
        list.append(item.toString());
    list.sort();
    QCborArray array;
    for (const QString &item : std::as_const(list))
        array.append(item);
    return array;
}

QStringList sortedList(const QSet<QString> &set)
{
    QStringList list = set.values();
    list.sort();
    return list;
}

QStringList keysOf(const QCborMap &map)
{
    QStringList keys;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        keys.append(it.key().toString());
    return keys;
}

// The uid node A wrote for a namespace, as its plain broadcasts show it.
QString nodeUid(const QString &nsp)
{
    const QJsonObject s = sample(nsp == u"/"_qs ? u"broadcast.node.main-channel.all"_qs
                                                : u"broadcast.node.main-channel.all.nsp"_qs);
    return s.value(u"decoded"_qs).toArray().at(0).toString();
}

void setTimeZone(const QByteArray &tz)
{
    qputenv("TZ", tz);
    tzset();
}

// The time zone the samples were written in: their Date#toString says
// "GMT+0000 (Coordinated Universal Time)".
const QByteArray SampleTimeZone = "Etc/UTC";

} // namespace

class tst_ClusterMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void broadcasts_data();
    void broadcasts();
    void requestsAndResponses_data();
    void requestsAndResponses();
    void fetchedSockets();
    void emitterMessages();
    void refusals();
    void channels();
    void broadcastsReencoded_data();
    void broadcastsReencoded();
    void broadcastUndecodable();
    void broadcastRequests_data();
    void broadcastRequests();
    void messageChannels_data();
    void messageChannels();
    void fetchedSocketsRebuilt_data();
    void fetchedSocketsRebuilt();
    void javascriptDate_data();
    void javascriptDate();
    void packetRefused_data();
    void packetRefused();
    void packetAccepted_data();
    void packetAccepted();
    void packetObject();
    void optionsGarbage_data();
    void optionsGarbage();
    void socketIssued_data();
    void socketIssued();

private:
    QByteArray m_savedTimeZone;
    bool m_hadTimeZone = false;
};

void tst_ClusterMessages::initTestCase()
{
    QVERIFY2(!samples().isEmpty(), qPrintable(SampleDir + u"/wire-samples.json is missing or empty"_qs));
    m_hadTimeZone = qEnvironmentVariableIsSet("TZ");
    m_savedTimeZone = qgetenv("TZ");
    setTimeZone(SampleTimeZone);
}

void tst_ClusterMessages::cleanupTestCase()
{
    if (m_hadTimeZone)
        qputenv("TZ", m_savedTimeZone);
    else
        qunsetenv("TZ");
    tzset();
}

void tst_ClusterMessages::broadcasts_data()
{
    QTest::addColumn<QJsonObject>("sample");
    for (const QJsonObject &s : samplesOf(u"broadcast."_qs)) {
        if (!s.contains(u"decodeError"_qs))
            QTest::newRow(qPrintable(s.value(u"kind"_qs).toString())) << s;
    }
}

void tst_ClusterMessages::broadcasts()
{
    QFETCH(QJsonObject, sample);
    QString error;
    const QByteArray bytes = sampleBytes(sample, &error);
    QVERIFY2(!bytes.isEmpty(), qPrintable(error));
    const std::optional<BroadcastMessage> message = decodeBroadcast(bytes, &error);
    QVERIFY2(message, qPrintable(error));

    const QJsonArray decoded = sample.value(u"decoded"_qs).toArray();
    QCOMPARE(message->uid, decoded.at(0).toString());
    const QJsonObject packet = decoded.at(1).toObject();
    QCOMPARE(int(message->packet.type), packet.value(u"type"_qs).toInt());
    QCOMPARE(message->packet.nsp, packet.value(u"nsp"_qs).toString(u"/"_qs));
    const QString why = mismatch(message->packet.data, packet.value(u"data"_qs));
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const QJsonObject opts = decoded.at(2).toObject();
    QCOMPARE(message->options.rooms, stringSet(opts.value(u"rooms"_qs)));
    QCOMPARE(message->options.except, stringSet(opts.value(u"except"_qs)));
    const QJsonObject flags = opts.value(u"flags"_qs).toObject();
    QCOMPARE(message->options.flags.isVolatile, flags.value(u"volatile"_qs).toBool());
    QCOMPARE(message->options.flags.compress.has_value(), flags.contains(u"compress"_qs));
    if (flags.contains(u"compress"_qs))
        QCOMPARE(*message->options.flags.compress, flags.value(u"compress"_qs).toBool());
    QCOMPARE(message->options.flags.timeoutMs, flags.contains(u"timeout"_qs) ? flags.value(u"timeout"_qs).toInt() : -1);
    QVERIFY(!message->options.flags.local);
    QCOMPARE(packet.value(u"type"_qs).toInt(), 2);
    QCOMPARE(message->packet.type, SocketIO::PacketType::Event);
    QVERIFY(!packet.contains(u"id"_qs));
    QCOMPARE(message->packet.id, SocketIO::NoAckId);

    // The channel: the room's when there is exactly one room.
    const Channels channels = channelsFor(u"socket.io"_qs, message->packet.nsp, message->uid);
    const QByteArray channel = sample.value(u"channel"_qs).toString().toUtf8();
    if (message->options.rooms.size() == 1)
        QCOMPARE(channel, channels.roomChannel(*message->options.rooms.cbegin()));
    else
        QCOMPARE(channel, channels.broadcast);

    // Node's adapter writes opts as {rooms, except, flags}: our encoder writes the same bytes
    // (rooms are sorted, so several rooms compare as above only).
    const bool byNode = sample.value(u"publisher"_qs).toString().startsWith(u"node"_qs);
    if (byNode && message->options.rooms.size() <= 1 && message->options.except.size() <= 1
        && !sample.value(u"kind"_qs).toString().contains(u"bigint"_qs))
        QCOMPARE(encodeBroadcast(*message).toHex(), bytes.toHex());
}

void tst_ClusterMessages::requestsAndResponses_data()
{
    QTest::addColumn<QJsonObject>("sample");
    for (const QString &prefix : {u"request."_qs, u"response."_qs}) {
        for (const QJsonObject &s : samplesOf(prefix))
            QTest::newRow(qPrintable(s.value(u"kind"_qs).toString())) << s;
    }
}

void tst_ClusterMessages::requestsAndResponses()
{
    QFETCH(QJsonObject, sample);
    const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    QString error;
    const std::optional<QCborMap> message = decodeMessage(bytes, &error);
    if (sample.contains(u"decodeError"_qs)) {
        QVERIFY(!message);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(message, qPrintable(error));
    const QString why = mismatch(*message, sample.value(u"decoded"_qs));
    QVERIFY2(why.isEmpty(), qPrintable(why));
    // Re-encoded, the same bytes: JSON as JSON.stringify writes it, msgpack as notepack.
    if (sample.value(u"encoding"_qs).toString() == u"json"_qs)
        QCOMPARE(encodeJsonMessage(*message), bytes);
    else
        QCOMPARE(encodeMsgpackMessage(*message).toHex(), bytes.toHex());
}

void tst_ClusterMessages::fetchedSockets()
{
    const QJsonObject sample = WireSamples::sample(u"response.REMOTE_FETCH.json"_qs);
    const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    const std::optional<QCborMap> message = decodeMessage(bytes);
    QVERIFY(message);
    const QCborArray sockets = message->value(u"sockets"_qs).toArray();
    QVERIFY(!sockets.isEmpty());
    const QJsonArray expected = sample.value(u"decoded"_qs).toObject().value(u"sockets"_qs).toArray();
    for (qsizetype i = 0; i < sockets.size(); ++i) {
        const std::optional<SocketDetails> socket = socketFromObject(sockets.at(i));
        QVERIFY(socket);
        const QJsonObject e = expected.at(i).toObject();
        const QJsonObject h = e.value(u"handshake"_qs).toObject();
        QCOMPARE(socket->id, e.value(u"id"_qs).toString());
        QStringList rooms = stringSet(e.value(u"rooms"_qs)).values();
        rooms.sort();
        QCOMPARE(socket->rooms, rooms);
        QVERIFY2(mismatch(socket->data, e.value(u"data"_qs)).isEmpty(), qPrintable(mismatch(socket->data, e.value(u"data"_qs))));
        QCOMPARE(socket->handshake.address, h.value(u"address"_qs).toString());
        QCOMPARE(socket->handshake.xdomain, h.value(u"xdomain"_qs).toBool());
        QCOMPARE(socket->handshake.secure, h.value(u"secure"_qs).toBool());
        QCOMPARE(double(socket->handshake.issued), h.value(u"issued"_qs).toDouble());
        QCOMPARE(socket->handshake.url, h.value(u"url"_qs).toString());
        QVERIFY2(mismatch(socket->handshake.headers, h.value(u"headers"_qs)).isEmpty(), qPrintable(mismatch(socket->handshake.headers, h.value(u"headers"_qs))));
        QVERIFY2(mismatch(socket->handshake.query, h.value(u"query"_qs)).isEmpty(), qPrintable(mismatch(socket->handshake.query, h.value(u"query"_qs))));
        QVERIFY2(mismatch(socket->handshake.auth, h.value(u"auth"_qs)).isEmpty(), qPrintable(mismatch(socket->handshake.auth, h.value(u"auth"_qs))));

        // And back, in Node's key order and types.
        const QCborMap object = socketToObject(*socket);
        QStringList keys;
        for (auto it = object.cbegin(); it != object.cend(); ++it)
            keys.append(it.key().toString());
        QCOMPARE(keys, (QStringList{u"id"_qs, u"handshake"_qs, u"rooms"_qs, u"data"_qs}));
        const QCborMap handshake = object.value(u"handshake"_qs).toMap();
        keys.clear();
        for (auto it = handshake.cbegin(); it != handshake.cend(); ++it)
            keys.append(it.key().toString());
        QCOMPARE(keys, (QStringList{u"headers"_qs, u"time"_qs, u"address"_qs, u"xdomain"_qs, u"secure"_qs,
                                    u"issued"_qs, u"url"_qs, u"query"_qs, u"auth"_qs}));
        static const QRegularExpression jsDate(uR"(^\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \(.+\)$)"_qs);
        QVERIFY2(jsDate.match(handshake.value(u"time"_qs).toString()).hasMatch(),
                 qPrintable(handshake.value(u"time"_qs).toString()));
        QVERIFY(handshake.value(u"issued"_qs).isInteger());
    }
}

void tst_ClusterMessages::emitterMessages()
{
    // Every broadcast the Node emitter published, written again by Redis::Emitter.
    int checked = 0;
    for (const QJsonObject &s : samplesOf(u"broadcast.emitter."_qs)) {
        const QJsonArray decoded = s.value(u"decoded"_qs).toArray();
        const QJsonObject packet = decoded.at(1).toObject();
        const QJsonObject opts = decoded.at(2).toObject();
        Emitter emitter = Emitter(nullptr).of(packet.value(u"nsp"_qs).toString());
        for (const QJsonValue &room : opts.value(u"rooms"_qs).toArray())
            emitter = emitter.to(room.toString());
        for (const QJsonValue &room : opts.value(u"except"_qs).toArray())
            emitter = emitter.except(room.toString());
        const QJsonObject flags = opts.value(u"flags"_qs).toObject();
        if (flags.value(u"volatile"_qs).toBool())
            emitter = emitter.asVolatile();
        if (flags.contains(u"compress"_qs))
            emitter = emitter.compress(flags.value(u"compress"_qs).toBool());
        QCborArray data = withBinary(packet.value(u"data"_qs)).toArray();
        const QString event = data.takeFirst().toString();
        QCOMPARE(emitter.broadcastMessage(event, data).toHex(), s.value(u"hex"_qs).toString().toLatin1());
        QCOMPARE(emitter.broadcastChannel(), s.value(u"channel"_qs).toString().toUtf8());
        ++checked;
    }
    QCOMPARE(checked, 7);
    QVERIFY(!Emitter(nullptr).emitEvent(u"x"_qs)); // no client: nothing sent, and it says so
}

void tst_ClusterMessages::refusals()
{
    QVERIFY(!packetFromObject(QCborValue(1)));
    QVERIFY(!packetFromObject(QCborMap{}));
    QVERIFY(!packetFromObject(QCborMap{{u"type"_qs, -1}}));
    QVERIFY(!packetFromObject(QCborMap{{u"type"_qs, 7}}));
    QVERIFY(!packetFromObject(QCborMap{{u"type"_qs, u"2"_qs}}));
    QVERIFY(!packetFromObject(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, 5}}));
    const std::optional<SocketIO::Packet> defaulted = packetFromObject(QCborMap{{u"type"_qs, 2}, {u"data"_qs, QCborArray{u"e"_qs}}});
    QVERIFY(defaulted);
    QCOMPARE(defaulted->nsp, u"/"_qs);

    const BroadcastOptions garbage = optionsFromObject(QCborMap{{u"rooms"_qs, u"x"_qs}, {u"except"_qs, QCborArray{1, 2}},
                                                                {u"flags"_qs, 3}});
    QVERIFY(garbage.rooms.isEmpty());
    QVERIFY(garbage.except.isEmpty());
    QVERIFY(!garbage.flags.isVolatile);
    QVERIFY(optionsFromObject(QCborValue(u"nothing"_qs)).rooms.isEmpty());

    QString error;
    QVERIFY(!decodeBroadcast(encodeMsgpack(QCborArray{u"uid"_qs}), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!decodeBroadcast(encodeMsgpack(QCborArray{u"uid"_qs, QCborValue(), QCborMap{}}), &error));
    QVERIFY(!decodeBroadcast(encodeMsgpack(QCborArray{u"uid"_qs, QCborMap{{u"type"_qs, 2}}, 5}), &error));
    QVERIFY(!decodeMessage(QByteArray("{\"a\":"), &error));
    QVERIFY(!decodeMessage(QByteArray("[1]"), &error));
    QVERIFY(!decodeMessage(encodeMsgpack(QCborArray{1}), &error));
    QVERIFY(!decodeMessage(QByteArray(), &error));
    QVERIFY(!socketFromObject(QCborMap{{u"id"_qs, 5}}));
}

void tst_ClusterMessages::socketIssued_data()
{
    QTest::addColumn<QCborValue>("issued");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("integer") << QCborValue(qint64(1700000000000)) << qint64(1700000000000);
    QTest::newRow("integral double") << QCborValue(1700000000000.0) << qint64(1700000000000);
    QTest::newRow("fraction") << QCborValue(1700000000000.75) << qint64(1700000000000);
    QTest::newRow("absent") << QCborValue(QCborValue::Undefined) << qint64(0);
    // Beyond int64 a double cannot be cast (found by tests/fuzz/fuzz_clustermessages).
    QTest::newRow("beyond int64") << QCborValue(1.7e25) << qint64(0);
    QTest::newRow("below int64") << QCborValue(-1e30) << qint64(0);
    QTest::newRow("infinity") << QCborValue(std::numeric_limits<double>::infinity()) << qint64(0);
    QTest::newRow("NaN") << QCborValue(std::numeric_limits<double>::quiet_NaN()) << qint64(0);
}

void tst_ClusterMessages::socketIssued()
{
    QFETCH(QCborValue, issued);
    QFETCH(qint64, expected);
    QCborMap handshake{{u"address"_qs, u"::1"_qs}};
    if (!issued.isUndefined())
        handshake.insert(u"issued"_qs, issued);
    const std::optional<SocketDetails> socket =
        socketFromObject(QCborMap{{u"id"_qs, u"s1"_qs}, {u"handshake"_qs, handshake}});
    QVERIFY(socket);
    QCOMPARE(socket->handshake.issued, expected);
    QCOMPARE(socket->handshake.time.toMSecsSinceEpoch(), expected);
}

void tst_ClusterMessages::channels()
{
    const Channels c = channelsFor(u"socket.io"_qs, u"/chat"_qs, u"abc"_qs);
    QCOMPARE(c.broadcast, QByteArray("socket.io#/chat#"));
    QCOMPARE(c.broadcastPattern, QByteArray("socket.io#/chat#*"));
    QCOMPARE(c.request, QByteArray("socket.io-request#/chat#"));
    QCOMPARE(c.response, QByteArray("socket.io-response#/chat#"));
    QCOMPARE(c.ownResponse, QByteArray("socket.io-response#/chat#abc#"));
    QCOMPARE(c.roomChannel(u"r"_qs), QByteArray("socket.io#/chat#r#"));
    const Channels k = channelsFor(u"app"_qs, u"/"_qs, u"u"_qs);
    QCOMPARE(k.broadcast, QByteArray("app#/#"));
    QCOMPARE(k.request, QByteArray("app-request#/#"));
    QCOMPARE(k.ownResponse, QByteArray("app-response#/#u#"));
    QCOMPARE(k.broadcastPattern, QByteArray("app#/#*"));
    QCOMPARE(k.response, QByteArray("app-response#/#"));
    QCOMPARE(k.roomChannel(u"r"_qs), QByteArray("app#/#r#"));
    QCOMPARE(c.roomChannel(QString::fromUtf8("\xc3\xa9t\xc3\xa9")), QByteArray("socket.io#/chat#\xc3\xa9t\xc3\xa9#"));
}

// encodeBroadcast(decodeBroadcast(bytes)) for every broadcast sample: Node's adapter layout
// [uid, {type, data, nsp}, {rooms, except, flags}] with rooms and except sorted. Where Node's
// own message already has that form, the very same bytes.
void tst_ClusterMessages::broadcastsReencoded_data()
{
    broadcasts_data();
}

void tst_ClusterMessages::broadcastsReencoded()
{
    QFETCH(QJsonObject, sample);
    QString error;
    const QByteArray bytes = sampleBytes(sample, &error);
    QVERIFY2(!bytes.isEmpty(), qPrintable(error));
    const std::optional<BroadcastMessage> message = decodeBroadcast(bytes, &error);
    QVERIFY2(message, qPrintable(error));
    const QByteArray ours = encodeBroadcast(*message);

    const std::optional<QCborValue> original = decodeMsgpack(bytes, &error);
    QVERIFY2(original, qPrintable(error));
    QCborArray nodeLayout = original->toArray();
    const QCborMap opts = nodeLayout.at(2).toMap();
    nodeLayout[2] = QCborMap{{u"rooms"_qs, sortedStrings(opts.value(u"rooms"_qs))},
                             {u"except"_qs, sortedStrings(opts.value(u"except"_qs))},
                             {u"flags"_qs, opts.value(u"flags"_qs)}};
    QCOMPARE(ours.toHex(), encodeMsgpack(nodeLayout).toHex());
    const QCborMap ourOpts = decodeMsgpack(ours)->toArray().at(2).toMap();
    QCOMPARE(keysOf(ourOpts), (QStringList{u"rooms"_qs, u"except"_qs, u"flags"_qs}));

    const QString kind = sample.value(u"kind"_qs).toString();
    const QString publisher = sample.value(u"publisher"_qs).toString();
    const bool sortedInSample = opts.value(u"rooms"_qs).toArray() == sortedStrings(opts.value(u"rooms"_qs))
                                && opts.value(u"except"_qs).toArray() == sortedStrings(opts.value(u"except"_qs));
    if (publisher.startsWith(u"node"_qs) && sortedInSample) {
        QByteArray expected = bytes;
        if (kind.endsWith(u".codec-bigint"_qs)) {
            // Known difference: notepack writes the BigInt 0n as uint64 cf 00 00 00 00 00 00 00 00;
            // decoded it is the number 0, which we write as notepack writes the Number 0: fixint 00.
            const QByteArray bigIntZero = hex("cf0000000000000000");
            QCOMPARE(expected.count(bigIntZero), 2);
            expected.replace(bigIntZero, QByteArray(1, '\0'));
        }
        QCOMPARE(ours.toHex(), expected.toHex());
    } else if (publisher.startsWith(u"@socket.io/redis-emitter"_qs)) {
        // Known difference: the emitter writes opts as {rooms, flags, except}; we write the
        // adapter's {rooms, except, flags}. Same entries, same size (compared above).
        QCOMPARE(keysOf(opts), (QStringList{u"rooms"_qs, u"flags"_qs, u"except"_qs}));
        QCOMPARE(ours.size(), bytes.size());
    } else {
        QFAIL(qPrintable(u"unexpected publisher %1 with unsorted rooms"_qs.arg(publisher)));
    }
}

void tst_ClusterMessages::broadcastUndecodable()
{
    const QJsonObject sample = WireSamples::sample(u"broadcast.undecodable"_qs);
    QVERIFY(sample.contains(u"decodeError"_qs));
    const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    QString error;
    QVERIFY(!decodeBroadcast(bytes, &error));
    // notepack says "18 trailing bytes": 't' is a whole value (fixint 116).
    QVERIFY2(error.contains(sample.value(u"decodeError"_qs).toString()), qPrintable(error));
    QVERIFY(!decodeBroadcast(bytes));
    QVERIFY(!decodeBroadcast(QByteArray(), &error));
    QVERIFY(!error.isEmpty());
}

// BROADCAST requests (with acks) rebuilt from typed values give Node's bytes, flags.timeout included.
void tst_ClusterMessages::broadcastRequests_data()
{
    QTest::addColumn<QJsonObject>("sample");
    for (const QJsonObject &s : samplesOf(u"request.BROADCAST."_qs))
        QTest::newRow(qPrintable(s.value(u"kind"_qs).toString())) << s;
}

void tst_ClusterMessages::broadcastRequests()
{
    QFETCH(QJsonObject, sample);
    const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    QString error;
    const std::optional<QCborMap> message = decodeMessage(bytes, &error);
    QVERIFY2(message, qPrintable(error));
    QCOMPARE(message->value(u"type"_qs).toInteger(), qint64(RequestType::Broadcast));

    const std::optional<SocketIO::Packet> packet = packetFromObject(message->value(u"packet"_qs));
    QVERIFY(packet);
    QCOMPARE(packet->type, SocketIO::PacketType::Event);
    const QJsonObject decoded = sample.value(u"decoded"_qs).toObject();
    const QString why = mismatch(packet->data, decoded.value(u"packet"_qs).toObject().value(u"data"_qs));
    QVERIFY2(why.isEmpty(), qPrintable(why));

    const BroadcastOptions options = optionsFromObject(message->value(u"opts"_qs));
    const QJsonObject opts = decoded.value(u"opts"_qs).toObject();
    QCOMPARE(options.rooms, stringSet(opts.value(u"rooms"_qs)));
    QCOMPARE(options.except, stringSet(opts.value(u"except"_qs)));
    QVERIFY(opts.value(u"flags"_qs).toObject().contains(u"timeout"_qs));
    QCOMPARE(options.flags.timeoutMs, opts.value(u"flags"_qs).toObject().value(u"timeout"_qs).toInt());
    QVERIFY(!options.flags.isVolatile);
    QVERIFY(!options.flags.compress);

    const QCborMap rebuilt{{u"uid"_qs, message->value(u"uid"_qs)},
                           {u"requestId"_qs, message->value(u"requestId"_qs)},
                           {u"type"_qs, qint64(RequestType::Broadcast)},
                           {u"packet"_qs, packetToObject(*packet)},
                           {u"opts"_qs, optionsToObject(options)}};
    QCOMPARE(encodeMsgpackMessage(rebuilt).toHex(), bytes.toHex());
}

// Requests go to key-request#nsp#, responses to key-response#nsp# or the requester's own
// key-response#nsp#uid#.
void tst_ClusterMessages::messageChannels_data()
{
    requestsAndResponses_data();
}

void tst_ClusterMessages::messageChannels()
{
    QFETCH(QJsonObject, sample);
    const QString kind = sample.value(u"kind"_qs).toString();
    const QByteArray channel = sample.value(u"channel"_qs).toString().toUtf8();
    const QString nsp = kind.contains(u".nsp"_qs) ? u"/chat"_qs : u"/"_qs;
    const Channels channels = channelsFor(u"socket.io"_qs, nsp, nodeUid(nsp));
    if (kind.startsWith(u"request."_qs)) {
        QCOMPARE(channel, channels.request);
        // Node A writes its namespace's uid into its requests.
        if (sample.value(u"publisher"_qs).toString() == u"node A"_qs)
            QCOMPARE(sample.value(u"decoded"_qs).toObject().value(u"uid"_qs).toString(), nodeUid(nsp));
    } else if (kind.contains(u".specific-channel"_qs)) {
        QCOMPARE(channel, channels.ownResponse);
    } else {
        QCOMPARE(channel, channels.response);
    }
}

// Every socket of every REMOTE_FETCH response: read, then written again, gives Node's JSON
// (rooms sorted, as we keep them): key order, types, issued in ms and time as Date#toString.
void tst_ClusterMessages::fetchedSocketsRebuilt_data()
{
    QTest::addColumn<QJsonObject>("sample");
    for (const QJsonObject &s : samplesOf(u"response.REMOTE_FETCH."_qs))
        QTest::newRow(qPrintable(s.value(u"kind"_qs).toString())) << s;
}

void tst_ClusterMessages::fetchedSocketsRebuilt()
{
    QFETCH(QJsonObject, sample);
    const QByteArray bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    QString error;
    const std::optional<QCborMap> message = decodeMessage(bytes, &error);
    QVERIFY2(message, qPrintable(error));
    const QJsonArray expectedSockets = sample.value(u"decoded"_qs).toObject().value(u"sockets"_qs).toArray();
    const QCborArray sockets = message->value(u"sockets"_qs).toArray();
    QCOMPARE(sockets.size(), expectedSockets.size());

    static const QRegularExpression jsDate(uR"(^\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \(.+\)$)"_qs);
    QCborArray nodeSockets, ourSockets;
    for (qsizetype i = 0; i < sockets.size(); ++i) {
        const std::optional<SocketDetails> socket = socketFromObject(sockets.at(i));
        QVERIFY(socket);
        const QJsonObject e = expectedSockets.at(i).toObject();
        const QJsonObject h = e.value(u"handshake"_qs).toObject();
        QCOMPARE(socket->id, e.value(u"id"_qs).toString());
        QCOMPARE(socket->rooms, sortedList(stringSet(e.value(u"rooms"_qs))));
        QCOMPARE(socket->handshake.issued, qint64(h.value(u"issued"_qs).toDouble()));
        QCOMPARE(socket->handshake.time.toMSecsSinceEpoch(), socket->handshake.issued);
        QVERIFY(!socket->local);
        const QString time = javascriptDateString(socket->handshake.time);
        QVERIFY2(jsDate.match(time).hasMatch(), qPrintable(time));
        QCOMPARE(time, h.value(u"time"_qs).toString());

        QCborMap nodeSocket = sockets.at(i).toMap();
        nodeSocket[u"rooms"_qs] = sortedStrings(nodeSocket.value(u"rooms"_qs));
        nodeSockets.append(nodeSocket);
        ourSockets.append(socketToObject(*socket));
    }
    QCborMap nodeMessage = *message;
    nodeMessage[u"sockets"_qs] = nodeSockets;
    const QCborMap ourMessage{{u"requestId"_qs, message->value(u"requestId"_qs)}, {u"sockets"_qs, ourSockets}};
    QCOMPARE(QString::fromUtf8(encodeJsonMessage(ourMessage)), QString::fromUtf8(encodeJsonMessage(nodeMessage)));
}

// Date#toString as V8 writes it in the process's time zone: the zone's long name from ICU
// ("Coordinated Universal Time" for UTC whatever alias TZ names it by).
void tst_ClusterMessages::javascriptDate_data()
{
    QTest::addColumn<QByteArray>("tz");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");

    const qint64 july2026 = 1782907200000; // 2026-07-01T12:00:00Z
    QTest::newRow("Etc/UTC epoch") << QByteArray("Etc/UTC") << qint64(0)
                                   << u"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"_qs;
    QTest::newRow("Etc/UTC sample") << QByteArray("Etc/UTC") << qint64(1795706571635)
                                    << u"Thu Nov 26 2026 15:22:51 GMT+0000 (Coordinated Universal Time)"_qs;
    QTest::newRow("TZ=UTC") << QByteArray("UTC") << qint64(0)
                            << u"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"_qs;
    QTest::newRow("Berlin winter") << QByteArray("Europe/Berlin") << qint64(0)
                                   << u"Thu Jan 01 1970 01:00:00 GMT+0100 (Central European Standard Time)"_qs;
    QTest::newRow("Berlin summer") << QByteArray("Europe/Berlin") << july2026
                                   << u"Wed Jul 01 2026 14:00:00 GMT+0200 (Central European Summer Time)"_qs;
    QTest::newRow("New York winter") << QByteArray("America/New_York") << qint64(0)
                                     << u"Wed Dec 31 1969 19:00:00 GMT-0500 (Eastern Standard Time)"_qs;
    QTest::newRow("New York summer") << QByteArray("America/New_York") << july2026
                                     << u"Wed Jul 01 2026 08:00:00 GMT-0400 (Eastern Daylight Time)"_qs;
    QTest::newRow("Kolkata") << QByteArray("Asia/Kolkata") << qint64(0)
                             << u"Thu Jan 01 1970 05:30:00 GMT+0530 (India Standard Time)"_qs;
}

void tst_ClusterMessages::javascriptDate()
{
    QFETCH(QByteArray, tz);
    QFETCH(qint64, ms);
    QFETCH(QString, expected);

    if (!QTimeZone(tz).isValid())
        QSKIP(qPrintable(u"time zone %1 is not installed"_qs.arg(QString::fromLatin1(tz))));
    setTimeZone(tz);
    const QString time = javascriptDateString(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()));
    setTimeZone(SampleTimeZone);
    QCOMPARE(time, expected);
}

void tst_ClusterMessages::packetRefused_data()
{
    QTest::addColumn<QCborValue>("object");

    QTest::newRow("integer") << QCborValue(1);
    QTest::newRow("string") << QCborValue(u"{\"type\":2}"_qs);
    QTest::newRow("array") << QCborValue(QCborArray{2, u"/"_qs});
    QTest::newRow("null") << QCborValue(nullptr);
    QTest::newRow("undefined") << QCborValue();
    QTest::newRow("bytes") << QCborValue(QByteArray("\x83"));
    QTest::newRow("missing type") << QCborValue(QCborMap{{u"nsp"_qs, u"/"_qs}, {u"data"_qs, QCborArray{u"e"_qs}}});
    QTest::newRow("type -1") << QCborValue(QCborMap{{u"type"_qs, -1}});
    QTest::newRow("type 7") << QCborValue(QCborMap{{u"type"_qs, 7}});
    QTest::newRow("type 42") << QCborValue(QCborMap{{u"type"_qs, 42}});
    QTest::newRow("type int64 max") << QCborValue(QCborMap{{u"type"_qs, std::numeric_limits<qint64>::max()}});
    QTest::newRow("type int64 min") << QCborValue(QCborMap{{u"type"_qs, std::numeric_limits<qint64>::min()}});
    QTest::newRow("type 2.5") << QCborValue(QCborMap{{u"type"_qs, 2.5}});
    QTest::newRow("type 7.0") << QCborValue(QCborMap{{u"type"_qs, 7.0}});
    QTest::newRow("type string") << QCborValue(QCborMap{{u"type"_qs, u"2"_qs}});
    QTest::newRow("type true") << QCborValue(QCborMap{{u"type"_qs, true}});
    QTest::newRow("type null") << QCborValue(QCborMap{{u"type"_qs, nullptr}});
    QTest::newRow("type array") << QCborValue(QCborMap{{u"type"_qs, QCborArray{2}}});
    QTest::newRow("nsp integer") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, 5}});
    QTest::newRow("nsp array") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, QCborArray{u"/"_qs}}});
    QTest::newRow("nsp map") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, QCborMap{{u"a"_qs, 1}}}});
    QTest::newRow("nsp bool") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, false}});
    QTest::newRow("nsp bytes") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, QByteArray("/")}});
}

void tst_ClusterMessages::packetRefused()
{
    QFETCH(QCborValue, object);
    QVERIFY(!packetFromObject(object));
}

void tst_ClusterMessages::packetAccepted_data()
{
    QTest::addColumn<QCborValue>("object");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QCborValue>("data");

    const QCborArray data{u"e"_qs, 1};
    QTest::newRow("event") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"data"_qs, data}, {u"nsp"_qs, u"/chat"_qs}})
                           << 2 << u"/chat"_qs << SocketIO::NoAckId << QCborValue(data);
    QTest::newRow("type 0") << QCborValue(QCborMap{{u"type"_qs, 0}, {u"nsp"_qs, u"/"_qs}})
                            << 0 << u"/"_qs << SocketIO::NoAckId << QCborValue();
    QTest::newRow("type 6") << QCborValue(QCborMap{{u"type"_qs, 6}, {u"nsp"_qs, u"/"_qs}})
                            << 6 << u"/"_qs << SocketIO::NoAckId << QCborValue();
    QTest::newRow("type 2.0") << QCborValue(QCborMap{{u"type"_qs, 2.0}, {u"data"_qs, data}})
                              << 2 << u"/"_qs << SocketIO::NoAckId << QCborValue(data);
    QTest::newRow("nsp missing") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"data"_qs, data}})
                                 << 2 << u"/"_qs << SocketIO::NoAckId << QCborValue(data);
    QTest::newRow("nsp null") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"nsp"_qs, nullptr}})
                              << 2 << u"/"_qs << SocketIO::NoAckId << QCborValue();
    QTest::newRow("ack id") << QCborValue(QCborMap{{u"type"_qs, 3}, {u"data"_qs, data}, {u"nsp"_qs, u"/"_qs}, {u"id"_qs, 5}})
                            << 3 << u"/"_qs << qint64(5) << QCborValue(data);
    QTest::newRow("id 0") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"id"_qs, 0}})
                          << 2 << u"/"_qs << qint64(0) << QCborValue();
    QTest::newRow("negative id ignored") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"id"_qs, -1}})
                                         << 2 << u"/"_qs << SocketIO::NoAckId << QCborValue();
    QTest::newRow("string id ignored") << QCborValue(QCborMap{{u"type"_qs, 2}, {u"id"_qs, u"5"_qs}})
                                       << 2 << u"/"_qs << SocketIO::NoAckId << QCborValue();
}

void tst_ClusterMessages::packetAccepted()
{
    QFETCH(QCborValue, object);
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QCborValue, data);

    const std::optional<SocketIO::Packet> packet = packetFromObject(object);
    QVERIFY(packet);
    QCOMPARE(int(packet->type), type);
    QCOMPARE(packet->nsp, nsp);
    QCOMPARE(packet->id, id);
    QCOMPARE(packet->data, data);
}

// socket.io-parser's in-memory object: {type, data, nsp[, id]}, binary kinds as plain ones.
void tst_ClusterMessages::packetObject()
{
    SocketIO::Packet packet;
    packet.type = SocketIO::PacketType::BinaryEvent;
    packet.nsp = u"/chat"_qs;
    packet.data = QCborArray{u"e"_qs, QByteArray("\x01")};
    QCborMap object = packetToObject(packet);
    QCOMPARE(keysOf(object), (QStringList{u"type"_qs, u"data"_qs, u"nsp"_qs}));
    QCOMPARE(object.value(u"type"_qs).toInteger(), qint64(2));
    QCOMPARE(encodeMsgpack(object), hex("83a47479706502a46461746192a165c40101a36e7370a52f63686174"));

    packet.type = SocketIO::PacketType::BinaryAck;
    packet.id = 7;
    object = packetToObject(packet);
    QCOMPARE(keysOf(object), (QStringList{u"type"_qs, u"data"_qs, u"nsp"_qs, u"id"_qs}));
    QCOMPARE(object.value(u"type"_qs).toInteger(), qint64(3));
    QCOMPARE(object.value(u"id"_qs).toInteger(), qint64(7));

    packet = SocketIO::Packet();
    packet.type = SocketIO::PacketType::Connect;
    object = packetToObject(packet);
    QCOMPARE(keysOf(object), (QStringList{u"type"_qs, u"nsp"_qs})); // no payload: no data key
    const std::optional<SocketIO::Packet> back = packetFromObject(object);
    QVERIFY(back);
    QCOMPARE(back->type, SocketIO::PacketType::Connect);
    QVERIFY(back->data.isUndefined());
}

// Whatever arrives as opts: no crash, non-strings dropped, unusable flags ignored.
void tst_ClusterMessages::optionsGarbage_data()
{
    QTest::addColumn<QCborValue>("object");
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<bool>("isVolatile");
    QTest::addColumn<int>("compress"); // -1: not given
    QTest::addColumn<int>("timeoutMs");

    const QStringList none;
    const auto flags = [](const QCborMap &map) { return QCborValue(QCborMap{{u"flags"_qs, map}}); };
    QTest::newRow("null") << QCborValue(nullptr) << none << none << false << -1 << -1;
    QTest::newRow("undefined") << QCborValue() << none << none << false << -1 << -1;
    QTest::newRow("integer") << QCborValue(42) << none << none << false << -1 << -1;
    QTest::newRow("string") << QCborValue(u"rooms"_qs) << none << none << false << -1 << -1;
    QTest::newRow("array") << QCborValue(QCborArray{u"a"_qs, u"b"_qs}) << none << none << false << -1 << -1;
    QTest::newRow("bytes") << QCborValue(QByteArray("rooms")) << none << none << false << -1 << -1;
    QTest::newRow("empty map") << QCborValue(QCborMap()) << none << none << false << -1 << -1;
    QTest::newRow("wrong member types")
        << QCborValue(QCborMap{{u"rooms"_qs, u"abc"_qs}, {u"except"_qs, 5}, {u"flags"_qs, QCborArray{true}}})
        << none << none << false << -1 << -1;
    QTest::newRow("non-string rooms")
        << QCborValue(QCborMap{{u"rooms"_qs, QCborArray{1, nullptr, QCborMap(), QCborArray{u"x"_qs}, QByteArray("y")}},
                               {u"except"_qs, QCborArray{true, 2.5}}})
        << none << none << false << -1 << -1;
    QTest::newRow("mixed rooms")
        << QCborValue(QCborMap{{u"rooms"_qs, QCborArray{u"b"_qs, 1, u"a"_qs, u"b"_qs}}, {u"except"_qs, QCborArray{u"c"_qs, nullptr}}})
        << QStringList{u"a"_qs, u"b"_qs} << QStringList{u"c"_qs} << false << -1 << -1;
    QTest::newRow("string flags")
        << flags({{u"volatile"_qs, u"yes"_qs}, {u"compress"_qs, u"no"_qs}, {u"timeout"_qs, u"1000"_qs}})
        << none << none << false << -1 << -1;
    QTest::newRow("negative timeout") << flags({{u"timeout"_qs, -5}}) << none << none << false << -1 << -1;
    QTest::newRow("zero timeout") << flags({{u"timeout"_qs, 0}}) << none << none << false << -1 << -1;
    QTest::newRow("fractional timeout") << flags({{u"timeout"_qs, 2.5}}) << none << none << false << -1 << -1;
    QTest::newRow("NaN timeout") << flags({{u"timeout"_qs, std::numeric_limits<double>::quiet_NaN()}})
                                 << none << none << false << -1 << -1;
    QTest::newRow("1e30 timeout") << flags({{u"timeout"_qs, 1e30}}) << none << none << false << -1 << -1;
    QTest::newRow("huge timeout clamped to a day") << flags({{u"timeout"_qs, Q_INT64_C(1000000000000)}})
                                                   << none << none << false << -1 << 86400000;
    QTest::newRow("integral double timeout") << flags({{u"timeout"_qs, 3000.0}}) << none << none << false << -1 << 3000;
    QTest::newRow("all flags")
        << flags({{u"volatile"_qs, true}, {u"compress"_qs, true}, {u"timeout"_qs, 1500}})
        << none << none << true << 1 << 1500;
    QTest::newRow("compress false") << flags({{u"compress"_qs, false}}) << none << none << false << 0 << -1;
}

void tst_ClusterMessages::optionsGarbage()
{
    QFETCH(QCborValue, object);
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(bool, isVolatile);
    QFETCH(int, compress);
    QFETCH(int, timeoutMs);

    const BroadcastOptions options = optionsFromObject(object);
    QCOMPARE(sortedList(options.rooms), rooms);
    QCOMPARE(sortedList(options.except), except);
    QCOMPARE(options.flags.isVolatile, isVolatile);
    QCOMPARE(options.flags.compress.has_value(), compress >= 0);
    if (compress >= 0)
        QCOMPARE(*options.flags.compress, compress == 1);
    QCOMPARE(options.flags.timeoutMs, timeoutMs);
    QVERIFY(!options.flags.local);
}

QTEST_GUILESS_MAIN(tst_ClusterMessages)
#include "tst_clustermessages.moc"
