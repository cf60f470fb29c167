#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArrayView>
#include <QtCore/QList>

namespace Plugboard {

// Compares secrets in a time that depends only on their lengths, not on where they differ.
PLUGBOARD_CORE_EXPORT bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
// True if `candidate` equals one of `secrets`; every secret is compared.
PLUGBOARD_CORE_EXPORT bool matchesAnySecret(QByteArrayView candidate, const QList<QByteArray> &secrets);

} // namespace Plugboard
