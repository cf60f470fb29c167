#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QList>

namespace Plugboard {

// Compares secrets in a time that depends only on their lengths, not on where they differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
// True if `candidate` equals one of `secrets`; every secret is compared.
bool matchesAnySecret(QByteArrayView candidate, const QList<QByteArray> &secrets);

} // namespace Plugboard
