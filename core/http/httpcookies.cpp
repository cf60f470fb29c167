#include "httpcookies.h"

#include <QtCore/QList>

namespace Plugboard::HttpCookies {

std::optional<QByteArray> value(const HttpRequest &request, QByteArrayView name)
{
    for (const HttpHeader &header : request.headers) {
        if (header.name != "cookie")
            continue;
        const QList<QByteArray> pairs = header.value.split(';');
        for (const QByteArray &pair : pairs) {
            const qsizetype equals = pair.indexOf('=');
            if (equals < 0 || QByteArrayView(pair).first(equals).trimmed() != name)
                continue;
            QByteArray raw = pair.sliced(equals + 1).trimmed();
            if (raw.size() >= 2 && raw.startsWith('"') && raw.endsWith('"'))
                raw = raw.sliced(1, raw.size() - 2);
            return QByteArray::fromPercentEncoding(raw);
        }
    }
    return std::nullopt;
}

QByteArray serialize(const SetCookie &cookie)
{
    QByteArray out = cookie.name + '=' + cookie.value.toPercentEncoding();
    if (!cookie.path.isEmpty())
        out += "; Path=" + cookie.path;
    if (cookie.maxAgeSeconds >= 0)
        out += "; Max-Age=" + QByteArray::number(cookie.maxAgeSeconds);
    if (cookie.httpOnly)
        out += "; HttpOnly";
    if (cookie.secure)
        out += "; Secure";
    if (!cookie.sameSite.isEmpty())
        out += "; SameSite=" + cookie.sameSite;
    return out;
}

} // namespace Plugboard::HttpCookies
