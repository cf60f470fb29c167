#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Plugboard {

// The admin UI's login sessions (Node's InMemoryStore), bounded in number and in time: a
// session id found here stands for a successful basic-auth login.
class PLUGBOARD_CORE_EXPORT AdminSessions
{
public:
    AdminSessions(qint64 durationMs, qsizetype maxSessions) : m_durationMs(durationMs), m_max(maxSessions) {}

    // A new random id (16 hex characters); the oldest session goes when the store is full.
    QString create(qint64 nowMs);
    bool isValid(const QString &id, qint64 nowMs);
    qsizetype size() const { return m_expiry.size(); }

private:
    qint64 m_durationMs;
    qsizetype m_max;
    QHash<QString, qint64> m_expiry;
    QList<QString> m_order; // oldest first
};

} // namespace Plugboard
