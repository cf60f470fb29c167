#include "siopacket.h"

#include "jsoncodec.h"
#include "siomsgpack.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <cmath>

namespace Plugboard::SocketIO {

namespace {

const QString PlaceholderKey = QStringLiteral("_placeholder");
const QString NumKey = QStringLiteral("num");

QCborValue deconstruct(const QCborValue &value, QList<QByteArray> &buffers)
{
    switch (value.type()) {
    case QCborValue::ByteArray: {
        QCborMap placeholder;
        placeholder.insert(PlaceholderKey, true);
        placeholder.insert(NumKey, qint64(buffers.size()));
        buffers.append(value.toByteArray());
        return placeholder;
    }
    case QCborValue::Array: {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(deconstruct(item, buffers));
        return out;
    }
    case QCborValue::Map: {
        QCborMap out;
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), deconstruct(it.value(), buffers));
        return out;
    }
    default:
        return value;
    }
}

// socket.io-parser treats any object with "_placeholder": true as a placeholder.
bool isPlaceholder(const QCborMap &map)
{
    return map.value(PlaceholderKey).isTrue();
}

bool reconstructInPlace(QCborValue &value, const QList<QByteArray> &buffers)
{
    if (value.isArray()) {
        QCborArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QCborValue item = array.at(i);
            if (!item.isArray() && !item.isMap())
                continue;
            if (!reconstructInPlace(item, buffers))
                return false;
            array[i] = item;
        }
        value = array;
    } else if (value.isMap()) {
        QCborMap map = value.toMap();
        if (isPlaceholder(map)) {
            // A double is checked against the range before it is cast: 1e20 has no qint64.
            const QCborValue numValue = map.value(NumKey);
            const double numDouble = numValue.toDouble();
            const bool integralDouble = numValue.isDouble() && numDouble >= 0
                && numDouble < double(buffers.size()) && numDouble == std::floor(numDouble);
            const qint64 num = numValue.isInteger() ? numValue.toInteger() : integralDouble ? qint64(numDouble) : -1;
            if (num < 0 || num >= buffers.size())
                return false;
            value = QCborValue(buffers.at(num));
            return true;
        }
        for (auto it = map.begin(); it != map.end(); ++it) {
            QCborValue item = it.value();
            if (!item.isArray() && !item.isMap())
                continue;
            if (!reconstructInPlace(item, buffers))
                return false;
            it.value() = item;
        }
        value = map;
    }
    return true;
}

} // namespace

bool isPayloadValid(PacketType type, const QCborValue &data)
{
    switch (type) {
    case PacketType::Connect:
        return data.isUndefined() || data.isMap();
    case PacketType::Disconnect:
        return data.isUndefined();
    case PacketType::ConnectError:
        return data.isMap() || data.isString();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!data.isArray())
            return false;
        const QCborArray array = data.toArray();
        if (array.isEmpty())
            return false;
        const QCborValue name = array.first();
        if (name.isInteger() || name.isDouble())
            return true;
        return name.isString() && !isReservedEventName(name.toString());
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return data.isArray();
    }
    return false;
}

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

bool isReservedEventName(const QString &name)
{
    static const QStringList reserved{QStringLiteral("connect"),       QStringLiteral("connect_error"),
                                      QStringLiteral("disconnect"),    QStringLiteral("disconnecting"),
                                      QStringLiteral("newListener"),   QStringLiteral("removeListener")};
    return reserved.contains(name);
}

