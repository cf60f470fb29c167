#pragma once

#include "serviceconfig.h"

#include <QtCore/QHash>
#include <QtCore/QString>

namespace Plugboard {

// Counts one socket's events per name in fixed windows. Memory stays bounded: the counters
// are dropped at each new window, and a window holds at most MaxTrackedEvents names.
class RateLimiter
{
public:
    enum class Verdict {
        Allowed,
        Refused,   // over the limit
        Disconnect // over the limit once too often
    };
    static constexpr int MaxTrackedEvents = 256;

    explicit RateLimiter(const RateLimitConfig &config) : m_config(config) {}

    Verdict check(const QString &event, qint64 nowMs);
    int limitFor(const QString &event) const;
    int refusals() const { return m_refusals; }

private:
    Verdict refuse();

    RateLimitConfig m_config;
    qint64 m_windowStart = -1;
    QHash<QString, int> m_counts;
    int m_refusals = 0;
};

} // namespace Plugboard
