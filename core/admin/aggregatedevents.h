#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QCborArray>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Plugboard {

// server_stats' aggregatedEvents: counts keyed by (second, type, subType), taken and cleared
// at each emission. Bounded: past maxEntries new keys are dropped (counted in dropped()).
class PLUGBOARD_CORE_EXPORT AggregatedEvents
{
public:
    explicit AggregatedEvents(qsizetype maxEntries = 4096) : m_maxEntries(maxEntries) {}

    void add(qint64 epochMs, const QString &type, qint64 count, const QString &subType = {});
    // [{timestamp, type, [subType], count}] in the order the keys first appeared.
    QCborArray take();
    qsizetype size() const { return m_entries.size(); }
    quint64 dropped() const { return m_dropped; }

private:
    struct Entry
    {
        qint64 second;
        QString type;
        QString subType;
        qint64 count;
    };
    QList<Entry> m_entries;
    qsizetype m_maxEntries;
    quint64 m_dropped = 0;
};

} // namespace Plugboard
