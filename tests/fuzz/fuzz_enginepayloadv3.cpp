// Engine.IO v3 polling payloads (text with UTF-16 lengths, binary with digit bytes) and v3
// binary frames: decoding never crashes, and decoded packets survive both encodings.
#include "fuzzcheck.h"

#include <protocol/enginepayloadv3.h>

using namespace Plugboard::EngineIO;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    V3::decodeBinaryFrame(input);
    for (const auto &decoded : {V3::decodeTextPayload(input), V3::decodeBinaryPayload(input)}) {
        if (!decoded || decoded->isEmpty())
            continue; // an empty payload ("0:") has no encoding that decodes
        const V3::EncodedPayload binary = V3::encodePayload(*decoded, true);
        const auto fromBinary = binary.binary ? V3::decodeBinaryPayload(binary.body) : V3::decodeTextPayload(binary.body);
        FUZZ_CHECK(fromBinary && *fromBinary == *decoded);
        const auto fromText = V3::decodeTextPayload(V3::encodePayload(*decoded, false).body);
        FUZZ_CHECK(fromText && *fromText == *decoded);
    }
    return 0;
}
