// Engine.IO v4 packets and polling payloads: decoding never crashes, and what decodes encodes
// back to a payload that decodes to the same packets.
#include "fuzzcheck.h"

#include <protocol/enginepacket.h>

using namespace Plugboard::EngineIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    decodeTextPacket(input);
    if (const auto packets = decodePayload(input)) {
        const auto again = decodePayload(encodePayload(*packets));
        FUZZ_CHECK(again && *again == *packets);
    }
    return 0;
}
