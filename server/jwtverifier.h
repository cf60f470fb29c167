#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>

namespace Plugboard {

// Verifies JSON Web Tokens signed with HS256 (RFC 7519): the signature, then exp and nbf
// against the clock, then iss and aud when they are configured. Any other algorithm,
// "none" included, is refused.
class JwtVerifier
{
public:
    struct Options
    {
        QByteArray secret;
        QString issuer;
        QString audience;
        int leewaySeconds = 0;
    };
    struct Result
    {
        std::optional<QJsonObject> claims;
        QString error; // when claims is empty: why the token is refused
    };

    explicit JwtVerifier(Options options) : m_options(std::move(options)) {}

    Result verify(QByteArrayView token, qint64 nowSeconds) const;
    Result verify(QByteArrayView token) const;

    // For tests and tools: a signed token for these claims.
    static QByteArray sign(const QJsonObject &claims, const QByteArray &secret);

private:
    Options m_options;
};

} // namespace Plugboard
