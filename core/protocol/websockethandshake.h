#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

namespace Plugboard::WebSocketHandshake {

// Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2).
PLUGBOARD_CORE_EXPORT QByteArray acceptFor(QByteArrayView key);
// A key is the base64 of 16 bytes (what ws checks before it answers).
PLUGBOARD_CORE_EXPORT bool isValidKey(QByteArrayView key);
// Sec-WebSocket-Version 13 (8 too, as ws accepts).
PLUGBOARD_CORE_EXPORT bool isSupportedVersion(QByteArrayView version);

} // namespace Plugboard::WebSocketHandshake
