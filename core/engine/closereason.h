#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QObject>
#include <QtCore/QString>

namespace Plugboard {

Q_NAMESPACE

// Why an Engine.IO session ended; text() gives Node's reason strings.
enum class CloseReason {
    TransportClose,    // "transport close": the peer closed its transport
    TransportError,    // "transport error"
    PingTimeout,       // "ping timeout"
    ParseError,        // "parse error"
    ForcedClose,       // "forced close": closed by the server
    ServerShuttingDown,// "server shutting down"
    WriteBufferFull,   // "write buffer full": the peer could not keep up (Plugboard)
};
Q_ENUM_NS(CloseReason)

PLUGBOARD_CORE_EXPORT QString closeReasonText(CloseReason reason);

} // namespace Plugboard
