#include "outgoingframes.h"

#include "../protocol/enginepayloadv3.h"
#include "../protocol/websocketframe.h"

namespace Plugboard {

namespace {

void appendFrames(QByteArray &out, const OutgoingPacket &packet, const FramingOptions &options)
{
    const int windowBits = options.deflate ? options.deflate->serverMaxWindowBits : 15;
    if (options.protocol == 4 && !packet.message.isNull()) {
        if (options.deflate && packet.message.isCompressible())
            out.append(packet.message.deflatedWebSocketFrames(options.deflateThreshold, windowBits));
        else
            out.append(packet.message.webSocketFrames());
        return;
    }
    if (options.protocol == 4) {
        WebSocketFrame::appendText(out, char('0' + int(packet.type)), packet.data);
        return;
    }
    const bool compress = options.deflate && (packet.message.isNull() || packet.message.isCompressible());
    QList<EngineIO::Packet> legacy;
    packet.appendTo(legacy);
    for (const EngineIO::Packet &p : std::as_const(legacy)) {
        const QByteArray payload = p.binary ? EngineIO::V3::binaryFrameContent(p.data) : EngineIO::encodeTextPacket(p);
        const auto opcode = p.binary ? WebSocketFrame::Binary : WebSocketFrame::Text;
        if (compress)
            PerMessageDeflate::appendFrame(out, opcode, payload, options.deflateThreshold, windowBits);
        else
            WebSocketFrame::append(out, opcode, payload);
    }
}

} // namespace

QByteArray outgoingFrames(const QList<OutgoingPacket> &packets, const FramingOptions &options)
{
    if (packets.size() == 1 && options.protocol == 4 && !options.deflate && !packets.first().message.isNull())
        return packets.first().message.webSocketFrames();
    QByteArray frames;
    for (const OutgoingPacket &packet : packets)
        appendFrames(frames, packet, options);
    return frames;
}

} // namespace Plugboard
