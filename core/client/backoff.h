#pragma once

#include <plugboard_client_export.h>

#include <QtCore/QtGlobal>

namespace Plugboard::Io {

// The reconnection delays of socket.io-client (its "backo2"): min * 2^attempts, jittered by
// ± randomizationFactor, capped at max.
class PLUGBOARD_CLIENT_EXPORT Backoff
{
public:
    Backoff(int minMs, int maxMs, double jitter) : m_min(minMs), m_max(maxMs), m_jitter(jitter) {}

    // The next delay; random is in [0, 1) and is drawn by the caller (tests pass fixed ones).
    int duration(double random);
    void reset() { m_attempts = 0; }
    int attempts() const { return m_attempts; }
    void setMin(int ms) { m_min = ms; }
    void setMax(int ms) { m_max = ms; }
    void setJitter(double jitter) { m_jitter = jitter; }

private:
    int m_min;
    int m_max;
    double m_jitter;
    int m_attempts = 0;
};

} // namespace Plugboard::Io
