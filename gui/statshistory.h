#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QObject>

#include <deque>

namespace Plugboard {

// Turns the monitor's cumulative counters into per-second samples for the dashboard: one
// sample per `periodMs` of server time, the last `capacity` kept (10 minutes by default).
class StatsHistory : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatsHistory)

public:
    struct Sample
    {
        QDateTime time;
        int clients = 0;
        int sockets = 0;
        double eventsInPerSecond = 0;
        double eventsOutPerSecond = 0;
        double bytesInPerSecond = 0;
        double bytesOutPerSecond = 0;
        qint64 residentBytes = 0;
    };

    explicit StatsHistory(QObject *parent = nullptr);

    void setPeriod(int periodMs) { m_periodMs = periodMs; }
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }

    void add(const ServerStats &stats);
    void clear();
    const std::deque<Sample> &samples() const { return m_samples; }
    const ServerStats &latest() const { return m_latest; }

Q_SIGNALS:
    void statsUpdated(const Plugboard::ServerStats &stats);
    void sampleAdded(const Plugboard::StatsHistory::Sample &sample);
    void cleared();

private:
    std::deque<Sample> m_samples;
    ServerStats m_latest;
    ServerStats m_base; // counters at the start of the current period
    bool m_hasBase = false;
    int m_periodMs = 1000;
    int m_capacity = 600;
};

} // namespace Plugboard
