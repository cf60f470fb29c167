#include "websocketframe.h"

namespace Plugboard::WebSocketFrame {

namespace {

void appendHeader(QByteArray &out, Opcode opcode, quint64 length, bool compressed = false)
{
    out.append(char(0x80 | (compressed ? 0x40 : 0) | opcode));
    if (length < 126) {
        out.append(char(length));
    } else if (length <= 0xffff) {
        out.append(char(126));
        out.append(char(length >> 8));
        out.append(char(length & 0xff));
    } else {
        out.append(char(127));
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

} // namespace Plugboard::WebSocketFrame
