// Socket.IO packets with binary attachments, through the decoder a client's messages meet:
// the input is split at NUL bytes into a text packet and the binary messages that follow.
#include "fuzzcheck.h"

#include <protocol/siopacket.h>

using namespace Plugboard::SocketIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> parts = input.split('\0');
    Decoder decoder;
    bool first = true;
    for (const QByteArray &part : parts) {
        const Decoder::Result result = first ? decoder.addText(part) : decoder.addBinary(part);
        first = decoder.awaitingAttachments() ? false : true;
        if (result.status == Decoder::Status::Complete) {
            // What the server decoded, it can encode and decode again.
            const EncodedPacket encoded = encode(result.packet);
            // A placeholder may name one attachment several times; each occurrence is encoded as
            // its own attachment (as in Node), and more than the limit are refused on the way in.
            if (encoded.attachments.size() > DefaultMaxAttachments)
                continue;
            Decoder again;
            Decoder::Result back = again.addText(encoded.text);
            for (const QByteArray &attachment : encoded.attachments)
                back = again.addBinary(attachment);
            FUZZ_CHECK(back.status == Decoder::Status::Complete);
            // A BINARY_EVENT whose data holds no placeholder comes back as an EVENT (as in Node).
            const auto plain = [](PacketType type) {
                return type == PacketType::BinaryEvent ? PacketType::Event
                     : type == PacketType::BinaryAck   ? PacketType::Ack
                                                       : type;
            };
            FUZZ_CHECK(plain(back.packet.type) == plain(result.packet.type) && back.packet.nsp == result.packet.nsp
                       && back.packet.id == result.packet.id);
        }
    }
    return 0;
}
