#pragma once

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

const char *errorMessage(RequestError error);
int httpStatus(RequestError error);
// {"code":N,"message":"..."}
QByteArray errorBody(RequestError error);

} // namespace Plugboard::EngineIO
