#include "websockethandshake.h"

#include <QtCore/QCryptographicHash>

namespace Plugboard::WebSocketHandshake {

QByteArray acceptFor(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key.trimmed());
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

bool isValidKey(QByteArrayView key)
{
    key = key.trimmed();
    if (key.size() != 24)
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(key.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 16;
}

bool isSupportedVersion(QByteArrayView version)
{
    version = version.trimmed();
    return version == "13" || version == "8";
}

} // namespace Plugboard::WebSocketHandshake
