#include "outboundmessage.h"

#include "../protocol/enginepacket.h"
#include "../protocol/permessagedeflate.h"
#include "../protocol/websocketframe.h"

namespace Plugboard {

struct OutboundMessage::Data
{
    QByteArray text;
    QList<QByteArray> binaries;
    QByteArray frames;
    QByteArray deflatedFrames;
    QByteArray payload;
    bool compressible = true;
};

OutboundMessage::OutboundMessage(QByteArray text, QList<QByteArray> binaries)
    : d(std::make_shared<Data>())
{
    d->text = std::move(text);
    d->binaries = std::move(binaries);
}

OutboundMessage OutboundMessage::binary(QByteArray bytes)
{
    return OutboundMessage(QByteArray(), {std::move(bytes)});
}

const QByteArray &OutboundMessage::text() const
{
    return d->text;
}

const QList<QByteArray> &OutboundMessage::binaries() const
{
    return d->binaries;
}

const QByteArray &OutboundMessage::webSocketFrames() const
{
    if (d->frames.isEmpty()) {
        qsizetype size = d->text.size() + 11;
        for (const QByteArray &b : d->binaries)
            size += b.size() + 10;
        d->frames.reserve(size);
        if (!d->text.isNull())
            WebSocketFrame::appendText(d->frames, '4', d->text);
        for (const QByteArray &b : d->binaries)
            WebSocketFrame::append(d->frames, WebSocketFrame::Binary, b);
    }
    return d->frames;
}

QByteArray OutboundMessage::deflatedWebSocketFrames(qint64 threshold, int windowBits) const
{
    const bool cacheable = windowBits == 15;
    if (cacheable && !d->deflatedFrames.isEmpty())
        return d->deflatedFrames;
    QByteArray frames;
    if (!d->text.isNull()) {
        QByteArray text;
        text.reserve(d->text.size() + 1);
        text.append('4');
        text.append(d->text);
        PerMessageDeflate::appendFrame(frames, WebSocketFrame::Text, text, threshold, windowBits);
    }
    for (const QByteArray &b : d->binaries)
        PerMessageDeflate::appendFrame(frames, WebSocketFrame::Binary, b, threshold, windowBits);
    if (cacheable)
        d->deflatedFrames = frames;
    return frames;
}

const QByteArray &OutboundMessage::pollingPayload() const
{
    if (d->payload.isEmpty()) {
        if (!d->text.isNull()) {
            d->payload.append('4');
            d->payload.append(d->text);
        }
        for (const QByteArray &b : d->binaries) {
            if (!d->payload.isEmpty())
                d->payload.append(EngineIO::RecordSeparator);
            d->payload.append('b');
            d->payload.append(b.toBase64());
        }
    }
    return d->payload;
}

bool OutboundMessage::isCompressible() const
{
    return d->compressible;
}

void OutboundMessage::setCompressible(bool compressible)
{
    d->compressible = compressible;
}

qsizetype OutboundMessage::size() const
{
    qsizetype size = d->text.size() + 1;
    for (const QByteArray &b : d->binaries)
        size += b.size();
    return size;
}

} // namespace Plugboard
