#pragma once

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

constexpr qint64 NoAckId = -1;
constexpr int DefaultMaxAttachments = 10;

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    qint64 id = NoAckId;
    QCborValue data = QCborValue(QCborValue::Undefined); // undefined: no payload
};

// One encoded packet: the text part and the binary attachments that must follow it.
struct EncodedPacket
{
    QByteArray text;
    QList<QByteArray> attachments;
};

// True when any byte array is inside value.
bool hasBinary(const QCborValue &value);

// Encodes like Node's socket.io-parser: Event/Ack become BinaryEvent/BinaryAck when the data
// hold byte arrays, which are replaced by {"_placeholder":true,"num":i} in depth-first order.
EncodedPacket encode(const Packet &packet);

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
};
const char *decodeErrorMessage(DecodeError error);

struct HeaderResult
{
    DecodeError error = DecodeError::None;
    Packet packet;
    int attachments = 0; // binary buffers still to come for this packet
};

// Decodes the text part of a packet. For binary types the data still hold placeholders.
HeaderResult decodeHeader(QByteArrayView text, int maxAttachments = DefaultMaxAttachments);

// Replaces placeholders with the buffers. Fails on a placeholder that names no buffer.
bool reconstruct(QCborValue &data, const QList<QByteArray> &buffers);

// Incremental decoder of one connection's packets: text headers and their binary attachments.
// No I/O; the caller feeds what the transport delivered, in order.
class Decoder
{
public:
    explicit Decoder(int maxAttachments = DefaultMaxAttachments) : m_maxAttachments(maxAttachments) {}

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
    int m_expected = 0;
    Packet m_pending;
    QList<QByteArray> m_buffers;
};

// Event names a client may not send and an application may not emit (socket.io-parser's
// RESERVED_EVENTS): connect, connect_error, disconnect, disconnecting, newListener,
// removeListener.
bool isReservedEventName(const QString &name);

} // namespace Plugboard::SocketIO
