#pragma once

#include "siopacket.h"

namespace Plugboard::SocketIO {

// socket.io-msgpack-parser 3.x: a packet is one binary message, the MessagePack of
// {type, data, id, nsp} (keys in the order Node's server writes them). Binary stays in place
// as bin (no placeholders, no attachments), so only the types 0 to 4 exist. Pure: no I/O.
QByteArray encodeMsgpackPacket(const Packet &packet);

// Checks what the Node parser checks (type, namespace, payload for the type, integer id).
// The result never has attachments to wait for.
HeaderResult decodeMsgpackPacket(QByteArrayView bytes);

} // namespace Plugboard::SocketIO
