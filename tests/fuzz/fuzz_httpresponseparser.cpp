// HTTP/1.1 responses as the client reads them (polling answers, the WebSocket upgrade) over
// libhttp-parser: the input parsed whole and in two pieces gives the same responses, within
// the limits; what serializeResponse writes is read back to the same response; the upgrade
// check's key helpers stay within their contract on every header value.
#include "fuzzcheck.h"

#include <http/httpresponse.h>
#include <http/httpresponseparser.h>
#include <protocol/websockethandshake.h>

#include <QtCore/QList>

#include <cctype>

using namespace Plugboard;

namespace {

constexpr qint64 MaxBody = 4096;
constexpr qint64 MaxHeader = 2048;

struct Parsed
{
    QList<HttpResponseHead> responses;
    bool failed = false;
};

bool sameResponse(const HttpResponseHead &a, const HttpResponseHead &b)
{
    if (a.status != b.status || a.body != b.body || a.keepAlive != b.keepAlive || a.headers.size() != b.headers.size())
        return false;
    for (qsizetype i = 0; i < a.headers.size(); ++i) {
        if (a.headers.at(i).name != b.headers.at(i).name || a.headers.at(i).value != b.headers.at(i).value)
            return false;
    }
    return true;
}

void checkResponse(const HttpResponseHead &response, bool head)
{
    // At most three digits: libhttp-parser also takes "000" and "20".
    FUZZ_CHECK(response.status >= 0 && response.status <= 999);
    FUZZ_CHECK(response.body.size() <= MaxBody);
    qint64 headerBytes = 0;
    for (const HttpHeader &h : response.headers) {
        FUZZ_CHECK(!h.name.isEmpty() && h.name == h.name.toLower());
        FUZZ_CHECK(h.value == h.value.trimmed());
        headerBytes += h.name.size() + h.value.size();
    }
    FUZZ_CHECK(headerBytes <= MaxHeader);
    // RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304.
    if (head || (response.status >= 100 && response.status < 200 && response.status != 101) || response.status == 204
        || response.status == 304)
        FUZZ_CHECK(response.body.isEmpty());

    for (const HttpHeader &h : response.headers) {
        if (WebSocketHandshake::isValidKey(h.value)) {
            const auto decoded = QByteArray::fromBase64Encoding(h.value.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
            FUZZ_CHECK(decoded && decoded.decoded.size() == 16);
        }
        const QByteArray accept = WebSocketHandshake::acceptFor(h.value);
        FUZZ_CHECK(accept.size() == 28 && accept.endsWith('=') && accept == WebSocketHandshake::acceptFor(h.value.trimmed()));
    }
}

Parsed parse(const QList<QByteArrayView> &pieces, bool head, bool closeAtEnd)
{
    Parsed parsed;
    HttpResponseParser parser(MaxBody, MaxHeader);
    parser.expectResponseTo(head ? "HEAD" : "GET");
    for (QByteArrayView piece : pieces) {
        for (int guard = 0; guard < 10000; ++guard) {
            const HttpResponseParser::Result result = parser.feed(piece);
            FUZZ_CHECK(result.consumed >= 0 && result.consumed <= piece.size());
            if (result.status == HttpResponseParser::Status::Error) {
                FUZZ_CHECK(!result.error.isEmpty());
                parsed.failed = true;
                return parsed;
            }
            if (result.status == HttpResponseParser::Status::NeedMore) {
                FUZZ_CHECK(result.consumed == piece.size());
                break;
            }
            FUZZ_CHECK(!parser.inResponse());
            parsed.responses.append(parser.takeResponse());
            checkResponse(parsed.responses.last(), head);
            parser.expectResponseTo(head ? "HEAD" : "GET");
            piece = piece.sliced(result.consumed);
            if (piece.isEmpty())
                break;
        }
    }
    if (closeAtEnd && parser.inResponse()) {
        const HttpResponseParser::Result result = parser.finish();
        if (result.status == HttpResponseParser::Status::Complete) {
            parsed.responses.append(parser.takeResponse());
            checkResponse(parsed.responses.last(), head);
        } else {
            FUZZ_CHECK(!result.error.isEmpty());
            parsed.failed = true;
        }
    }
    return parsed;
}

bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (!(std::isalnum(quint8(c)) || QByteArrayView("!#$%&'*+-.^_`|~").contains(c)))
            return false;
    }
    return true;
}

bool isFieldValue(QByteArrayView value)
{
    for (char c : value) {
        if (quint8(c) < 0x20 || quint8(c) == 0x7f)
            return false;
    }
    return value == value.trimmed();
}

// A response the server writes, from the input: status, headers "name: value" a line, body.
void checkRoundTrip(QByteArrayView input, quint16 flags)
{
    const qsizetype split = input.indexOf(QByteArrayView("\n\n"));
    const QByteArrayView head = split < 0 ? input : input.first(split);
    HttpResponse response;
    response.status = 200 + int(flags >> 1) % 400;
    response.body = split < 0 ? QByteArray() : input.sliced(split + 2).first(qMin<qsizetype>(input.size() - split - 2, MaxBody)).toByteArray();
    for (QByteArrayView line : QByteArray::fromRawData(head.data(), head.size()).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
        // The headers serializeResponse() writes itself; libhttp-parser 2.9 also takes any name
        // that starts with "transfer-encoding" for that header.
        if (!isToken(name) || !isFieldValue(value) || name.startsWith("content-length")
            || name.startsWith("connection") || name.startsWith("transfer-encoding") || name.startsWith("upgrade")
            || name.startsWith("proxy-connection"))
            continue;
        response.headers.append(HttpHeader{name, value});
    }
    const bool keepAlive = flags & 1;
    const QByteArray wire = serializeResponse(response, keepAlive);
    if (wire.size() > MaxHeader + MaxBody)
        return;
    HttpResponseParser parser(MaxBody, 64 * 1024);
    const HttpResponseParser::Result result = parser.feed(wire);
    FUZZ_CHECK(result.status == HttpResponseParser::Status::Complete && result.consumed == wire.size());
    const HttpResponseHead back = parser.takeResponse();
    FUZZ_CHECK(back.status == response.status && back.keepAlive == keepAlive);
    const bool bodiless = response.status == 204 || response.status == 304;
    FUZZ_CHECK(back.body == (bodiless ? QByteArray() : response.body));
    qsizetype matched = 0;
    for (const HttpHeader &h : back.headers) {
        if (matched < response.headers.size() && h.name == response.headers.at(matched).name
            && h.value == response.headers.at(matched).value)
            ++matched;
    }
    FUZZ_CHECK(matched == response.headers.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const bool head = data[0] & 1;
    const bool closeAtEnd = data[0] & 2;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const qsizetype split = qsizetype(data[1]) * (input.size() + 1) / 256;

    const Parsed whole = parse({input}, head, closeAtEnd);
    const Parsed pieces = parse({input.first(split), input.sliced(split)}, head, closeAtEnd);
    FUZZ_CHECK(whole.failed == pieces.failed && whole.responses.size() == pieces.responses.size());
    for (qsizetype i = 0; i < whole.responses.size(); ++i)
        FUZZ_CHECK(sameResponse(whole.responses.at(i), pieces.responses.at(i)));

    checkRoundTrip(input, quint16(data[0] >> 2 | data[1] << 6));
    return 0;
}
