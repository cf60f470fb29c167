#pragma once

#include <plugboard_core_export.h>

#include "httprequest.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

namespace Plugboard {

struct PLUGBOARD_CORE_EXPORT HttpResponse
{
    int status = 200;
    QList<HttpHeader> headers; // names as they should be written
    QByteArray body;

    HttpResponse &setHeader(QByteArray name, QByteArray value);
    QByteArray header(QByteArrayView name) const; // case-insensitive lookup
    // A JSON body with its Content-Type.
    static HttpResponse json(int status, QByteArray body);
    static HttpResponse text(int status, QByteArray body,
                             QByteArray contentType = QByteArrayLiteral("text/plain; charset=UTF-8"));
};

PLUGBOARD_CORE_EXPORT const char *reasonPhrase(int status);

// The full wire form: status line, headers, Content-Length, Connection, body (for 1xx only
// the status line and the headers). Headers containing a line break are left out.
PLUGBOARD_CORE_EXPORT QByteArray serializeResponse(const HttpResponse &response, bool keepAlive);

} // namespace Plugboard
