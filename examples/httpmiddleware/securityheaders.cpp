#include "securityheaders.h"

namespace Plugboard::Examples {

EngineMiddleware securityHeaders(SecurityHeadersOptions options)
{
    QList<HttpHeader> headers;
    const auto add = [&headers](QByteArray name, QByteArray value) {
        headers.append(HttpHeader{std::move(name), std::move(value)});
    };
    if (!options.contentSecurityPolicy.isEmpty())
        add("Content-Security-Policy", options.contentSecurityPolicy);
    add("Cross-Origin-Opener-Policy", "same-origin");
    add("Cross-Origin-Resource-Policy", "same-origin");
    add("Origin-Agent-Cluster", "?1");
    add("Referrer-Policy", "no-referrer");
    if (options.hstsMaxAgeSeconds > 0) {
        add("Strict-Transport-Security",
                        "max-age=" + QByteArray::number(options.hstsMaxAgeSeconds) + "; includeSubDomains");
    }
    add("X-Content-Type-Options", "nosniff");
    add("X-DNS-Prefetch-Control", "off");
    add("X-Download-Options", "noopen");
    add("X-Frame-Options", "SAMEORIGIN");
    add("X-Permitted-Cross-Domain-Policies", "none");
    add("X-XSS-Protection", "0");
    return [headers](HttpRequest &, HttpResponse &response, const EngineNext &next) {
        for (const HttpHeader &header : headers)
            response.setHeader(header.name, header.value);
        next(std::nullopt);
    };
}

} // namespace Plugboard::Examples