bool hasBinary(const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::ByteArray:
        return true;
    case QCborValue::Array:
        for (const QCborValue &item : value.toArray()) {
            if (hasBinary(item))
                return true;
        }
        return false;
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (hasBinary(it.value()))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

EncodedPacket encode(const Packet &packet)
{
    EncodedPacket encoded;
    PacketType type = packet.type;
    const QCborValue *data = &packet.data;
    QCborValue withPlaceholders;
    if ((type == PacketType::Event || type == PacketType::Ack || type == PacketType::BinaryEvent
         || type == PacketType::BinaryAck)
        && hasBinary(packet.data)) {
        withPlaceholders = deconstruct(packet.data, encoded.attachments);
        data = &withPlaceholders;
        type = (type == PacketType::Event || type == PacketType::BinaryEvent) ? PacketType::BinaryEvent
                                                                                : PacketType::BinaryAck;
    } else if (type == PacketType::BinaryEvent) {
        type = PacketType::Event;
    } else if (type == PacketType::BinaryAck) {
        type = PacketType::Ack;
    }

    QByteArray &out = encoded.text;
    out.append(char('0' + int(type)));
    if (type == PacketType::BinaryEvent || type == PacketType::BinaryAck) {
        out.append(QByteArray::number(encoded.attachments.size()));
        out.append('-');
    }
    if (packet.nsp != QLatin1String("/") && !packet.nsp.isEmpty()) {
        out.append(packet.nsp.toUtf8());
        out.append(',');
    }
    if (packet.id >= 0)
        out.append(QByteArray::number(packet.id));
    if (!data->isUndefined())
        Json::write(*data, out);
    return encoded;
}

EncodedPacket encode(const Packet &packet, Parser parser)
{
    if (parser == Parser::Default)
        return encode(packet);
    EncodedPacket encoded;
    encoded.attachments.append(encodeMsgpackPacket(packet));
    return encoded;
}

const char *decodeErrorMessage(DecodeError error)
{
    switch (error) {
    case DecodeError::None: return "no error";
    case DecodeError::Empty: return "empty packet";
    case DecodeError::UnknownType: return "unknown packet type";
    case DecodeError::BadAttachmentCount: return "illegal attachments";
    case DecodeError::TooManyAttachments: return "too many attachments";
    case DecodeError::BadAckId: return "illegal ack id";
    case DecodeError::BadJson: return "invalid JSON";
    case DecodeError::InvalidPayload: return "invalid payload";
    case DecodeError::UnexpectedBinary: return "unexpected binary data";
    case DecodeError::MissingAttachments: return "got plaintext data when reconstructing a packet";
    case DecodeError::BadPlaceholder: return "illegal attachment placeholder";
    case DecodeError::UnexpectedText: return "text data with the msgpack parser";
    }
    return "unknown error";
}

HeaderResult decodeHeader(QByteArrayView text, int maxAttachments)
{
    HeaderResult result;
    if (text.isEmpty()) {
        result.error = DecodeError::Empty;
        return result;
    }
    const char typeDigit = text.at(0);
    if (typeDigit < '0' || typeDigit > '6') {
        result.error = DecodeError::UnknownType;
        return result;
    }
    Packet &packet = result.packet;
    packet.type = PacketType(typeDigit - '0');
    qsizetype i = 1;
    const qsizetype size = text.size();

    if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
        const qsizetype start = i;
        while (i < size && isDigit(text.at(i)))
            ++i;
        if (i == start || i >= size || text.at(i) != '-' || i - start > 6) {
            result.error = DecodeError::BadAttachmentCount;
            return result;
        }
        result.attachments = text.sliced(start, i - start).toInt();
        if (result.attachments < 1) {
            result.error = DecodeError::BadAttachmentCount;
            return result;
        }
        if (result.attachments > maxAttachments) {
            result.error = DecodeError::TooManyAttachments;
            return result;
        }
        ++i;
    }

    if (i < size && text.at(i) == '/') {
        const qsizetype start = i;
        while (i < size && text.at(i) != ',')
            ++i;
        packet.nsp = QString::fromUtf8(text.sliced(start, i - start));
        if (i < size)
            ++i; // the ','
    }

    if (i < size && isDigit(text.at(i))) {
        const qsizetype start = i;
        while (i < size && isDigit(text.at(i)))
            ++i;
        if (i - start > 15) { // beyond JavaScript's safe integers
            result.error = DecodeError::BadAckId;
            return result;
        }
        packet.id = text.sliced(start, i - start).toLongLong();
    }

    if (i < size) {
        auto parsed = Json::parse(text.sliced(i));
        if (!parsed.ok) {
            result.error = DecodeError::BadJson;
            return result;
        }
        packet.data = std::move(parsed.value);
    }
    if (!isPayloadValid(packet.type, packet.data)) {
        result.error = DecodeError::InvalidPayload;
        return result;
    }
    return result;
}

bool reconstruct(QCborValue &data, const QList<QByteArray> &buffers)
{
    return reconstructInPlace(data, buffers);
}

Decoder::Result Decoder::addText(QByteArrayView text)
{
    Result result;
    if (m_parser == Parser::Msgpack) {
        result.status = Status::Error;
        result.error = DecodeError::UnexpectedText;
        return result;
    }
    if (m_expected > 0) {
        result.status = Status::Error;
        result.error = DecodeError::MissingAttachments;
        return result;
    }
    HeaderResult header = decodeHeader(text, m_maxAttachments);
    if (header.error != DecodeError::None) {
        result.status = Status::Error;
        result.error = header.error;
        return result;
    }
    if (header.attachments == 0) {
        if (header.packet.type == PacketType::BinaryEvent || header.packet.type == PacketType::BinaryAck) {
            if (!reconstruct(header.packet.data, {})) {
                result.status = Status::Error;
                result.error = DecodeError::BadPlaceholder;
                return result;
            }
        }
        result.status = Status::Complete;
        result.packet = std::move(header.packet);
        return result;
    }
    m_expected = header.attachments;
    m_pending = std::move(header.packet);
    m_buffers.clear();
    m_buffers.reserve(m_expected);
    return result;
}

Decoder::Result Decoder::addBinary(const QByteArray &bytes)
{
    Result result;
    if (m_parser == Parser::Msgpack) {
        HeaderResult decoded = decodeMsgpackPacket(bytes);
        result.status = decoded.error == DecodeError::None ? Status::Complete : Status::Error;
        result.error = decoded.error;
        result.packet = std::move(decoded.packet);
        return result;
    }
    if (m_expected == 0) {
        result.status = Status::Error;
        result.error = DecodeError::UnexpectedBinary;
        return result;
    }
    m_buffers.append(bytes);
    if (m_buffers.size() < m_expected)
        return result;
    m_expected = 0;
    Packet packet = std::move(m_pending);
    m_pending = Packet();
    const bool ok = reconstruct(packet.data, m_buffers);
    m_buffers.clear();
    if (!ok) {
        result.status = Status::Error;
        result.error = DecodeError::BadPlaceholder;
        return result;
    }
    result.status = Status::Complete;
    result.packet = std::move(packet);
    return result;
}

} // namespace Plugboard::SocketIO
