#include "engineerror.h"

namespace Plugboard::EngineIO {

const char *errorMessage(RequestError error)
{
    switch (error) {
    case RequestError::UnknownTransport: return "Transport unknown";
    case RequestError::UnknownSid: return "Session ID unknown";
    case RequestError::BadHandshakeMethod: return "Bad handshake method";
    case RequestError::BadRequest: return "Bad request";
    case RequestError::Forbidden: return "Forbidden";
    case RequestError::UnsupportedProtocolVersion: return "Unsupported protocol version";
    }
    return "Bad request";
}

int httpStatus(RequestError error)
{
    return error == RequestError::Forbidden ? 403 : 400;
}

QByteArray errorBody(RequestError error)
{
    QByteArray body("{\"code\":");
    body += QByteArray::number(int(error));
    body += ",\"message\":\"";
    body += errorMessage(error);
    body += "\"}";
    return body;
}

} // namespace Plugboard::EngineIO
