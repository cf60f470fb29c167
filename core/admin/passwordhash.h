#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace Plugboard::PasswordHash {

// bcrypt reads no further; longer passwords are refused, never cut.
constexpr qsizetype MaxPasswordBytes = 72;

// bcrypt through libxcrypt's crypt_r: the hashes of Node's bcryptjs and of the bcrypt module
// ($2a$, $2b$ and $2y$, cost 4 to 31) verify.

// True for a well-formed bcrypt hash: prefix, two-digit cost in range, 53 characters of
// bcrypt's base64. A plain-text password is refused here rather than never matching later.
bool isBcrypt(const QByteArray &hash, QString *error = nullptr);
bool verify(const QByteArray &password, const QByteArray &hash);
// A new $2b$ hash with a random salt; empty if the system's random source failed.
QByteArray hash(const QByteArray &password, int cost = 10);

} // namespace Plugboard::PasswordHash
