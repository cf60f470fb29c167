#include "constanttime.h"

namespace Plugboard {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

bool matchesAnySecret(QByteArrayView candidate, const QList<QByteArray> &secrets)
{
    bool found = false;
    for (const QByteArray &secret : secrets)
        found |= constantTimeEquals(candidate, secret);
    return found && !candidate.isEmpty();
}

} // namespace Plugboard
