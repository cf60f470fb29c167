#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>

#include <optional>

namespace Plugboard::EngineIO {

// Engine.IO v4 packets (docs: engine.io-protocol v4, "Packet encoding").
enum class PacketType : quint8 { Open = 0, Close, Ping, Pong, Message, Upgrade, Noop };

struct PLUGBOARD_CORE_EXPORT Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;
    bool binary = false; // only for Message: data are raw bytes, not UTF-8 text

    friend bool operator==(const Packet &, const Packet &) = default;
};

constexpr char RecordSeparator = '\x1e';

// A WebSocket text frame or one element of a polling payload, without the 'b' form.
PLUGBOARD_CORE_EXPORT std::optional<Packet> decodeTextPacket(QByteArrayView text);
// A WebSocket binary frame: always a binary Message.
PLUGBOARD_CORE_EXPORT Packet binaryPacket(QByteArray bytes);

// A polling request body: packets separated by \x1e, binary ones as 'b' + base64.
// Fails on an empty body, an empty element, an unknown type digit, or bad base64.
PLUGBOARD_CORE_EXPORT std::optional<QList<Packet>> decodePayload(QByteArrayView body);

// Text form for a WebSocket text frame (binary packets must be sent as binary frames).
PLUGBOARD_CORE_EXPORT QByteArray encodeTextPacket(const Packet &packet);
// Appends one polling payload element (binary as 'b' + base64).
PLUGBOARD_CORE_EXPORT void appendPayloadElement(const Packet &packet, QByteArray &out);
PLUGBOARD_CORE_EXPORT QByteArray encodePayload(const QList<Packet> &packets);

} // namespace Plugboard::EngineIO
