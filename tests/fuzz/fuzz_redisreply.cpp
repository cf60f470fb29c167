// Replies from a Redis server (RESP2), read by hiredis's reader as the connection feeds it and
// converted by toReply(): never a crash; whole or in two pieces the same replies; a reply
// written back as RESP reads back to the same reply.
#include "fuzzcheck.h"

#include <redis/replyconversion.h>

#include <QtCore/QList>

using namespace Plugboard::Redis;

namespace {

struct Read
{
    QList<Reply> replies;
    bool failed = false;
};

bool sameReply(const Reply &a, const Reply &b)
{
    if (a.type != b.type || a.string != b.string || a.integer != b.integer || a.elements.size() != b.elements.size())
        return false;
    for (qsizetype i = 0; i < a.elements.size(); ++i) {
        if (!sameReply(a.elements.at(i), b.elements.at(i)))
            return false;
    }
    return true;
}

// The conversion keeps what hiredis read.
void checkConversion(const redisReply *r, const Reply &reply)
{
    switch (r->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
    case REDIS_REPLY_STRING:
        FUZZ_CHECK(reply.string == QByteArray(r->str, qsizetype(r->len)));
        FUZZ_CHECK(reply.type == (r->type == REDIS_REPLY_STATUS  ? Reply::Type::Status
                                  : r->type == REDIS_REPLY_ERROR ? Reply::Type::Error
                                                                 : Reply::Type::String));
        break;
    case REDIS_REPLY_INTEGER:
        FUZZ_CHECK(reply.type == Reply::Type::Integer && reply.integer == r->integer);
        break;
    case REDIS_REPLY_ARRAY:
        FUZZ_CHECK(reply.type == Reply::Type::Array && size_t(reply.elements.size()) == r->elements);
        for (size_t i = 0; i < r->elements; ++i)
            checkConversion(r->element[i], reply.elements.at(qsizetype(i)));
        break;
    default:
        FUZZ_CHECK(reply.type == Reply::Type::Nil && reply.elements.isEmpty());
    }
    FUZZ_CHECK(!reply.isError() || reply.type == Reply::Type::Error);
}

Read read(const QList<QByteArrayView> &pieces)
{
    Read out;
    redisReader *reader = redisReaderCreate();
    FUZZ_CHECK(reader);
    for (QByteArrayView piece : pieces) {
        if (redisReaderFeed(reader, piece.data(), size_t(piece.size())) != REDIS_OK) {
            out.failed = true;
            break;
        }
        for (;;) {
            void *object = nullptr;
            if (redisReaderGetReply(reader, &object) != REDIS_OK) {
                FUZZ_CHECK(reader->errstr[0] != 0);
                out.failed = true;
                break;
            }
            if (!object)
                break;
            const auto *r = static_cast<const redisReply *>(object);
            const Reply reply = toReply(r);
            checkConversion(r, reply);
            out.replies.append(reply);
            freeReplyObject(object);
        }
        if (out.failed)
            break;
    }
    redisReaderFree(reader);
    return out;
}

void writeResp(QByteArray &out, const Reply &reply)
{
    switch (reply.type) {
    case Reply::Type::Status:
        out += '+' + reply.string + "\r\n";
        break;
    case Reply::Type::Error:
        out += '-' + reply.string + "\r\n";
        break;
    case Reply::Type::Integer:
        out += ':' + QByteArray::number(reply.integer) + "\r\n";
        break;
    case Reply::Type::String:
        out += '$' + QByteArray::number(reply.string.size()) + "\r\n" + reply.string + "\r\n";
        break;
    case Reply::Type::Array:
        out += '*' + QByteArray::number(reply.elements.size()) + "\r\n";
        for (const Reply &element : reply.elements)
            writeResp(out, element);
        break;
    default:
        out += "$-1\r\n";
    }
}

// hiredis 0.14 (Debian 12) allocates a multi-bulk reply's announced element count at once and
// has no limit to set (maxelements came with hiredis 1.0): "*4000000000" asks for gigabytes.
// That is the library's, documented in docs/security.md (Redis is trusted); inputs announcing
// more elements than they could hold are left out, so the target keeps testing our conversion.
bool announcesImpossibleArray(QByteArrayView input)
{
    for (qsizetype i = input.indexOf('*'); i >= 0; i = input.indexOf('*', i + 1)) {
        qsizetype end = i + 1;
        while (end < input.size() && end - i <= 20 && input.at(end) >= '0' && input.at(end) <= '9')
            ++end;
        if (end - i > 20 || input.sliced(i + 1, end - i - 1).toLongLong() > input.size())
            return true;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (announcesImpossibleArray(input))
        return 0;
    const qsizetype split = qsizetype(data[0]) * (input.size() + 1) / 256;
    const Read whole = read({input});
    const Read pieces = read({input.first(split), input.sliced(split)});
    FUZZ_CHECK(whole.failed == pieces.failed && whole.replies.size() == pieces.replies.size());
    for (qsizetype i = 0; i < whole.replies.size(); ++i)
        FUZZ_CHECK(sameReply(whole.replies.at(i), pieces.replies.at(i)));

    QByteArray resp;
    for (const Reply &reply : whole.replies)
        writeResp(resp, reply);
    const Read back = read({resp});
    FUZZ_CHECK(!back.failed && back.replies.size() == whole.replies.size());
    for (qsizetype i = 0; i < whole.replies.size(); ++i)
        FUZZ_CHECK(sameReply(back.replies.at(i), whole.replies.at(i)));
    return 0;
}
