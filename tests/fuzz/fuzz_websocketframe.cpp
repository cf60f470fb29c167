// WebSocket frames as both native transports read them: libwslay behind WslayIo's callbacks,
// fed from memory in pieces instead of from a socket. What wslay delivers, and how it fails the
// connection, is compared with a small RFC 6455 §5 reader written here from the spec; what it
// answers must itself be valid frames. Then the frames WebSocketFrame writes (the server's
// unmasked, the client's masked) are read back by wslay to the same messages.
#include "fuzzcheck.h"

#include <engine/wslayio.h>
#include <protocol/websocketframe.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <algorithm>
#include <cstring>

using namespace Plugboard;

namespace {

struct Message
{
    quint8 opcode = 0;
    quint8 rsv = 0;
    QByteArray payload;
    quint16 statusCode = 0;

    bool operator==(const Message &other) const = default;
};

// An incremental UTF-8 check (RFC 3629 §4): no overlongs, surrogates or code points past U+10FFFF.
struct Utf8
{
    int need = 0;
    quint8 low = 0x80;
    quint8 high = 0xbf;

    bool feed(quint8 c)
    {
        if (need > 0) {
            if (c < low || c > high)
                return false;
            low = 0x80;
            high = 0xbf;
            --need;
            return true;
        }
        if (c < 0x80)
            return true;
        if (c >= 0xc2 && c <= 0xdf)
            need = 1;
        else if (c >= 0xe0 && c <= 0xef)
            need = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            need = 3;
        else
            return false;
        if (c == 0xe0)
            low = 0xa0;
        else if (c == 0xed)
            high = 0x9f;
        else if (c == 0xf0)
            low = 0x90;
        else if (c == 0xf4)
            high = 0x8f;
        return true;
    }
};

// wslay's frame layer refuses a bad header by failing recv() itself, and closes without a code;
// the transports then fail the connection (NativeWebSocketTransport::onReadyRead).
constexpr quint16 HeaderError = 0;
constexpr quint16 ProtocolError = 1002;
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 TooBig = 1009;

bool isControl(quint8 opcode)
{
    return opcode >= 8;
}

bool isValidCloseCode(quint16 code)
{
    // RFC 6455 §7.4: 1004-1006 and 1015 are never sent; 1012-1014 and 1016-2999 are unassigned
    // (wslay, like ws before 8.x, takes up to 1011 only); 3000-4999 belong to libraries and apps.
    return (code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006)
        || (code >= 3000 && code <= 4999);
}

// RFC 6455 §5 from the spec. A verdict on a frame needs its header, its mask key and, when it
// has a payload, the first payload byte: that is when a streaming reader sees the frame.
struct Reference
{
    enum class State { Open, Failed, Closed };
    State state = State::Open;
    quint16 failure = 0;
    bool closeWithReason = false; // a close frame with a reason was read, whole or in part
    QList<Message> messages;

