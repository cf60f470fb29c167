#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>

namespace Plugboard::EngineIO {

// Engine.IO request errors with Node's codes, messages and HTTP status.
enum class RequestError {
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
};

PLUGBOARD_CORE_EXPORT const char *errorMessage(RequestError error);
PLUGBOARD_CORE_EXPORT int httpStatus(RequestError error);
// {"code":N,"message":"..."}
PLUGBOARD_CORE_EXPORT QByteArray errorBody(RequestError error);

} // namespace Plugboard::EngineIO
