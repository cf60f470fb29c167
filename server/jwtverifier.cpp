#include "jwtverifier.h"

#include <constanttime.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMessageAuthenticationCode>

namespace Plugboard {

namespace {

constexpr qsizetype MaxTokenBytes = 8192;
constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

std::optional<QByteArray> decodePart(QByteArrayView part)
{
    const auto decoded = QByteArray::fromBase64Encoding(part.toByteArray(),
                                                        Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

std::optional<QJsonObject> decodeObject(QByteArrayView part)
{
    const std::optional<QByteArray> json = decodePart(part);
    if (!json)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QByteArray signature(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret, QCryptographicHash::Sha256);
}

JwtVerifier::Result refuse(const QString &why)
{
    return {std::nullopt, why};
}

} // namespace

JwtVerifier::Result JwtVerifier::verify(QByteArrayView token) const
{
    return verify(token, QDateTime::currentSecsSinceEpoch());
}

JwtVerifier::Result JwtVerifier::verify(QByteArrayView token, qint64 now) const
{
    if (token.isEmpty())
        return refuse(QStringLiteral("missing token"));
    if (token.size() > MaxTokenBytes)
        return refuse(QStringLiteral("token too long"));
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0)
        return refuse(QStringLiteral("malformed token"));

    const std::optional<QJsonObject> header = decodeObject(token.first(firstDot));
    if (!header)
        return refuse(QStringLiteral("malformed token header"));
    if (header->value(u"alg").toString() != QLatin1String("HS256"))
        return refuse(QStringLiteral("unsupported algorithm (HS256 expected)"));

    // The signature as the signer spelled it, not its bytes: base64url decoding also takes
    // padding and stray low bits of the last character (RFC 7515 §2 allows neither), and a
    // token is one string, as for Node's jws, which compares the encoded signatures.
    const QByteArray expected = signature(token.first(secondDot), m_options.secret).toBase64(Base64Url);
    if (!constantTimeEquals(token.sliced(secondDot + 1), expected))
        return refuse(QStringLiteral("invalid signature"));

    const std::optional<QJsonObject> claims = decodeObject(token.sliced(firstDot + 1, secondDot - firstDot - 1));
    if (!claims)
        return refuse(QStringLiteral("malformed token claims"));
    const QJsonValue exp = claims->value(u"exp");
    if (!exp.isUndefined() && (!exp.isDouble() || now >= exp.toDouble() + m_options.leewaySeconds))
        return refuse(QStringLiteral("token expired"));
    const QJsonValue nbf = claims->value(u"nbf");
    if (!nbf.isUndefined() && (!nbf.isDouble() || now < nbf.toDouble() - m_options.leewaySeconds))
        return refuse(QStringLiteral("token not valid yet"));
    if (!m_options.issuer.isEmpty() && claims->value(u"iss").toString() != m_options.issuer)
        return refuse(QStringLiteral("wrong issuer"));
    if (!m_options.audience.isEmpty()) {
        const QJsonValue aud = claims->value(u"aud");
        const bool listed = aud.isArray() ? aud.toArray().contains(QJsonValue(m_options.audience))
                                          : aud.toString() == m_options.audience;
        if (!listed)
            return refuse(QStringLiteral("wrong audience"));
    }
    return {claims, {}};
}

QByteArray JwtVerifier::sign(const QJsonObject &claims, const QByteArray &secret)
{
    const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(Base64Url);
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    const QByteArray input = header + '.' + payload;
    return input + '.' + signature(input, secret).toBase64(Base64Url);
}

} // namespace Plugboard
