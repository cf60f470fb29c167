#pragma once

#include <engine/enginemiddleware.h>

#include <QtCore/QByteArray>

namespace Plugboard::Examples {

struct SecurityHeadersOptions
{
    // helmet's default policy; empty leaves the header out.
    QByteArray contentSecurityPolicy = QByteArrayLiteral(
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';"
        "frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';"
        "script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests");
    // Strict-Transport-Security, in seconds; 0 leaves the header out.
    int hstsMaxAgeSeconds = 365 * 24 * 3600;
};

// helmet for Engine.IO requests: the headers helmet 7 sets by default, on every response.
EngineMiddleware securityHeaders(SecurityHeadersOptions options = {});

} // namespace Plugboard::Examples
