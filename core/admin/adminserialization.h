#pragma once

#include <QtCore/QCborMap>
#include <QtCore/QDateTime>
#include <QtCore/QString>

namespace Plugboard {

class Socket;
struct SocketHandshake;

// How @socket.io/admin-ui's server describes things on the wire.
namespace AdminSerialization {

// JSON.stringify(new Date()): "2026-11-26T14:09:58.094Z".
QString isoTimestamp(const QDateTime &time);
// Date.prototype.toString(): "Thu Nov 26 2026 14:09:58 GMT+0000 (Coordinated Universal Time)".
QString jsDateString(const QDateTime &time);
// cf-connecting-ip, else x-forwarded-for, else the peer address.
QString clientAddress(const SocketHandshake &handshake);
// The UI's clientId: the first 12 characters of the Engine.IO id (the whole id is a credential).
QString clientId(const QString &engineId);
// SerializedSocket: id, clientId (12 characters of the Engine.IO id), transport, nsp, data,
// handshake (no auth; secret-looking header values masked), rooms (own room first).
QCborMap socket(const Socket &socket);
// socket.data as the UI sees it (the internal _admin key left out).
QCborMap socketData(const QCborMap &data);

} // namespace AdminSerialization
} // namespace Plugboard
