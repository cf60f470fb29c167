#include "httprequest.h"

namespace Plugboard {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (h.name == name)
            return h.value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (h.name == name)
            return true;
    }
    return false;
}

QString HttpRequest::queryItem(QStringView name) const
{
    for (const auto &item : query) {
        if (item.first == name)
            return item.second.isNull() ? QStringLiteral("") : item.second;
    }
    return {};
}

bool HttpRequest::hasQueryItem(QStringView name) const
{
    for (const auto &item : query) {
        if (item.first == name)
            return true;
    }
    return false;
}

} // namespace Plugboard
