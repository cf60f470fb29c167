#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

namespace Plugboard::WebSocketFrame {

// Server-to-client frames (RFC 6455 §5.2: FIN set, unmasked). Encoding a broadcast's frames once
// and writing the same bytes to every recipient is what makes fan-out cheap; QWebSocket still
// parses what clients send.
enum Opcode : quint8 { Text = 0x1, Binary = 0x2, Close = 0x8 };

// compressed sets RSV1: the payload is a permessage-deflate message (RFC 7692).
PLUGBOARD_CORE_EXPORT void append(QByteArray &out, Opcode opcode, QByteArrayView payload, bool compressed = false);
// A text frame whose payload is prefix + payload, without building the joined payload first.
PLUGBOARD_CORE_EXPORT void appendText(QByteArray &out, char prefix, QByteArrayView payload);

// A client-to-server frame (RFC 6455 §5.3: masked with maskKey). The engine.io text form
// prefix + payload is masked as one payload, without building it first.
PLUGBOARD_CORE_EXPORT void appendMasked(QByteArray &out, Opcode opcode, QByteArrayView payload, quint32 maskKey, char prefix = 0);

} // namespace Plugboard::WebSocketFrame
