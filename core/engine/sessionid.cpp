#include "sessionid.h"

#include <QtCore/QByteArray>
#include <QtCore/QRandomGenerator>

namespace Plugboard {

QString generateSessionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
}

} // namespace Plugboard
