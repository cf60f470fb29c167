#include "handshake.h"

#include "jsoncodec.h"

namespace Plugboard::EngineIO {

QByteArray encodeHandshake(const Handshake &handshake)
{
    QByteArray out;
    out.append("{\"sid\":");
    Json::writeString(QStringView(handshake.sid), out);
    out.append(",\"upgrades\":[");
    for (qsizetype i = 0; i < handshake.upgrades.size(); ++i) {
        if (i)
            out.append(',');
        Json::writeString(QStringView(handshake.upgrades.at(i)), out);
    }
    out.append("],\"pingInterval\":");
    out.append(QByteArray::number(handshake.pingInterval));
    out.append(",\"pingTimeout\":");
    out.append(QByteArray::number(handshake.pingTimeout));
    out.append(",\"maxPayload\":");
    out.append(QByteArray::number(handshake.maxPayload));
    out.append('}');
    return out;
}

} // namespace Plugboard::EngineIO
