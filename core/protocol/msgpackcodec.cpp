#include "msgpackcodec.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborStreamWriter>
#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QtEndian>

#include <msgpack.hpp>

#include <cmath>
#include <limits>

namespace Plugboard {

namespace {

using Packer = msgpack::packer<msgpack::sbuffer>;

void packString(Packer &packer, const QString &string)
{
    const QByteArray utf8 = string.toUtf8();
    packer.pack_str(uint32_t(utf8.size()));
    packer.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
}

void packDouble(Packer &packer, double value)
{
    // JavaScript has one number type: notepack writes an integral one as an integer.
    constexpr double Limit = 9223372036854775808.0; // 2^63
    if (std::isfinite(value) && std::floor(value) == value && value > -Limit && value < Limit) {
        packer.pack_int64(int64_t(value));
    } else if (value == 2 * Limit) {
        // msgpack-cxx's pack_double() casts 2^64 to uint64_t to see whether it is integral,
        // which is undefined; notepack writes it as a float64, written here by hand.
        char raw[9] = {char(0xcb)};
        qToBigEndian(qFromUnaligned<quint64>(&value), raw + 1);
        packer.pack_bin_body(raw, sizeof raw);
    } else {
        packer.pack_double(value);
    }
}

void packValue(Packer &packer, const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Integer:
        packer.pack_int64(value.toInteger());
        return;
    case QCborValue::Double:
        packDouble(packer, value.toDouble());
        return;
    case QCborValue::String:
        packString(packer, value.toString());
        return;
    case QCborValue::ByteArray: {
        const QByteArray bytes = value.toByteArray();
        packer.pack_bin(uint32_t(bytes.size()));
        packer.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
        return;
    }
    case QCborValue::True:
        packer.pack_true();
        return;
    case QCborValue::False:
        packer.pack_false();
        return;
    case QCborValue::Array: {
        const QCborArray array = value.toArray();
        packer.pack_array(uint32_t(array.size()));
        for (const QCborValue &item : array)
            packValue(packer, item);
        return;
    }
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        uint32_t count = 0;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            count += it.value().isUndefined() ? 0 : 1;
        packer.pack_map(count);
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (it.value().isUndefined())
                continue;
            packString(packer, it.key().isString() ? it.key().toString() : it.key().toVariant().toString());
            packValue(packer, it.value());
        }
        return;
    }
    case QCborValue::DateTime:
        packString(packer, value.toDateTime().toUTC().toString(Qt::ISODateWithMs));
        return;
    default:
        packer.pack_nil();
        return;
    }
}

QCborValue toCbor(const msgpack::object &object);

// JavaScript object keys are strings.
QString keyName(const QCborValue &key)
{
    if (key.isString())
        return key.toString();
    if (key.isInteger())
        return QString::number(key.toInteger());
    if (key.isDouble())
        return QString::number(key.toDouble());
    return key.toVariant().toString();
}

// QCborMap::insert looks for the key first, which makes building a wide map one insert at a
// time quadratic: a hostile message of 65 536 keys would hold the event loop for seconds.
// Duplicates are resolved with a hash (first position, last value, as JavaScript does) and
// a wide map is built in one pass through its CBOR form.
QCborValue mapToCbor(const msgpack::object_map &object)
{
    QList<QString> keys;
    QList<QCborValue> values;
    keys.reserve(object.size);
    values.reserve(object.size);
    QHash<QString, qsizetype> positions;
    for (uint32_t i = 0; i < object.size; ++i) {
        const QString name = keyName(toCbor(object.ptr[i].key));
        const QCborValue value = toCbor(object.ptr[i].val);
        const auto seen = positions.constFind(name);
        if (seen != positions.cend()) {
            values[*seen] = value;
            continue;
        }
        positions.insert(name, keys.size());
        keys.append(name);
        values.append(value);
    }
    constexpr qsizetype Narrow = 32;
    if (keys.size() <= Narrow) {
        QCborMap map;
        for (qsizetype i = 0; i < keys.size(); ++i)
            map.insert(keys.at(i), values.at(i));
        return map;
    }
    QByteArray cbor;
    QCborStreamWriter writer(&cbor);
    writer.startMap(quint64(keys.size()));
    for (qsizetype i = 0; i < keys.size(); ++i) {
        writer.append(keys.at(i));
        values.at(i).toCbor(writer);
    }
    writer.endMap();
    return QCborValue::fromCbor(cbor);
}

