// JSON to values and back (every event argument goes this way): parsing never crashes, and
// what parses writes back to JSON that parses to the same value.
#include "fuzzcheck.h"

#include <protocol/jsoncodec.h>

using namespace Plugboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const Json::ParseResult parsed = Json::parse(input);
    if (parsed.ok) {
        const QByteArray written = Json::write(parsed.value);
        const Json::ParseResult again = Json::parse(written);
        FUZZ_CHECK(again.ok);
        FUZZ_CHECK(Json::write(again.value) == written);
    }
    return 0;
}
