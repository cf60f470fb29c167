#pragma once

#include "../protocol/permessagedeflate.h"
#include "transport.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <optional>

namespace Plugboard {

// How a WebSocket transport frames what it sends to its peer.
struct FramingOptions
{
    int protocol = 4; // Engine.IO revision: 3 puts the packet type before binary data
    std::optional<PerMessageDeflate::Agreement> deflate;
    qint64 deflateThreshold = 1024;
};

// The frames of a batch of outgoing packets. v4 messages use the frames they share with every
// recipient (their compressed ones under permessage-deflate, unless sent with compress(false));
// a lone message's frames are returned without a copy. v3 frames are built for the peer.
QByteArray outgoingFrames(const QList<OutgoingPacket> &packets, const FramingOptions &options);

} // namespace Plugboard
