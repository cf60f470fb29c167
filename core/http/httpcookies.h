#pragma once

#include <plugboard_core_export.h>

#include "httprequest.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <optional>

namespace Plugboard::HttpCookies {

// The value of a cookie the request carries (its Cookie headers, "a=1; b=2"), percent-decoded
// as Node's `cookie` package does; std::nullopt when the request has no such cookie.
PLUGBOARD_CORE_EXPORT std::optional<QByteArray> value(const HttpRequest &request, QByteArrayView name);

struct PLUGBOARD_CORE_EXPORT SetCookie
{
    QByteArray name;
    QByteArray value; // percent-encoded on the way out
    QByteArray path = QByteArrayLiteral("/");
    int maxAgeSeconds = -1; // < 0: a session cookie
    bool httpOnly = true;
    bool secure = false;
    QByteArray sameSite = QByteArrayLiteral("Lax"); // empty: no attribute
};

// The Set-Cookie header value.
PLUGBOARD_CORE_EXPORT QByteArray serialize(const SetCookie &cookie);

} // namespace Plugboard::HttpCookies
