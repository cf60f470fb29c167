#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace Plugboard::Io {

int Backoff::duration(double random)
{
    double ms = double(m_min) * std::pow(2.0, double(m_attempts++));
    if (m_jitter > 0) {
        const double deviation = std::floor(random * m_jitter * ms);
        ms = (int(std::floor(random * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    // Node: Math.min(ms, max) | 0; the cap also keeps 2^attempts from overflowing an int.
    return int(std::max(0.0, std::min(ms, double(m_max))));
}

} // namespace Plugboard::Io
