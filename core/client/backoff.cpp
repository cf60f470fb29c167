#include "backoff.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Plugboard::Io {

int Backoff::duration(double random)
{
    // 2^60 keeps every result Node's (any deviation still leaves it above max) without
    // reaching infinity, where jitter would make NaN.
    const int exponent = std::min(m_attempts, 60);
    if (m_attempts < std::numeric_limits<int>::max())
        ++m_attempts;
    double ms = double(m_min) * std::pow(2.0, double(exponent));
    if (m_jitter > 0) {
        const double deviation = std::floor(random * m_jitter * ms);
        ms = (int(std::floor(random * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    // Node: Math.min(ms, max) | 0.
    return int(std::max(0.0, std::min(ms, double(m_max))));
}

} // namespace Plugboard::Io
