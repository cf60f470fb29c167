#include "cors.h"

namespace Plugboard {

namespace {

void addVary(HttpResponse &response, const QByteArray &field)
{
    const QByteArray existing = response.header("Vary");
    if (existing.isEmpty())
        response.setHeader("Vary", field);
    else if (existing != "*" && !existing.contains(field))
        response.setHeader("Vary", existing + ", " + field);
}

bool originAllowed(const CorsOptions &options, const QString &origin)
{
    if (options.allowedOrigins.contains(origin))
        return true;
    for (const QRegularExpression &pattern : options.originPatterns) {
        if (pattern.match(origin).hasMatch())
            return true;
    }
    return false;
}

void applyOrigin(const CorsOptions &options, const HttpRequest &request, HttpResponse &response)
{
    const QByteArray origin = request.header("origin");
    switch (options.mode) {
    case CorsOptions::OriginMode::Any:
        response.setHeader("Access-Control-Allow-Origin", "*");
        break;
    case CorsOptions::OriginMode::Fixed:
        response.setHeader("Access-Control-Allow-Origin", options.fixedOrigin.toUtf8());
        addVary(response, "Origin");
        break;
    case CorsOptions::OriginMode::Reflect:
        if (!origin.isEmpty())
            response.setHeader("Access-Control-Allow-Origin", origin);
        addVary(response, "Origin");
        break;
    case CorsOptions::OriginMode::List:
        if (!origin.isEmpty() && originAllowed(options, QString::fromUtf8(origin)))
            response.setHeader("Access-Control-Allow-Origin", origin);
        addVary(response, "Origin");
        break;
    case CorsOptions::OriginMode::Disabled:
        break;
    }
    if (options.credentials)
        response.setHeader("Access-Control-Allow-Credentials", "true");
}

} // namespace

void applyCors(const CorsOptions &options, const HttpRequest &request, HttpResponse &response)
{
    if (options.mode == CorsOptions::OriginMode::Disabled)
        return;
    applyOrigin(options, request, response);
    if (!options.exposedHeaders.isEmpty())
        response.setHeader("Access-Control-Expose-Headers", options.exposedHeaders);
}

bool isPreflight(const HttpRequest &request)
{
    return request.method == "OPTIONS";
}

HttpResponse preflightResponse(const CorsOptions &options, const HttpRequest &request)
{
    HttpResponse response;
    response.status = 204;
    if (options.mode == CorsOptions::OriginMode::Disabled)
        return response;
    applyOrigin(options, request, response);
    response.setHeader("Access-Control-Allow-Methods", options.methods);
    if (!options.allowedHeaders.isEmpty()) {
        response.setHeader("Access-Control-Allow-Headers", options.allowedHeaders);
    } else {
        const QByteArray requested = request.header("access-control-request-headers");
        if (!requested.isEmpty())
            response.setHeader("Access-Control-Allow-Headers", requested);
        addVary(response, "Access-Control-Request-Headers");
    }
    if (!options.exposedHeaders.isEmpty())
        response.setHeader("Access-Control-Expose-Headers", options.exposedHeaders);
    if (options.maxAge >= 0)
        response.setHeader("Access-Control-Max-Age", QByteArray::number(options.maxAge));
    response.setHeader("Content-Length", "0");
    return response;
}

} // namespace Plugboard
