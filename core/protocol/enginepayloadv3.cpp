#include "enginepayloadv3.h"

#include <QtCore/QString>
#include <QtCore/QUtf8StringView>

namespace Plugboard::EngineIO::V3 {

namespace {

constexpr char BinaryMarker = 1;
constexpr char TextMarker = 0;
constexpr unsigned char LengthEnd = 0xFF;
// Node stops at 310 digits; no packet of ours is longer than 10 digits of bytes.
constexpr qsizetype MaxLengthDigits = 10;

// One text-form element: "<type><data>" or "b<type><base64>".
std::optional<Packet> decodeTextElement(QByteArrayView utf8)
{
    if (utf8.startsWith('b')) {
        if (utf8.size() < 2 || utf8[1] != '0' + int(PacketType::Message))
            return std::nullopt;
        auto decoded = QByteArray::fromBase64Encoding(utf8.sliced(2).toByteArray(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
        return binaryPacket(std::move(decoded.decoded));
    }
    return decodeTextPacket(utf8);
}

QByteArray textElement(const Packet &packet)
{
    if (!packet.binary)
        return encodeTextPacket(packet);
    QByteArray out;
    out.reserve(packet.data.size() * 4 / 3 + 6);
    out.append('b');
    out.append(char('0' + int(PacketType::Message)));
    out.append(packet.data.toBase64());
    return out;
}

void appendLengthDigits(QByteArray &out, qsizetype length)
{
    for (const char digit : QByteArray::number(length))
        out.append(char(digit - '0'));
    out.append(char(LengthEnd));
}

} // namespace

qsizetype utf16Length(QByteArrayView utf8)
{
    qsizetype units = 0;
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte & 0xC0) != 0x80)
            ++units; // a lead or ASCII byte starts a code point
        if (byte >= 0xF0)
            ++units; // four-byte sequences are surrogate pairs in UTF-16
    }
    return units;
}

std::optional<QList<Packet>> decodeTextPayload(QByteArrayView utf8)
{
    if (utf8.isEmpty())
        return std::nullopt;
    const QString text = QString::fromUtf8(utf8);
    QList<Packet> packets;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype colon = text.indexOf(u':', i);
        if (colon <= i || colon - i > MaxLengthDigits)
            return std::nullopt;
        bool ok = false;
        const qsizetype length = QStringView(text).sliced(i, colon - i).toLongLong(&ok);
        if (!ok || length < 0 || length > text.size() - colon - 1)
            return std::nullopt;
        for (const QChar digit : QStringView(text).sliced(i, colon - i)) {
            if (!digit.isDigit())
                return std::nullopt;
        }
        if (length > 0) {
            auto packet = decodeTextElement(QStringView(text).sliced(colon + 1, length).toUtf8());
            if (!packet)
                return std::nullopt;
            packets.append(std::move(*packet));
        }
        i = colon + 1 + length;
    }
    return packets;
}

std::optional<QList<Packet>> decodeBinaryPayload(QByteArrayView body)
{
    if (body.isEmpty())
        return std::nullopt;
    QList<Packet> packets;
    qsizetype i = 0;
    while (i < body.size()) {
        const char marker = body[i++];
        if (marker != TextMarker && marker != BinaryMarker)
            return std::nullopt;
        qsizetype length = 0;
        qsizetype digits = 0;
        while (i < body.size() && static_cast<unsigned char>(body[i]) != LengthEnd) {
            const auto digit = static_cast<unsigned char>(body[i++]);
            if (digit > 9 || ++digits > MaxLengthDigits)
                return std::nullopt;
            length = length * 10 + digit;
        }
        if (i == body.size() || digits == 0 || length > body.size() - i - 1)
            return std::nullopt;
        const QByteArrayView content = body.sliced(i + 1, length);
        i += 1 + length;
        if (marker == TextMarker) {
            // Node utf8-decodes text packets here and refuses the payload when that fails.
            if (!QUtf8StringView(content).isValidUtf8())
                return std::nullopt;
            auto packet = decodeTextPacket(content);
            if (!packet)
                return std::nullopt;
            packets.append(std::move(*packet));
        } else {
            auto packet = decodeBinaryFrame(content);
            if (!packet)
                return std::nullopt;
            packets.append(std::move(*packet));
        }
    }
    return packets;
}

EncodedPayload encodePayload(const QList<Packet> &packets, bool supportsBinary)
{
    bool hasBinary = false;
    for (const Packet &packet : packets)
        hasBinary = hasBinary || packet.binary;
    EncodedPayload out;
    if (supportsBinary && hasBinary) {
        out.binary = true;
        for (const Packet &packet : packets) {
            if (packet.binary) {
                out.body.append(BinaryMarker);
                appendLengthDigits(out.body, packet.data.size() + 1);
                out.body.append(binaryFrameContent(packet.data));
            } else {
                const QByteArray element = encodeTextPacket(packet);
                out.body.append(TextMarker);
                appendLengthDigits(out.body, element.size());
                out.body.append(element);
            }
        }
        return out;
    }
    for (const Packet &packet : packets) {
        const QByteArray element = textElement(packet);
        out.body.append(QByteArray::number(utf16Length(element)));
        out.body.append(':');
        out.body.append(element);
    }
    return out;
}

std::optional<Packet> decodeBinaryFrame(QByteArrayView frame)
{
    if (frame.isEmpty() || frame.front() != char(PacketType::Message))
        return std::nullopt;
    return binaryPacket(frame.sliced(1).toByteArray());
}

QByteArray binaryFrameContent(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + 1);
    out.append(char(PacketType::Message));
    out.append(data);
    return out;
}

} // namespace Plugboard::EngineIO::V3
