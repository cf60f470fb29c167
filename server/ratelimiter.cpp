#include "ratelimiter.h"

namespace Plugboard {

int RateLimiter::limitFor(const QString &event) const
{
    return m_config.perEvent.value(event, m_config.maxEvents);
}

RateLimiter::Verdict RateLimiter::check(const QString &event, qint64 nowMs)
{
    const int limit = limitFor(event);
    if (limit <= 0)
        return Verdict::Allowed;
    if (m_windowStart < 0 || nowMs - m_windowStart >= m_config.windowMs) {
        m_windowStart = nowMs;
        m_counts.clear();
    }
    auto it = m_counts.find(event);
    if (it == m_counts.end()) {
        if (m_counts.size() >= MaxTrackedEvents)
            return refuse();
        it = m_counts.insert(event, 0);
    }
    if (*it >= limit)
        return refuse();
    ++*it;
    return Verdict::Allowed;
}

RateLimiter::Verdict RateLimiter::refuse()
{
    ++m_refusals;
    if (m_config.disconnectAfter > 0 && m_refusals >= m_config.disconnectAfter)
        return Verdict::Disconnect;
    return Verdict::Refused;
}

} // namespace Plugboard
