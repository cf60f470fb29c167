// The classic Redis adapter's and the emitter's messages (core/redis/clustermessages,
// redisemitter) against what a Node-only cluster published (wire-samples.json): decoded
// structure, bytes re-encoded exactly, channel names, and refusals of malformed values.

#include "redis/clustermessages.h"
#include "redis/msgpackcodec.h"
#include "redis/redisemitter.h"
#include "wiresamples.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

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

} // namespace

class tst_ClusterMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void broadcasts_data();
    void broadcasts();
    void requestsAndResponses_data();
    void requestsAndResponses();
    void fetchedSockets();
    void emitterMessages();
    void refusals();
    void channels();
};

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
}

QTEST_GUILESS_MAIN(tst_ClusterMessages)
#include "tst_clustermessages.moc"
