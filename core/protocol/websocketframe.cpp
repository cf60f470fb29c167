#include "websocketframe.h"

namespace Plugboard::WebSocketFrame {

namespace {

void appendHeader(QByteArray &out, Opcode opcode, quint64 length, bool compressed = false, bool masked = false)
{
    const char maskBit = masked ? char(0x80) : char(0);
    out.append(char(0x80 | (compressed ? 0x40 : 0) | opcode));
    if (length < 126) {
        out.append(char(char(length) | maskBit));
    } else if (length <= 0xffff) {
        out.append(char(126 | maskBit));
        out.append(char(length >> 8));
        out.append(char(length & 0xff));
    } else {
        out.append(char(127 | maskBit));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((length >> shift) & 0xff));
    }
}

} // namespace

void append(QByteArray &out, Opcode opcode, QByteArrayView payload, bool compressed)
{
    appendHeader(out, opcode, quint64(payload.size()), compressed);
    out.append(payload.data(), payload.size());
}

void appendText(QByteArray &out, char prefix, QByteArrayView payload)
{
    appendHeader(out, Text, quint64(payload.size()) + 1);
    out.append(prefix);
    out.append(payload.data(), payload.size());
}

void appendMasked(QByteArray &out, Opcode opcode, QByteArrayView payload, quint32 maskKey, char prefix)
{
    const quint64 length = quint64(payload.size()) + (prefix ? 1 : 0);
    appendHeader(out, opcode, length, false, true);
    const char mask[4] = {char(maskKey >> 24), char(maskKey >> 16), char(maskKey >> 8), char(maskKey)};
    out.append(mask, 4);
    const qsizetype start = out.size();
    out.resize(start + qsizetype(length));
    char *target = out.data() + start;
    qsizetype i = 0;
    if (prefix)
        target[i++] = char(prefix ^ mask[0]);
    const char *source = payload.data();
    for (qsizetype j = 0; j < payload.size(); ++j, ++i)
        target[i] = char(source[j] ^ mask[i & 3]);
}

} // namespace Plugboard::WebSocketFrame