QCborValue toCbor(const msgpack::object &object)
{
    switch (object.type) {
    case msgpack::type::NIL:
        return QCborValue(nullptr);
    case msgpack::type::BOOLEAN:
        return QCborValue(object.via.boolean);
    case msgpack::type::POSITIVE_INTEGER:
        if (object.via.u64 > uint64_t(std::numeric_limits<qint64>::max()))
            return QCborValue(double(object.via.u64));
        return QCborValue(qint64(object.via.u64));
    case msgpack::type::NEGATIVE_INTEGER:
        return QCborValue(qint64(object.via.i64));
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return QCborValue(object.via.f64);
    case msgpack::type::STR:
        return QCborValue(QString::fromUtf8(object.via.str.ptr, qsizetype(object.via.str.size)));
    case msgpack::type::BIN:
        return QCborValue(QByteArray(object.via.bin.ptr, qsizetype(object.via.bin.size)));
    case msgpack::type::ARRAY: {
        QCborArray array;
        for (uint32_t i = 0; i < object.via.array.size; ++i)
            array.append(toCbor(object.via.array.ptr[i]));
        return array;
    }
    case msgpack::type::MAP:
        return mapToCbor(object.via.map);
    case msgpack::type::EXT: {
        const msgpack::object_ext &ext = object.via.ext;
        if (ext.type() == 0 && ext.size == 1 && ext.data()[0] == 0)
            return QCborValue(QCborValue::Undefined); // notepack 2
        if (ext.type() == -1) { // timestamp
            const auto *d = reinterpret_cast<const unsigned char *>(ext.data());
            auto be = [d](int from, int n) {
                quint64 v = 0;
                for (int i = 0; i < n; ++i)
                    v = (v << 8) | d[from + i];
                return v;
            };
            qint64 seconds = 0;
            quint64 nanos = 0;
            if (ext.size == 4) {
                seconds = qint64(be(0, 4));
            } else if (ext.size == 8) {
                const quint64 v = be(0, 8);
                nanos = v >> 34;
                seconds = qint64(v & 0x3ffffffffULL);
            } else if (ext.size == 12) {
                nanos = be(0, 4);
                seconds = qint64(be(4, 8));
            } else {
                return QCborValue(nullptr);
            }
            return QCborValue(QDateTime::fromMSecsSinceEpoch(seconds * 1000 + qint64(nanos / 1000000), Qt::UTC));
        }
        return QCborValue(nullptr);
    }
    }
    return QCborValue(nullptr);
}

// How deep the value nests: msgpack-c's own depth limit is checked while parsing too, this
// also guards the recursive conversion above.
int depthOf(const msgpack::object &object, int limit)
{
    if (limit < 0)
        return 0;
    int deepest = 0;
    if (object.type == msgpack::type::ARRAY) {
        for (uint32_t i = 0; i < object.via.array.size && deepest <= limit; ++i)
            deepest = std::max(deepest, depthOf(object.via.array.ptr[i], limit - 1));
        return deepest + 1;
    }
    if (object.type == msgpack::type::MAP) {
        for (uint32_t i = 0; i < object.via.map.size && deepest <= limit; ++i)
            deepest = std::max(deepest, depthOf(object.via.map.ptr[i].val, limit - 1));
        return deepest + 1;
    }
    return 0;
}

} // namespace

QByteArray encodeMsgpack(const QCborValue &value)
{
    msgpack::sbuffer buffer;
    Packer packer(buffer);
    packValue(packer, value);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

std::optional<QCborValue> decodeMsgpack(QByteArrayView bytes, QString *error, const MsgpackLimits &limits)
{
    const auto fail = [error](const QString &message) -> std::optional<QCborValue> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (bytes.isEmpty())
        return fail(QStringLiteral("empty message"));
    if (bytes.size() > limits.maxBytes)
        return fail(QStringLiteral("message of %1 bytes exceeds the %2-byte limit").arg(bytes.size()).arg(limits.maxBytes));
    // Every element takes at least one byte, every map entry two.
    const std::size_t size = std::size_t(bytes.size());
    const msgpack::unpack_limit limit(size, size / 2, size, size, size, std::size_t(limits.maxDepth));
    try {
        std::size_t offset = 0;
        const msgpack::object_handle handle =
            msgpack::unpack(bytes.data(), size, offset, nullptr, nullptr, limit);
        if (offset != size)
            return fail(QStringLiteral("%1 trailing bytes after the value").arg(size - offset));
        if (depthOf(handle.get(), limits.maxDepth) > limits.maxDepth)
            return fail(QStringLiteral("nested deeper than %1").arg(limits.maxDepth));
        return toCbor(handle.get());
    } catch (const msgpack::insufficient_bytes &) {
        return fail(QStringLiteral("truncated"));
    } catch (const msgpack::depth_size_overflow &) {
        return fail(QStringLiteral("nested deeper than %1").arg(limits.maxDepth));
    } catch (const msgpack::size_overflow &) {
        return fail(QStringLiteral("a size exceeds what the message can hold"));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("invalid MessagePack: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace Plugboard
