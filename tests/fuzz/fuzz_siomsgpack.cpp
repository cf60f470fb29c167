// The msgpack parser's packets (socket.io-msgpack-parser 3.x): decoding never crashes, and
// decoded packets encode back to the same packet.
#include "fuzzcheck.h"

#include <protocol/siomsgpack.h>
#include <protocol/siopacket.h>

using namespace Plugboard::SocketIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    Decoder decoder(DefaultMaxAttachments, Parser::Msgpack);
    const Decoder::Result result = decoder.addBinary(input);
    decoder.addText(input); // text is refused with the msgpack parser, never misread
    if (result.status == Decoder::Status::Complete) {
        Decoder again(DefaultMaxAttachments, Parser::Msgpack);
        const Decoder::Result back = again.addBinary(encodeMsgpackPacket(result.packet));
        FUZZ_CHECK(back.status == Decoder::Status::Complete);
        FUZZ_CHECK(back.packet.type == result.packet.type && back.packet.nsp == result.packet.nsp
                   && back.packet.id == result.packet.id);
    }
    return 0;
}
