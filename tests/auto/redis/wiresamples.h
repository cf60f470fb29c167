#pragma once
// The golden wire samples of a Node-only cluster (tests/data/redis-interop/wire-samples.json),
// for the Redis codec tests.

#include <QtCore/QByteArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QString>

namespace WireSamples {

using namespace Qt::StringLiterals;

inline const QString SampleDir = QStringLiteral(PLUGBOARD_TEST_DATA "/redis-interop");

inline QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

inline QJsonArray samples()
{
    static const QJsonArray all = [] {
        QFile file(SampleDir + u"/wire-samples.json"_qs);
        if (!file.open(QIODevice::ReadOnly))
            return QJsonArray();
        return QJsonDocument::fromJson(file.readAll()).array();
    }();
    return all;
}

inline QJsonObject sample(const QString &kind)
{
    for (const QJsonValue &value : samples()) {
        if (value.toObject().value(u"kind"_qs).toString() == kind)
            return value.toObject();
    }
    return {};
}

// The exact payload of a sample: its `hex`, or for the big ones its raw file, checked against
// the entry's size, sha256 and hex_head. An empty result leaves the reason in *error.
inline QByteArray sampleBytes(const QJsonObject &sample, QString *error)
{
    QByteArray bytes;
    if (sample.contains(u"hex"_qs)) {
        bytes = QByteArray::fromHex(sample.value(u"hex"_qs).toString().toLatin1());
    } else {
        QFile file(SampleDir + u'/' + sample.value(u"raw_file"_qs).toString());
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"cannot open "_qs + file.fileName();
            return {};
        }
        bytes = file.readAll();
        const QByteArray sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        if (sha256 != sample.value(u"sha256"_qs).toString().toLatin1()) {
            *error = u"sha256 of %1 is %2, the sample says %3"_qs.arg(file.fileName(), QString::fromLatin1(sha256),
                                                                      sample.value(u"sha256"_qs).toString());
            return {};
        }
        const QByteArray head = QByteArray::fromHex(sample.value(u"hex_head"_qs).toString().toLatin1());
        if (head.isEmpty() || !bytes.startsWith(head)) {
            *error = u"%1 does not start with hex_head"_qs.arg(file.fileName());
            return {};
        }
    }
    if (bytes.size() != sample.value(u"bytes"_qs).toInteger(-1)) {
        *error = u"payload is %1 bytes, the sample says %2"_qs.arg(bytes.size()).arg(sample.value(u"bytes"_qs).toInteger());
        return {};
    }
    return bytes;
}

inline QString show(const QCborValue &value)
{
    QString text = value.toDiagnosticNotation(QCborValue::Compact);
    if (text.size() > 200)
        text = text.left(200) + u"..."_qs;
    return text;
}

// Where `actual` differs from a sample's `decoded` JSON, or an empty string. In that JSON a Buffer
// is {"$bin": hex}, and the big samples abbreviate a Buffer as {"$bin_len": n, "head": hex} and a
// string as {"$str_len": n, "head": text}. Numbers compare numerically: a JSON integer matches an
// Integer or a Double. Key order is not compared here (QJsonObject sorts its keys); the
// byte-for-byte re-encoding checks it.
inline QString mismatch(const QCborValue &actual, const QJsonValue &expected, const QString &path = u"$"_qs)
{
    const auto differs = [&](const QString &what) {
        return u"%1: %2 (actual %3)"_qs.arg(path, what, show(actual));
    };
    switch (expected.type()) {
    case QJsonValue::Null:
        return actual.isNull() ? QString() : differs(u"expected null"_qs);
    case QJsonValue::Bool:
        return actual.isBool() && actual.toBool() == expected.toBool() ? QString()
                                                                        : differs(u"expected %1"_qs.arg(expected.toBool()));
    case QJsonValue::Double: {
        if (!actual.isInteger() && !actual.isDouble())
            return differs(u"expected a number"_qs);
        // Up to 2^53 both sides hold the exact value. Beyond it the JSON text is JavaScript's
        // shortest rendering of the double it decoded (uint64 7766279631452241920 is written
        // 7766279631452242000), so both must round to the same double.
        const double a = actual.isInteger() ? double(actual.toInteger()) : actual.toDouble();
        return a == expected.toDouble() ? QString()
                                        : differs(u"expected %1"_qs.arg(expected.toDouble(), 0, 'g', 17));
    }
    case QJsonValue::String:
        return actual.isString() && actual.toString() == expected.toString()
                   ? QString()
                   : differs(u"expected \"%1\""_qs.arg(expected.toString()));
    case QJsonValue::Array: {
        const QJsonArray array = expected.toArray();
        if (!actual.isArray())
            return differs(u"expected an array"_qs);
        if (actual.toArray().size() != array.size())
            return differs(u"expected %1 elements"_qs.arg(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString why = mismatch(actual.toArray().at(i), array.at(i), u"%1[%2]"_qs.arg(path).arg(i));
            if (!why.isEmpty())
                return why;
        }
        return {};
    }
    case QJsonValue::Object: {
        const QJsonObject object = expected.toObject();
        if (object.size() == 1 && object.contains(u"$bin"_qs)) {
            const QByteArray bytes = QByteArray::fromHex(object.value(u"$bin"_qs).toString().toLatin1());
            return actual.isByteArray() && actual.toByteArray() == bytes ? QString() : differs(u"expected bytes"_qs);
        }
        if (object.contains(u"$bin_len"_qs)) {
            const QByteArray head = QByteArray::fromHex(object.value(u"head"_qs).toString().toLatin1());
            if (!actual.isByteArray() || actual.toByteArray().size() != object.value(u"$bin_len"_qs).toInteger()
                || !actual.toByteArray().startsWith(head))
                return differs(u"expected %1 bytes starting with %2"_qs.arg(object.value(u"$bin_len"_qs).toInteger())
                                   .arg(QString::fromLatin1(head.toHex())));
            return {};
        }
        if (object.contains(u"$str_len"_qs)) {
            const QString head = object.value(u"head"_qs).toString();
            if (!actual.isString() || actual.toString().size() != object.value(u"$str_len"_qs).toInteger()
                || !actual.toString().startsWith(head))
                return differs(u"expected a string of %1 UTF-16 units starting with %2"_qs
                                   .arg(object.value(u"$str_len"_qs).toInteger())
                                   .arg(head));
            return {};
        }
        if (!actual.isMap())
            return differs(u"expected a map"_qs);
        const QCborMap map = actual.toMap();
        QSet<QString> keys;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!it.key().isString())
                return differs(u"non-string key"_qs);
            keys.insert(it.key().toString());
        }
        const QStringList expectedKeys = object.keys();
        if (keys != QSet<QString>(expectedKeys.cbegin(), expectedKeys.cend()))
            return differs(u"expected keys %1"_qs.arg(expectedKeys.join(u',')));
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString why = mismatch(map.value(it.key()), it.value(), path + u'.' + it.key());
            if (!why.isEmpty())
                return why;
        }
        return {};
    }
    case QJsonValue::Undefined:
        break;
    }
    return differs(u"unexpected JSON value"_qs);
}

} // namespace WireSamples