    void read(QByteArrayView in, bool server, quint8 allowedRsv, quint64 maxMessage)
    {
        qsizetype pos = 0;
        Message current; // a fragmented data message, opcode 0 when none
        Utf8 utf8;
        const auto fail = [this](quint16 code) {
            state = State::Failed;
            failure = code;
        };
        while (state == State::Open) {
            if (in.size() - pos < 2)
                return;
            const quint8 b0 = quint8(in[pos]);
            const quint8 b1 = quint8(in[pos + 1]);
            const bool fin = b0 & 0x80;
            const quint8 rsv = (b0 >> 4) & 7;
            const quint8 opcode = b0 & 0x0f;
            const bool masked = b1 & 0x80;
            quint64 length = b1 & 0x7f;
            // §5.5: control frames are never fragmented and carry at most 125 bytes.
            if (isControl(opcode) && (length > 125 || !fin))
                return fail(HeaderError);
            qsizetype header = 2;
            if (length >= 126) {
                const int bytes = length == 126 ? 2 : 8;
                if (in.size() - pos < 2 + bytes)
                    return;
                length = 0;
                for (int i = 0; i < bytes; ++i)
                    length = (length << 8) | quint8(in[pos + 2 + i]);
                // §5.2: the minimal length form, and the most significant bit of a 64-bit length 0.
                if ((bytes == 2 && length < 126) || (bytes == 8 && (length < 65536 || (length >> 63))))
                    return fail(HeaderError);
                header += bytes;
            }
            const qsizetype maskAt = pos + header;
            if (masked)
                header += 4;
            const qsizetype available = in.size() - pos - header;
            if (available < 0 || (length > 0 && available == 0))
                return;
            // §5.2: reserved bits only as an extension negotiated them (permessage-deflate: RSV1 on
            // the first frame of a data message, RFC 7692 §6). §5.1: a client masks, a server does not.
            if ((rsv & ~allowedRsv) || ((rsv & 4) && (isControl(opcode) || opcode == 0)) || masked != server)
                return fail(ProtocolError);
            // §5.4: continuation frames follow a data frame without FIN; control frames may come
            // in between; opcodes 3-7 and 11-15 are reserved.
            const bool known = opcode <= 2 || (opcode >= 8 && opcode <= 10);
            const bool data = opcode == 1 || opcode == 2;
            if (!known || (current.opcode == 0 && opcode == 0) || (current.opcode != 0 && data))
                return fail(ProtocolError);
            Message control;
            Message &message = isControl(opcode) ? control : current;
            Utf8 controlUtf8;
            Utf8 &check = isControl(opcode) ? controlUtf8 : utf8;
            if (opcode != 0) {
                message.opcode = opcode;
                message.rsv = rsv;
            }
            closeWithReason = opcode == 8 && length > 2;
            if (quint64(message.payload.size()) + length > maxMessage)
                return fail(TooBig);
            const bool utf8Checked = (message.opcode == 1 && !(message.rsv & 4)) || message.opcode == 8;
            for (quint64 i = 0; i < length; ++i) {
                if (qsizetype(i) >= available)
                    return; // the rest of the payload has not arrived
                quint8 c = quint8(in[pos + header + qsizetype(i)]);
                if (masked)
                    c ^= quint8(in[maskAt + qsizetype(i % 4)]);
                const qsizetype offset = message.payload.size();
                message.payload.append(char(c));
                if (utf8Checked && (message.opcode != 8 || offset >= 2) && !check.feed(c))
                    return fail(InvalidPayload);
            }
            pos += header + qsizetype(length);
            if (!fin)
                continue;
            if (utf8Checked && check.need > 0)
                return fail(InvalidPayload);
            if (message.opcode == 8 && message.payload.size() >= 2) {
                message.statusCode = quint16((quint8(message.payload[0]) << 8) | quint8(message.payload[1]));
                if (!isValidCloseCode(message.statusCode))
                    return fail(ProtocolError);
            }
            messages.append(message);
            if (message.opcode == 8)
                state = State::Closed;
            if (!isControl(opcode)) {
                current = {};
                utf8 = {};
            }
        }
    }
};

// The byte stream a transport would read: readInto() hands out at most `chunk` bytes a call.
struct Stream
{
    QByteArrayView input;
    qsizetype offset = 0;
    qsizetype chunk = 1;
    QByteArray output;
    QList<Message> messages;

