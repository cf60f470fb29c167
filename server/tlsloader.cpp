#include "tlsloader.h"

#include <QtCore/QFile>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>

namespace Plugboard {

namespace {

std::optional<QByteArray> readPem(const QString &path, const char *what, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("TLS %1 %2: cannot read: %3").arg(QLatin1String(what), path, file.errorString());
        return std::nullopt;
    }
    return file.read(1024 * 1024);
}

} // namespace

std::optional<QSslConfiguration> loadTlsConfiguration(const TlsConfig &tls, QString *error)
{
    QString problem;
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!QSslSocket::supportsSsl())
        return fail(QStringLiteral("TLS is not available: no TLS backend (OpenSSL) could be loaded"));
    if (tls.keyFile.isEmpty())
        return fail(QStringLiteral("TLS needs a private key as well as a certificate"));
    const auto certificatePem = readPem(tls.certificateFile, "certificate", &problem);
    if (!certificatePem)
        return fail(problem);
    const auto keyPem = readPem(tls.keyFile, "key", &problem);
    if (!keyPem)
        return fail(problem);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty())
        return fail(QStringLiteral("TLS certificate %1: no PEM certificate in it").arg(tls.certificateFile));
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return fail(QStringLiteral("TLS key %1: no unencrypted PEM private key (RSA, EC or DSA) in it").arg(tls.keyFile));

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

} // namespace Plugboard
