#include "aggregatedevents.h"

#include <QtCore/QCborMap>

namespace Plugboard {

void AggregatedEvents::add(qint64 epochMs, const QString &type, qint64 count, const QString &subType)
{
    if (count <= 0)
        return;
    const qint64 second = epochMs - epochMs % 1000;
    // Few keys live at once (a window of two seconds): a scan from the end finds them fast.
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        if (it->second == second && it->type == type && it->subType == subType) {
            it->count += count;
            return;
        }
        if (it->second < second)
            break;
    }
    if (m_entries.size() >= m_maxEntries) {
        ++m_dropped;
        return;
    }
    m_entries.append({second, type, subType, count});
}

QCborArray AggregatedEvents::take()
{
    QCborArray out;
    for (const Entry &entry : std::as_const(m_entries)) {
        QCborMap map;
        map.insert(QStringLiteral("timestamp"), entry.second);
        map.insert(QStringLiteral("type"), entry.type);
        if (!entry.subType.isEmpty())
            map.insert(QStringLiteral("subType"), entry.subType);
        map.insert(QStringLiteral("count"), entry.count);
        out.append(map);
    }
    m_entries.clear();
    return out;
}

} // namespace Plugboard
