#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Plugboard::SocketIO {

// Socket.IO v5 packets (docs: socket.io-protocol v5, "Packet encoding").
enum class PacketType : quint8 {
    Connect = 0,
    Disconnect,
    Event,
    Ack,
    ConnectError,
    BinaryEvent,
    BinaryAck
};

// The wire format of packets, chosen per server as Node's `parser` option does: socket.io-parser
// (text plus binary attachments) or socket.io-msgpack-parser (one binary message a packet).
enum class Parser { Default, Msgpack };

constexpr qint64 NoAckId = -1;
constexpr int DefaultMaxAttachments = 10;

struct PLUGBOARD_CORE_EXPORT Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    qint64 id = NoAckId;
    QCborValue data = QCborValue(QCborValue::Undefined); // undefined: no payload
};

// One encoded packet: the text part and the binary attachments that must follow it.
struct PLUGBOARD_CORE_EXPORT EncodedPacket
{
    QByteArray text;
    QList<QByteArray> attachments;
};

// True when any byte array is inside value.
PLUGBOARD_CORE_EXPORT bool hasBinary(const QCborValue &value);

// Encodes like Node's socket.io-parser: Event/Ack become BinaryEvent/BinaryAck when the data
// hold byte arrays, which are replaced by {"_placeholder":true,"num":i} in depth-first order.
PLUGBOARD_CORE_EXPORT EncodedPacket encode(const Packet &packet);
// The packet in the given parser's format; for msgpack, no text and one binary message.
PLUGBOARD_CORE_EXPORT EncodedPacket encode(const Packet &packet, Parser parser);

enum class DecodeError {
    None,
    Empty,
    UnknownType,
    BadAttachmentCount,
    TooManyAttachments,
    BadAckId,
    BadJson,
    InvalidPayload,
    UnexpectedBinary,
    MissingAttachments,
    BadPlaceholder,
    UnexpectedText,
};
PLUGBOARD_CORE_EXPORT const char *decodeErrorMessage(DecodeError error);

struct PLUGBOARD_CORE_EXPORT HeaderResult
{
    DecodeError error = DecodeError::None;
    Packet packet;
    int attachments = 0; // binary buffers still to come for this packet
};

// Decodes the text part of a packet. For binary types the data still hold placeholders.
PLUGBOARD_CORE_EXPORT HeaderResult decodeHeader(QByteArrayView text, int maxAttachments = DefaultMaxAttachments);

// Replaces placeholders with the buffers. Fails on a placeholder that names no buffer.
PLUGBOARD_CORE_EXPORT bool reconstruct(QCborValue &data, const QList<QByteArray> &buffers);

// Incremental decoder of one connection's packets: text headers and their binary attachments.
// No I/O; the caller feeds what the transport delivered, in order.
class PLUGBOARD_CORE_EXPORT Decoder
{
public:
    explicit Decoder(int maxAttachments = DefaultMaxAttachments, Parser parser = Parser::Default)
        : m_maxAttachments(maxAttachments), m_parser(parser)
    {
    }

    enum class Status { Complete, NeedMore, Error };
    struct Result
    {
        Status status = Status::NeedMore;
        DecodeError error = DecodeError::None;
        Packet packet;
    };

    Result addText(QByteArrayView text);
    Result addBinary(const QByteArray &bytes);
    bool awaitingAttachments() const { return m_expected > 0; }

private:
    int m_maxAttachments;
    Parser m_parser;
    int m_expected = 0;
    Packet m_pending;
    QList<QByteArray> m_buffers;
};

// What socket.io-parser accepts as data for a packet type: CONNECT an object or nothing, EVENT
// an array that starts with a non-reserved name, ACK an array, and so on.
PLUGBOARD_CORE_EXPORT bool isPayloadValid(PacketType type, const QCborValue &data);

// Event names a client may not send and an application may not emit (socket.io-parser's
// RESERVED_EVENTS): connect, connect_error, disconnect, disconnecting, newListener,
// removeListener.
PLUGBOARD_CORE_EXPORT bool isReservedEventName(const QString &name);

} // namespace Plugboard::SocketIO
