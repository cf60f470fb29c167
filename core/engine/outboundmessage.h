#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <memory>

namespace Plugboard {

// An Engine.IO message (one text packet plus the binary messages that must follow it),
// encoded once and shared by every recipient. The WebSocket frames and the polling payload are
// built on first use and cached, so a broadcast costs one encoding whatever its audience.
class PLUGBOARD_CORE_EXPORT OutboundMessage
{
public:
    OutboundMessage() = default;
    explicit OutboundMessage(QByteArray text, QList<QByteArray> binaries = {});
    // A lone binary message (raw Engine.IO use; Socket.IO always has a text packet first).
    static OutboundMessage binary(QByteArray bytes);

    bool isNull() const { return !d; }
    const QByteArray &text() const;
    const QList<QByteArray> &binaries() const;
    // Complete server-to-client WebSocket frames: "4"+text, then each binary.
    const QByteArray &webSocketFrames() const;
    // The same frames under permessage-deflate: those of at least `threshold` payload bytes
    // compressed, each on its own; cached for the default window, so a broadcast is
    // compressed once.
    QByteArray deflatedWebSocketFrames(qint64 threshold, int windowBits = 15) const;
    // Polling payload elements: "4"+text, then "b"+base64 of each binary, \x1e-separated.
    const QByteArray &pollingPayload() const;
    qsizetype size() const;
    // Node's compress flag: false keeps this message out of HTTP and WebSocket compression.
    bool isCompressible() const;
    void setCompressible(bool compressible);

private:
    struct Data;
    std::shared_ptr<Data> d;
};

} // namespace Plugboard
