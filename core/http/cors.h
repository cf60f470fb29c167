#pragma once

#include <plugboard_core_export.h>

#include "httprequest.h"
#include "httpresponse.h"

#include <QtCore/QList>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>

namespace Plugboard {

// CORS with the semantics of the `cors` npm package that Node's engine.io uses.
struct PLUGBOARD_CORE_EXPORT CorsOptions
{
    enum class OriginMode {
        Any,     // "*": Access-Control-Allow-Origin: *
        Reflect, // true: echo the request's Origin
        Fixed,   // a single string, sent as is
        List,    // strings and patterns; echo the Origin when it matches one
        Disabled // false: no CORS headers at all
    };
    OriginMode mode = OriginMode::Any;
    QString fixedOrigin;
    QStringList allowedOrigins;
    QList<QRegularExpression> originPatterns;
    bool credentials = false;
    QByteArray methods = "GET,HEAD,PUT,PATCH,POST,DELETE";
    QByteArray allowedHeaders; // empty: reflect Access-Control-Request-Headers
    QByteArray exposedHeaders;
    int maxAge = -1; // seconds; -1: no header

    static CorsOptions allowAny() { return {}; }
};

// Headers for an actual (non-preflight) response.
PLUGBOARD_CORE_EXPORT void applyCors(const CorsOptions &options, const HttpRequest &request, HttpResponse &response);
// True for an OPTIONS request; fills a complete 204 preflight answer.
PLUGBOARD_CORE_EXPORT bool isPreflight(const HttpRequest &request);
PLUGBOARD_CORE_EXPORT HttpResponse preflightResponse(const CorsOptions &options, const HttpRequest &request);

} // namespace Plugboard
