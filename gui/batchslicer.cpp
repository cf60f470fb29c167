#include "batchslicer.h"

namespace Plugboard {

namespace {

// Appends `items` to the slices, at most `room` items per slice, through the member `field`.
template<typename List>
void spread(QList<MonitorBatch> &slices, qsizetype &used, int maxItems, const List &items, List MonitorBatch::*field)
{
    for (qsizetype start = 0; start < items.size();) {
        if (slices.isEmpty() || used >= maxItems) {
            slices.append(MonitorBatch{});
            used = 0;
        }
        const qsizetype take = qMin(items.size() - start, qsizetype(maxItems) - used);
        (slices.last().*field).append(items.mid(start, take));
        used += take;
        start += take;
    }
}

} // namespace

QList<MonitorBatch> sliceBatch(const MonitorBatch &batch, int maxItems)
{
    const qsizetype total = batch.socketsRemoved.size() + batch.socketsAdded.size() + batch.roomsRemoved.size() +
                            batch.roomsChanged.size() + batch.events.size();
    if (batch.isSnapshot || maxItems <= 0 || total <= maxItems)
        return {batch};
    QList<MonitorBatch> slices;
    qsizetype used = 0;
    spread(slices, used, maxItems, batch.socketsRemoved, &MonitorBatch::socketsRemoved);
    spread(slices, used, maxItems, batch.socketsAdded, &MonitorBatch::socketsAdded);
    spread(slices, used, maxItems, batch.roomsRemoved, &MonitorBatch::roomsRemoved);
    spread(slices, used, maxItems, batch.roomsChanged, &MonitorBatch::roomsChanged);
    spread(slices, used, maxItems, batch.events, &MonitorBatch::events);
    MonitorBatch &last = slices.last();
    last.namespaces = batch.namespaces;
    last.stats = batch.stats;
    last.eventsDropped = batch.eventsDropped;
    return slices;
}

} // namespace Plugboard
