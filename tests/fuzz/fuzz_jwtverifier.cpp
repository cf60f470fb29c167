// JSON Web Tokens as the hub's jwt auth reads them from clients (RFC 7519, JWS RFC 7515 with
// HS256 only). Bytes as a token never verify. A token signed with the key over fuzzed header and
// claims verifies exactly when the header's alg is "HS256" and exp and nbf allow it now, and
// then its claims are those signed; its signature spelled any other way than the signer's
// base64url never verifies.
#include "fuzzcheck.h"

#include <jwtverifier.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QList>
#include <QtCore/QMessageAuthenticationCode>

using namespace Plugboard;

namespace {

const QByteArray Secret = "fuzz-secret-0123456789abcdef";
constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

std::optional<QJsonObject> objectOf(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qint64 now = 1700000000 + qint8(data[0]);
    const int leeway = data[1] % 4;
    JwtVerifier verifier({Secret, {}, {}, leeway});
    // The token as sent, the header's JSON and the claims' JSON, a line each.
    const QList<QByteArray> lines = QByteArray(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2)).split('\n');

    // Under a key nobody signs with (the seeds' tokens are signed with Secret).
    const JwtVerifier::Result random = JwtVerifier({"unused-secret-0123456789", {}, {}, leeway}).verify(lines.at(0), now);
    FUZZ_CHECK(!random.claims && !random.error.isEmpty());
    if (lines.size() < 3)
        return 0;

    const QByteArray &headerJson = lines.at(1);
    const QByteArray &claimsJson = lines.at(2);
    const QByteArray input = headerJson.toBase64(Base64Url) + '.' + claimsJson.toBase64(Base64Url);
    const QByteArray mac = QMessageAuthenticationCode::hash(input, Secret, QCryptographicHash::Sha256);
    const QByteArray signature = mac.toBase64(Base64Url);
    const QByteArray token = input + '.' + signature;
    const JwtVerifier::Result signedResult = verifier.verify(token, now);

    const std::optional<QJsonObject> header = objectOf(headerJson);
    const std::optional<QJsonObject> claims = objectOf(claimsJson);
    bool expected = token.size() <= 8192 && header && header->value(u"alg") == QJsonValue(QStringLiteral("HS256")) && claims;
    if (expected) {
        // RFC 7519 §4.1.4, §4.1.5: refused on or after exp, and before nbf (each within the leeway).
        const QJsonValue exp = claims->value(u"exp");
        const QJsonValue nbf = claims->value(u"nbf");
        if (!exp.isUndefined() && !(exp.isDouble() && double(now) < exp.toDouble() + leeway))
            expected = false;
        if (!nbf.isUndefined() && !(nbf.isDouble() && double(now) >= nbf.toDouble() - leeway))
            expected = false;
    }
    FUZZ_CHECK(bool(signedResult.claims) == expected);
    FUZZ_CHECK(expected || !signedResult.error.isEmpty());
    if (signedResult.claims)
        FUZZ_CHECK(*signedResult.claims == *claims);
    if (!expected)
        return 0;

    // The same signature bytes spelled otherwise: padded, or the unused low bits of the last
    // character set (43 characters carry 256 bits; the last one's 2 low bits are spare).
    static const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray respelled = signature;
    const qsizetype last = alphabet.indexOf(signature.back());
    respelled.back() = alphabet.at((last & ~3) | (data[1] >> 2 & 3));
    const QList<QByteArray> variants{signature + '=', signature + "==", respelled, mac.toBase64()};
    for (const QByteArray &variant : variants) {
        if (variant != signature)
            FUZZ_CHECK(!verifier.verify(QByteArray(input + '.' + variant), now).claims);
    }
    return 0;
}
