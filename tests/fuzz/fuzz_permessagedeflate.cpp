// permessage-deflate: Sec-WebSocket-Extensions offers and compressed client messages (the
// inflater must refuse garbage and bombs without crashing or growing past its limit).
#include "fuzzcheck.h"

#include <protocol/permessagedeflate.h>

using namespace Plugboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto agreement = PerMessageDeflate::negotiate(input))
        FUZZ_CHECK(PerMessageDeflate::negotiate(agreement->responseHeader()).has_value());
    PerMessageDeflate::Inflater inflater;
    constexpr qint64 limit = 1 << 16;
    if (const auto inflated = inflater.inflate(input, limit))
        FUZZ_CHECK(inflated->size() <= limit);
    // What we compress, a fresh inflater reads back.
    PerMessageDeflate::Inflater reader(true);
    const auto back = reader.inflate(PerMessageDeflate::compressMessage(input), qint64(size) + 1);
    FUZZ_CHECK(back && *back == input);
    return 0;
}
