#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QDateTime>
#include <QtCore/QString>

namespace Plugboard {

// What a socket knows of the request that opened its connection (Node's socket.handshake).
struct PLUGBOARD_CORE_EXPORT SocketHandshake
{
    QCborMap headers; // lower-case header names to values
    QDateTime time;
    QString address;
    bool xdomain = false; // an Origin header was sent
    bool secure = false;
    qint64 issued = 0; // ms since epoch
    QString url;
    QCborMap query; // parameter names to strings
    QCborMap auth;  // the CONNECT payload
};

// A middleware's refusal; the client receives it as connect_error (message, data).
struct PLUGBOARD_CORE_EXPORT ConnectError
{
    QString message;
    QCborValue data = QCborValue(QCborValue::Undefined);
};

} // namespace Plugboard
