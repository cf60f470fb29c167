#pragma once
// Internal: hiredis's reply objects as Plugboard values. Includes hiredis; not for public headers.

#include "redisconnection.h"

#include <hiredis/hiredis.h>

namespace Plugboard::Redis {

inline Reply toReply(const redisReply *r)
{
    Reply reply;
    if (!r) {
        reply.type = Reply::Type::NoConnection;
        reply.string = "connection lost";
        return reply;
    }
    switch (r->type) {
    case REDIS_REPLY_STATUS:
        reply.type = Reply::Type::Status;
        reply.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        reply.type = Reply::Type::Error;
        reply.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        reply.type = Reply::Type::Integer;
        reply.integer = r->integer;
        break;
    case REDIS_REPLY_STRING:
        reply.type = Reply::Type::String;
        reply.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ARRAY:
        reply.type = Reply::Type::Array;
        reply.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            reply.elements.append(toReply(r->element[i]));
        break;
    default:
        reply.type = Reply::Type::Nil;
        break;
    }
    return reply;
}

} // namespace Plugboard::Redis
