#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Plugboard::EngineIO {

// The JSON of the open packet, keys in Node's order.
struct Handshake
{
    QString sid;
    QStringList upgrades;
    int pingInterval = 25000;
    int pingTimeout = 20000;
    qint64 maxPayload = 1000000;
};

QByteArray encodeHandshake(const Handshake &handshake);

} // namespace Plugboard::EngineIO
