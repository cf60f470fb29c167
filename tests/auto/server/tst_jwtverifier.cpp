#include <jwtverifier.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMessageAuthenticationCode>
#include <QtTest/QTest>

using namespace Plugboard;

namespace {
const QByteArray Secret = "unit-test-secret-0123456789";
constexpr qint64 Now = 1700000000;
constexpr auto B64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encode(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(B64);
}

QByteArray signRaw(const QByteArray &header, const QByteArray &payload)
{
    const QByteArray input = header + '.' + payload;
    return input + '.' + QMessageAuthenticationCode::hash(input, Secret, QCryptographicHash::Sha256).toBase64(B64);
}
} // namespace

class tst_JwtVerifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsAValidToken();
    void refuses_data();
    void refuses();
    void checksIssuerAndAudience();
    void leeway();
};

void tst_JwtVerifier::acceptsAValidToken()
{
    const QJsonObject claims{{QStringLiteral("sub"), QStringLiteral("u1")}, {QStringLiteral("exp"), Now + 60}};
    const JwtVerifier::Result result = JwtVerifier({Secret}).verify(JwtVerifier::sign(claims, Secret), Now);
    QVERIFY2(result.claims, qPrintable(result.error));
    QCOMPARE(*result.claims, claims);
}

void tst_JwtVerifier::refuses_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("error");
    const QByteArray valid = JwtVerifier::sign({{QStringLiteral("sub"), QStringLiteral("u1")}}, Secret);
    const QList<QByteArray> parts = valid.split('.');
    const QByteArray forged = encode({{QStringLiteral("sub"), QStringLiteral("admin")}});

    QTest::newRow("empty") << QByteArray() << "missing token";
    QTest::newRow("two parts") << parts[0] + '.' + parts[1] << "malformed token";
    QTest::newRow("four parts") << valid + ".x" << "malformed token";
    QTest::newRow("header not base64url") << "!!." + parts[1] + '.' + parts[2] << "malformed token header";
    QTest::newRow("header not JSON") << QByteArray("x").toBase64(B64) + '.' + parts[1] + '.' + parts[2]
                                     << "malformed token header";
    QTest::newRow("alg none") << encode({{QStringLiteral("alg"), QStringLiteral("none")}}) + '.' + parts[1] + '.'
                              << "unsupported algorithm (HS256 expected)";
    QTest::newRow("alg hs256 lower case") << encode({{QStringLiteral("alg"), QStringLiteral("hs256")}}) + '.' + parts[1]
                                                 + '.' + parts[2]
                                          << "unsupported algorithm (HS256 expected)";
    QTest::newRow("wrong secret") << JwtVerifier::sign({{QStringLiteral("sub"), QStringLiteral("u1")}}, "other-secret-0123456789")
                                  << "invalid signature";
    QTest::newRow("forged claims") << parts[0] + '.' + forged + '.' + parts[2] << "invalid signature";
    QTest::newRow("empty signature") << parts[0] + '.' + parts[1] + '.' << "invalid signature";
    // The signer's bytes spelled otherwise (found by tests/fuzz/fuzz_jwtverifier): a token is
    // one string (RFC 7515 §2: base64url without padding), as Node's jws compares them.
    QTest::newRow("signature padded") << valid + '=' << "invalid signature";
    QTest::newRow("signature padded twice") << valid + "==" << "invalid signature";
    // 43 characters carry the 256 bits: the last one's 2 low bits are spare.
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray respelled = valid;
    respelled.back() = alphabet.at(alphabet.indexOf(respelled.back()) ^ 1);
    QTest::newRow("signature with spare bits set") << respelled << "invalid signature";
    QTest::newRow("signature in standard base64")
        << parts[0] + '.' + parts[1] + '.' + QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding).toBase64()
        << "invalid signature";
    QTest::newRow("claims not an object")
        << signRaw(encode({{QStringLiteral("alg"), QStringLiteral("HS256")}}), QByteArray("[1]").toBase64(B64))
        << "malformed token claims";
    QTest::newRow("expired") << JwtVerifier::sign({{QStringLiteral("exp"), Now}}, Secret) << "token expired";
    QTest::newRow("exp not a number") << JwtVerifier::sign({{QStringLiteral("exp"), QStringLiteral("soon")}}, Secret)
                                      << "token expired";
    QTest::newRow("not yet valid") << JwtVerifier::sign({{QStringLiteral("nbf"), Now + 1}}, Secret) << "token not valid yet";
    QTest::newRow("too long") << QByteArray(9000, 'a') << "token too long";
}

void tst_JwtVerifier::refuses()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, error);
    const JwtVerifier::Result result = JwtVerifier({Secret}).verify(token, Now);
    QVERIFY(!result.claims);
    QCOMPARE(result.error, error);
}

void tst_JwtVerifier::checksIssuerAndAudience()
{
    const JwtVerifier verifier({Secret, QStringLiteral("issuer"), QStringLiteral("aud")});
    const auto verify = [&](const QJsonObject &claims) { return verifier.verify(JwtVerifier::sign(claims, Secret), Now); };
    QVERIFY(verify({{QStringLiteral("iss"), QStringLiteral("issuer")}, {QStringLiteral("aud"), QStringLiteral("aud")}}).claims);
    QVERIFY(verify({{QStringLiteral("iss"), QStringLiteral("issuer")},
                    {QStringLiteral("aud"), QJsonArray{QStringLiteral("x"), QStringLiteral("aud")}}})
                .claims);
    QCOMPARE(verify({{QStringLiteral("aud"), QStringLiteral("aud")}}).error, QStringLiteral("wrong issuer"));
    QCOMPARE(verify({{QStringLiteral("iss"), QStringLiteral("issuer")}}).error, QStringLiteral("wrong audience"));
}

void tst_JwtVerifier::leeway()
{
    const QByteArray token = JwtVerifier::sign({{QStringLiteral("exp"), Now - 5}, {QStringLiteral("nbf"), Now + 5}}, Secret);
    QVERIFY(!JwtVerifier({Secret}).verify(token, Now).claims);
    QVERIFY(JwtVerifier({Secret, {}, {}, 10}).verify(token, Now).claims);
}

QTEST_GUILESS_MAIN(tst_JwtVerifier)
#include "tst_jwtverifier.moc"
