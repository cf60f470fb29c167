#include "closereason.h"

namespace Plugboard {

QString closeReasonText(CloseReason reason)
{
    switch (reason) {
    case CloseReason::TransportClose: return QStringLiteral("transport close");
    case CloseReason::TransportError: return QStringLiteral("transport error");
    case CloseReason::PingTimeout: return QStringLiteral("ping timeout");
    case CloseReason::ParseError: return QStringLiteral("parse error");
    case CloseReason::ForcedClose: return QStringLiteral("forced close");
    case CloseReason::ServerShuttingDown: return QStringLiteral("server shutting down");
    case CloseReason::WriteBufferFull: return QStringLiteral("write buffer full");
    }
    return QStringLiteral("transport error");
}

} // namespace Plugboard
