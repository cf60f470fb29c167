// HTTP/1.1 requests over libhttp-parser, fed in two pieces as a socket might deliver them:
// never a crash, every request taken, the parser always ends in a definite state.
#include "fuzzcheck.h"

#include <http/httprequestparser.h>

using namespace Plugboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = qsizetype(data[0]) % (input.size() + 1);
    HttpRequestParser parser(HttpParserLimits{4096, 65536});
    for (QByteArray chunk : {input.first(split), input.sliced(split)}) {
        for (int guard = 0; guard < 1000 && !chunk.isEmpty(); ++guard) {
            const HttpRequestParser::Result result = parser.feed(chunk);
            FUZZ_CHECK(result.consumed >= 0 && result.consumed <= chunk.size());
            if (result.status == HttpRequestParser::Status::Complete) {
                parser.takeRequest();
                chunk.remove(0, result.consumed);
                continue;
            }
            if (result.status == HttpRequestParser::Status::Error)
                FUZZ_CHECK(result.httpStatus >= 400 && result.httpStatus < 500);
            if (result.status == HttpRequestParser::Status::Error || result.status == HttpRequestParser::Status::Upgrade)
                return 0;
            break; // NeedMore: everything consumed
        }
    }
    return 0;
}
