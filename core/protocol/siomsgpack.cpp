#include "siomsgpack.h"

#include "msgpackcodec.h"

#include <QtCore/QCborMap>

#include <cmath>

namespace Plugboard::SocketIO {

namespace {

const QString TypeKey = QStringLiteral("type");
const QString DataKey = QStringLiteral("data");
const QString NspKey = QStringLiteral("nsp");
const QString IdKey = QStringLiteral("id");

// JavaScript has only doubles: 2.0 is an integer, 2.5 is not.
std::optional<qint64> integerOf(const QCborValue &value)
{
    if (value.isInteger())
        return value.toInteger();
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740991.0)
            return qint64(d);
    }
    return std::nullopt;
}

} // namespace

QByteArray encodeMsgpackPacket(const Packet &packet)
{
    QCborMap map;
    PacketType type = packet.type;
    if (type == PacketType::BinaryEvent)
        type = PacketType::Event;
    else if (type == PacketType::BinaryAck)
        type = PacketType::Ack;
    map.insert(TypeKey, int(type));
    if (!packet.data.isUndefined())
        map.insert(DataKey, packet.data);
    if (packet.id >= 0)
        map.insert(IdKey, packet.id);
    // As given: an empty name is not "/" to socket.io-msgpack-parser (Node refuses it as an
    // invalid namespace), and what decodes must encode back the same.
    map.insert(NspKey, packet.nsp);
    return encodeMsgpack(map);
}

HeaderResult decodeMsgpackPacket(QByteArrayView bytes)
{
    HeaderResult result;
    if (bytes.isEmpty()) {
        result.error = DecodeError::Empty;
        return result;
    }
    const std::optional<QCborValue> decoded = decodeMsgpack(bytes);
    if (!decoded || !decoded->isMap()) {
        result.error = DecodeError::BadJson;
        return result;
    }
    const QCborMap map = decoded->toMap();
    const std::optional<qint64> type = integerOf(map.value(TypeKey));
    if (!type || *type < int(PacketType::Connect) || *type > int(PacketType::ConnectError)) {
        result.error = DecodeError::UnknownType;
        return result;
    }
    const QCborValue nsp = map.value(NspKey);
    if (!nsp.isString()) {
        result.error = DecodeError::InvalidPayload;
        return result;
    }
    Packet &packet = result.packet;
    packet.type = PacketType(*type);
    packet.nsp = nsp.toString();
    packet.data = map.value(DataKey);
    if (!isPayloadValid(packet.type, packet.data)) {
        result.error = DecodeError::InvalidPayload;
        return result;
    }
    const QCborValue id = map.value(IdKey);
    if (!id.isUndefined()) {
        const std::optional<qint64> ackId = integerOf(id);
        if (!ackId || *ackId < 0) {
            result.error = DecodeError::BadAckId;
            return result;
        }
        packet.id = *ackId;
    }
    return result;
}

} // namespace Plugboard::SocketIO