    qint64 readInto(quint8 *buffer, qint64 size)
    {
        FUZZ_CHECK(size > 0);
        const qint64 taken = std::min<qint64>({size, qint64(chunk), qint64(input.size() - offset)});
        std::memcpy(buffer, input.data() + offset, size_t(taken));
        offset += qsizetype(taken);
        return taken;
    }
    qint64 writeFrom(const quint8 *data, qint64 size)
    {
        output.append(reinterpret_cast<const char *>(data), qsizetype(size));
        return size;
    }
};

int zeroMask(wslay_event_context_ptr, uint8_t *buffer, size_t length, void *)
{
    std::memset(buffer, 0x5a, length);
    return 0;
}

void messageReceived(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg *arg, void *userData)
{
    // wslay flattens a message into one buffer: msg is null only for an empty one.
    FUZZ_CHECK(arg->msg || arg->msg_length == 0);
    Message message{arg->opcode, arg->rsv,
                    QByteArray(reinterpret_cast<const char *>(arg->msg), qsizetype(arg->msg_length)),
                    arg->status_code};
    static_cast<Stream *>(userData)->messages.append(message);
}

struct Outcome
{
    Reference::State state;
    quint16 codeSent = 0;
    bool recvFailed = false;
    QList<Message> messages;
    QByteArray output;
};

Outcome readWithWslay(QByteArrayView input, bool server, quint8 allowedRsv, quint64 maxMessage, qsizetype chunk)
{
    static const wslay_event_callbacks callbacks = {
        WslayIo::receive<Stream>, WslayIo::transmit<Stream>, zeroMask, nullptr, nullptr, nullptr, messageReceived};
    Stream stream;
    stream.input = input;
    stream.chunk = chunk;
    wslay_event_context_ptr context = nullptr;
    const int init = server ? wslay_event_context_server_init(&context, &callbacks, &stream)
                            : wslay_event_context_client_init(&context, &callbacks, &stream);
    FUZZ_CHECK(init == 0 && context);
    wslay_event_config_set_max_recv_msg_length(context, maxMessage);
    wslay_event_config_set_allowed_rsv_bits(context, allowedRsv);
    // wslay_event_recv() returns when a read is too short for what it needs next, as when the
    // socket has nothing more for now: it is called again, as on the next readyRead, until a
    // call reads nothing.
    Outcome outcome;
    while (wslay_event_want_read(context)) {
        const qsizetype before = stream.offset;
        outcome.recvFailed = wslay_event_recv(context) != 0;
        FUZZ_CHECK(stream.offset >= before && stream.offset <= input.size());
        if (wslay_event_want_write(context))
            FUZZ_CHECK(wslay_event_send(context) == 0);
        if (stream.offset == before || outcome.recvFailed)
            break;
    }
    if (outcome.recvFailed)
        outcome.state = Reference::State::Failed;
    else if (wslay_event_get_close_received(context))
        outcome.state = Reference::State::Closed;
    else if (!wslay_event_get_read_enabled(context))
        outcome.state = Reference::State::Failed;
    else
        outcome.state = Reference::State::Open;
    if (wslay_event_get_close_sent(context))
        outcome.codeSent = wslay_event_get_status_code_sent(context);
    outcome.messages = stream.messages;
    outcome.output = stream.output;
    wslay_event_context_free(context);
    return outcome;
}

// Bytes in, messages out, compared with the reference; then what wslay answered, read as the peer.
void checkReader(QByteArrayView input, bool server, quint8 allowedRsv, quint64 maxMessage, qsizetype chunk)
{
    Reference expected;
    expected.read(input, server, allowedRsv, maxMessage);
    const Outcome actual = readWithWslay(input, server, allowedRsv, maxMessage, chunk);
    // wslay 1.1.1 checks the UTF-8 of a close frame's reason from the third byte of each piece
    // the frame arrives in, not of the frame (wslay_event_recv), so a reason read in pieces can
    // be taken when not UTF-8 or refused when it is: the close is then taken, refused (for its
    // reason or its code) or still awaited.
    const bool whole = chunk >= input.size() && input.size() <= 4096;
    const bool reasonUnsure = !whole && expected.closeWithReason;
    if (reasonUnsure) {
        QList<Message> before = expected.messages;
        if (expected.state == Reference::State::Closed)
            before.removeLast();
        if (actual.state == Reference::State::Closed) {
            FUZZ_CHECK(actual.messages.size() == before.size() + 1 && actual.messages.last().opcode == 8
                       && actual.messages.first(before.size()) == before);
        } else {
            FUZZ_CHECK(actual.messages == before);
            FUZZ_CHECK(actual.state == Reference::State::Open
                       || (actual.codeSent == InvalidPayload || actual.codeSent == ProtocolError));
        }
    } else {
        FUZZ_CHECK(actual.messages == expected.messages);
        FUZZ_CHECK(actual.state == expected.state);
        FUZZ_CHECK(actual.recvFailed == (expected.state == Reference::State::Failed && expected.failure == HeaderError));
        if (expected.state == Reference::State::Failed && expected.failure != HeaderError)
            FUZZ_CHECK(actual.codeSent == expected.failure);
    }

    Reference answer;
    answer.read(actual.output, !server, 0, quint64(1) << 32);
    // wslay echoes the close reason it took (RFC 6455 §5.5.1).
    FUZZ_CHECK(answer.state != Reference::State::Failed || (reasonUnsure && answer.failure == InvalidPayload));
    QList<QByteArray> pingPayloads;
    for (const Message &m : actual.messages) {
        if (m.opcode == 9)
            pingPayloads.append(m.payload);
    }
    qsizetype pongs = 0;
    for (qsizetype i = 0; i < answer.messages.size(); ++i) {
        const Message &m = answer.messages.at(i);
        FUZZ_CHECK(m.opcode == 10 || m.opcode == 8);
        // §5.5.3: a pong carries the payload of the ping it answers.
        if (m.opcode == 10)
            FUZZ_CHECK(pongs < pingPayloads.size() && m.payload == pingPayloads.at(pongs++));
        // The close frame is the last one wslay sends, and only when a close was received or
        // the connection failed.
        FUZZ_CHECK(m.opcode != 8 || (i == answer.messages.size() - 1 && actual.state != Reference::State::Open));
    }
    if (actual.state == Reference::State::Open)
        FUZZ_CHECK(pongs == pingPayloads.size());
}

// What WebSocketFrame writes is one frame of the minimal size that wslay reads back whole.
void checkWriter(QByteArrayView payload, quint8 choice, quint32 maskKey, qsizetype chunk)
{
    const bool masked = choice & 1;
    const char prefix = (choice & 4) ? char('0' + (choice >> 4) % 7) : char(0);
    WebSocketFrame::Opcode opcode = (choice & 8) ? WebSocketFrame::Binary : WebSocketFrame::Text;
    // Only append() writes compressed frames.
    const bool compressed = !masked && (choice & 2) && !(prefix && opcode == WebSocketFrame::Text);
    // A close frame is a control frame: at most 125 bytes, a valid code first, then UTF-8
    // (§5.5, §5.5.1).
    if ((choice & 0xc0) == 0xc0 && !compressed && !prefix && payload.size() <= 125 && payload.size() != 1) {
        bool valid = payload.isEmpty() || isValidCloseCode(quint16((quint8(payload[0]) << 8) | quint8(payload[1])));
        Utf8 utf8;
        for (qsizetype i = 2; i < payload.size(); ++i)
            valid = valid && utf8.feed(quint8(payload[i]));
        if (valid && utf8.need == 0)
            opcode = WebSocketFrame::Close;
    }

    QByteArray frame;
    QByteArray sent;
    if (masked) {
        WebSocketFrame::appendMasked(frame, opcode, payload, maskKey, prefix);
        sent = prefix ? QByteArray(1, prefix) + payload.toByteArray() : payload.toByteArray();
    } else if (prefix && opcode == WebSocketFrame::Text) {
        WebSocketFrame::appendText(frame, prefix, payload);
        sent = QByteArray(1, prefix) + payload.toByteArray();
    } else {
        WebSocketFrame::append(frame, opcode, payload, compressed);
        sent = payload.toByteArray();
    }
    const quint64 length = quint64(sent.size());
    const qsizetype header = (length < 126 ? 2 : length < 65536 ? 4 : 10) + (masked ? 4 : 0);
    FUZZ_CHECK(frame.size() == header + sent.size());
    FUZZ_CHECK(quint8(frame[0]) == (0x80 | (compressed ? 0x40 : 0) | opcode));
    FUZZ_CHECK(bool(quint8(frame[1]) & 0x80) == masked);

    // Followed by a ping, so that a reader that takes too many bytes for the frame is caught.
    frame.append(masked ? QByteArray("\x89\x80\x01\x02\x03\x04", 6) : QByteArray("\x89\x00", 2));
    const quint8 allowedRsv = compressed ? WSLAY_RSV1_BIT : 0;
    Reference expected;
    expected.read(frame, masked, allowedRsv, quint64(1) << 32);
    // A close frame in one piece: see checkReader() for wslay's close reasons read in pieces.
    const qsizetype piece = opcode == WebSocketFrame::Close ? frame.size() : chunk;
    const Outcome actual = readWithWslay(frame, masked, allowedRsv, quint64(1) << 32, piece);
    FUZZ_CHECK(actual.messages == expected.messages);
    if (opcode == WebSocketFrame::Text && !compressed) {
        Utf8 utf8;
        bool valid = true;
        for (char c : sent)
            valid = valid && utf8.feed(quint8(c));
        if (!valid || utf8.need > 0) {
            FUZZ_CHECK(actual.state == Reference::State::Failed && actual.codeSent == InvalidPayload);
            return;
        }
    }
    FUZZ_CHECK(!actual.messages.isEmpty());
    const Message &back = actual.messages.first();
    FUZZ_CHECK(back.opcode == opcode && back.payload == sent && back.rsv == (compressed ? WSLAY_RSV1_BIT : 0));
    if (opcode == WebSocketFrame::Close) {
        FUZZ_CHECK(actual.state == Reference::State::Closed && actual.messages.size() == 1);
    } else {
        FUZZ_CHECK(actual.state == Reference::State::Open && actual.messages.size() == 2);
        FUZZ_CHECK(actual.messages.at(1) == (Message{9, 0, {}, 0}));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    // data[0]: which side reads, what it allows, how the bytes arrive; data[1..5]: how the
    // writer frames the rest.
    const quint8 flags = data[0];
    const bool server = flags & 1;
    const quint8 allowedRsv = (flags & 2) ? WSLAY_RSV1_BIT : 0;
    // wslay allocates a frame's announced length when its header arrives: at most the limit.
    static constexpr quint64 maxMessages[] = {125, 1000, 65536, 1000000};
    const quint64 maxMessage = maxMessages[(flags >> 2) & 3];
    static constexpr qsizetype chunks[] = {1, 2, 3, 5, 7, 13, 64, 100, 1000, 4095, 4096, 5000, 1 << 16, 1 << 20, 1 << 20, 1 << 20};
    const qsizetype chunk = chunks[flags >> 4];
    const QByteArrayView input(reinterpret_cast<const char *>(data + 6), qsizetype(size - 6));
    checkReader(input, server, allowedRsv, maxMessage, chunk);
    const quint32 maskKey = quint32(data[2]) << 24 | quint32(data[3]) << 16 | quint32(data[4]) << 8 | data[5];
    checkWriter(input, data[1], maskKey, chunk);
    return 0;
}
