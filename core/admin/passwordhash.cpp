#include "passwordhash.h"

#include "../constanttime.h"

#include <crypt.h>

#include <memory>

namespace Plugboard::PasswordHash {

namespace {

constexpr qsizetype BcryptLength = 60;

bool isBcryptBase64(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

} // namespace

bool isBcrypt(const QByteArray &hash, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (hash.size() != BcryptLength || hash.at(0) != '$' || hash.at(1) != '2' || hash.at(3) != '$' || hash.at(6) != '$')
        return fail(QStringLiteral("not a bcrypt hash (expected $2b$NN$ and 53 more characters; "
                                   "plugboard --hash-password makes one)"));
    if (hash.at(2) != 'a' && hash.at(2) != 'b' && hash.at(2) != 'y')
        return fail(QStringLiteral("unknown bcrypt variant $2%1$").arg(QLatin1Char(hash.at(2))));
    bool ok = false;
    const int cost = hash.mid(4, 2).toInt(&ok);
    if (!ok || cost < 4 || cost > 31)
        return fail(QStringLiteral("bcrypt cost must be 04 to 31"));
    for (qsizetype i = 7; i < hash.size(); ++i) {
        if (!isBcryptBase64(hash.at(i)))
            return fail(QStringLiteral("bcrypt hash has a character outside its alphabet"));
    }
    return true;
}

bool verify(const QByteArray &password, const QByteArray &hash)
{
    if (!isBcrypt(hash))
        return false;
    // bcrypt reads at most 72 bytes and stops at a NUL; refuse passwords that would be cut
    // (bcryptjs cuts them: a longer password would match on its first 72 bytes alone).
    if (password.contains('\0') || password.size() > MaxPasswordBytes)
        return false;
    auto data = std::make_unique<crypt_data>();
    const char *result = crypt_r(password.constData(), hash.constData(), data.get());
    if (!result || result[0] == '*')
        return false;
    return constantTimeEquals(QByteArrayView(result), QByteArrayView(hash));
}

QByteArray hash(const QByteArray &password, int cost)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", cost, nullptr, 0, salt, sizeof salt))
        return {};
    auto data = std::make_unique<crypt_data>();
    const char *result = crypt_r(password.constData(), salt, data.get());
    if (!result || result[0] == '*')
        return {};
    return QByteArray(result);
}

} // namespace Plugboard::PasswordHash
