#include "statshistory.h"

namespace Plugboard {

namespace {

double rate(quint64 now, quint64 before, double seconds)
{
    return now >= before ? double(now - before) / seconds : 0.0;
}

} // namespace

StatsHistory::StatsHistory(QObject *parent) : QObject(parent) {}

void StatsHistory::setCapacity(int capacity)
{
    m_capacity = qMax(2, capacity);
    while (m_samples.size() > size_t(m_capacity))
        m_samples.pop_front();
}

void StatsHistory::add(const ServerStats &stats)
{
    m_latest = stats;
    Q_EMIT statsUpdated(stats);
    // A restarted server starts its counters again from zero.
    if (!m_hasBase || stats.startedAt != m_base.startedAt || stats.eventsIn < m_base.eventsIn) {
        m_base = stats;
        m_hasBase = true;
        return;
    }
    const qint64 elapsedMs = m_base.sampledAt.msecsTo(stats.sampledAt);
    if (elapsedMs < m_periodMs)
        return;
    const double seconds = double(elapsedMs) / 1000.0;
    Sample sample;
    sample.time = stats.sampledAt;
    sample.clients = stats.clients;
    sample.sockets = stats.sockets;
    sample.eventsInPerSecond = rate(stats.eventsIn, m_base.eventsIn, seconds);
    sample.eventsOutPerSecond = rate(stats.eventsOut, m_base.eventsOut, seconds);
    sample.bytesInPerSecond = rate(stats.bytesIn, m_base.bytesIn, seconds);
    sample.bytesOutPerSecond = rate(stats.bytesOut, m_base.bytesOut, seconds);
    sample.residentBytes = stats.residentBytes;
    m_base = stats;
    m_samples.push_back(sample);
    while (m_samples.size() > size_t(m_capacity))
        m_samples.pop_front();
    Q_EMIT sampleAdded(sample);
}

void StatsHistory::clear()
{
    m_samples.clear();
    m_latest = {};
    m_base = {};
    m_hasBase = false;
    Q_EMIT cleared();
}

} // namespace Plugboard
