#include "enginepacket.h"

namespace Plugboard::EngineIO {

std::optional<Packet> decodeTextPacket(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    const char digit = text.front();
    if (digit < '0' || digit > '6')
        return std::nullopt;
    return Packet{PacketType(digit - '0'), text.sliced(1).toByteArray(), false};
}

Packet binaryPacket(QByteArray bytes)
{
    return Packet{PacketType::Message, std::move(bytes), true};
}

std::optional<QList<Packet>> decodePayload(QByteArrayView body)
{
    if (body.isEmpty())
        return std::nullopt;
    QList<Packet> packets;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf(RecordSeparator, start);
        if (end < 0)
            end = body.size();
        const QByteArrayView element = body.sliced(start, end - start);
        if (element.startsWith('b')) {
            auto decoded = QByteArray::fromBase64Encoding(element.sliced(1).toByteArray(),
                                                          QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return std::nullopt;
            packets.append(binaryPacket(std::move(decoded.decoded)));
        } else {
            auto packet = decodeTextPacket(element);
            if (!packet)
                return std::nullopt;
            packets.append(std::move(*packet));
        }
        start = end + 1;
    }
    return packets;
}

QByteArray encodeTextPacket(const Packet &packet)
{
    QByteArray out;
    out.reserve(packet.data.size() + 1);
    out.append(char('0' + int(packet.type)));
    out.append(packet.data);
    return out;
}

void appendPayloadElement(const Packet &packet, QByteArray &out)
{
    if (packet.binary) {
        out.append('b');
        out.append(packet.data.toBase64());
    } else {
        out.append(char('0' + int(packet.type)));
        out.append(packet.data);
    }
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    QByteArray out;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        if (i)
            out.append(RecordSeparator);
        appendPayloadElement(packets.at(i), out);
    }
    return out;
}

} // namespace Plugboard::EngineIO
