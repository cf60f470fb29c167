#include "permessagedeflate.h"

#include "websocketframe.h"

#include <QtCore/QList>

#include <zlib.h>

namespace Plugboard::PerMessageDeflate {

namespace {

constexpr char SyncFlushTail[] = {'\x00', '\x00', '\xff', '\xff'};

// A window-bits parameter value: 8 to 15 (RFC 7692 §7.1.2); zlib's raw deflate cannot write
// with 8, so a client asking for it has its offer declined.
std::optional<int> windowBits(QByteArrayView value)
{
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.sliced(1, value.size() - 2);
    bool ok = false;
    const int bits = value.toByteArray().toInt(&ok);
    if (!ok || bits < 8 || bits > 15 || value.startsWith('+') || value.startsWith('0'))
        return std::nullopt;
    return bits;
}

std::optional<Agreement> acceptOffer(const QList<QByteArray> &parameters)
{
    Agreement agreement;
    QList<QByteArray> seen;
    for (qsizetype i = 1; i < parameters.size(); ++i) {
        const QByteArray parameter = parameters.at(i).trimmed();
        const qsizetype equals = parameter.indexOf('=');
        const QByteArray name = (equals < 0 ? parameter : parameter.first(equals)).trimmed().toLower();
        const QByteArray value = equals < 0 ? QByteArray() : parameter.sliced(equals + 1).trimmed();
        if (seen.contains(name))
            return std::nullopt; // a parameter given twice makes the offer invalid
        seen.append(name);
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (equals >= 0)
                return std::nullopt;
            if (name == "client_no_context_takeover")
                agreement.clientNoContextTakeover = true;
        } else if (name == "server_max_window_bits") {
            const std::optional<int> bits = windowBits(value);
            if (!bits || *bits < 9)
                return std::nullopt;
            agreement.serverMaxWindowBits = *bits;
        } else if (name == "client_max_window_bits") {
            // Our inflater reads any window up to 15, so there is nothing to answer.
            if (equals >= 0 && !windowBits(value))
                return std::nullopt;
        } else {
            return std::nullopt;
        }
    }
    return agreement;
}

} // namespace

QByteArray Agreement::responseHeader() const
{
    QByteArray header = QByteArrayLiteral("permessage-deflate; server_no_context_takeover");
    if (clientNoContextTakeover)
        header += "; client_no_context_takeover";
    if (serverMaxWindowBits != 15)
        header += "; server_max_window_bits=" + QByteArray::number(serverMaxWindowBits);
    return header;
}

std::optional<Agreement> negotiate(QByteArrayView extensionsHeader)
{
    const QList<QByteArray> offers = extensionsHeader.toByteArray().split(',');
    for (const QByteArray &offer : offers) {
        const QList<QByteArray> parameters = offer.split(';');
        if (parameters.first().trimmed().toLower() != "permessage-deflate")
            continue;
        if (auto agreement = acceptOffer(parameters))
            return agreement;
    }
    return std::nullopt;
}

QByteArray compressMessage(QByteArrayView message, int windowBits)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(message.size()))) + 16);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.data()));
    stream.avail_in = uInt(message.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_SYNC_FLUSH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_OK || stream.avail_in != 0 || written < 4)
        return {};
    out.resize(written - 4); // the 00 00 ff ff every sync flush ends with
    return out;
}

void appendFrame(QByteArray &out, quint8 opcode, QByteArrayView payload, qint64 threshold, int windowBits)
{
    const auto frameOpcode = WebSocketFrame::Opcode(opcode);
    if (payload.size() >= threshold) {
        const QByteArray compressed = compressMessage(payload, windowBits);
        if (!compressed.isEmpty()) {
            WebSocketFrame::append(out, frameOpcode, compressed, true);
            return;
        }
    }
    WebSocketFrame::append(out, frameOpcode, payload);
}

struct Inflater::Stream
{
    z_stream z{};
    bool ready = false;
    ~Stream()
    {
        if (ready)
            inflateEnd(&z);
    }
};

Inflater::Inflater(bool resetAfterEachMessage) : m_stream(std::make_unique<Stream>()), m_reset(resetAfterEachMessage)
{
}

Inflater::~Inflater() = default;

std::optional<QByteArray> Inflater::inflate(QByteArrayView compressed, qint64 maxSize)
{
    if (!m_stream->ready) {
        if (inflateInit2(&m_stream->z, -15) != Z_OK)
            return std::nullopt;
        m_stream->ready = true;
    }
    z_stream &z = m_stream->z;
    QByteArray input = compressed.toByteArray();
    input.append(SyncFlushTail, sizeof SyncFlushTail);
    z.next_in = reinterpret_cast<Bytef *>(input.data());
    z.avail_in = uInt(input.size());
    QByteArray out;
    char chunk[16 * 1024];
    bool ended = false;
    while (true) {
        z.next_out = reinterpret_cast<Bytef *>(chunk);
        z.avail_out = sizeof chunk;
        const int result = ::inflate(&z, Z_SYNC_FLUSH);
        if (result != Z_OK && result != Z_BUF_ERROR && result != Z_STREAM_END) {
            inflateReset(&z);
            return std::nullopt;
        }
        const qsizetype produced = qsizetype(sizeof chunk - z.avail_out);
        if (out.size() + produced > maxSize) {
            inflateReset(&z);
            return std::nullopt;
        }
        out.append(chunk, produced);
        if (result == Z_STREAM_END) {
            ended = true; // a final block: the next message starts a new stream
            break;
        }
        if (z.avail_in == 0 && z.avail_out != 0)
            break;
        if (result == Z_BUF_ERROR && produced == 0)
            break;
    }
    if (m_reset || ended)
        inflateReset(&z);
    return out;
}

} // namespace Plugboard::PerMessageDeflate
