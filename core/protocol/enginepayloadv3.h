#pragma once

#include "enginepacket.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>

#include <optional>

namespace Plugboard::EngineIO::V3 {

// Engine.IO v3 (engine.io-parser 2.x), for allowEIO3: what differs from v4.
//
// Polling payloads come in two forms. Text: each packet as "<length>:<packet>", the length in
// UTF-16 code units (a JavaScript string's length), binary packets as "b<type><base64>".
// Binary (application/octet-stream, when the client did not ask for b64): each packet as a
// marker byte (0 text, 1 binary), the decimal digits of its length in bytes as byte values
// 0-9, 0xFF, then the packet: text as UTF-8, binary as its type byte and the data.
// WebSocket binary frames carry the packet type as their first byte.

std::optional<QList<Packet>> decodeTextPayload(QByteArrayView utf8);
std::optional<QList<Packet>> decodeBinaryPayload(QByteArrayView body);

struct EncodedPayload
{
    QByteArray body;
    bool binary = false; // application/octet-stream rather than text/plain
};
// The binary form only when the client supports it and some packet is binary, as Node.
EncodedPayload encodePayload(const QList<Packet> &packets, bool supportsBinary);

// A WebSocket binary frame: the type byte, then the data (a binary Message).
std::optional<Packet> decodeBinaryFrame(QByteArrayView frame);
QByteArray binaryFrameContent(QByteArrayView data);

// The UTF-16 length of UTF-8 text (surrogate pairs count two), without converting it.
qsizetype utf16Length(QByteArrayView utf8);

} // namespace Plugboard::EngineIO::V3
