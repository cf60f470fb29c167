#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QList>

namespace Plugboard {

// Splits a monitor batch into slices of at most maxItems changes each, so that a burst (ten
// thousand sockets joining a room, disconnecting at once) is applied over several passes of the
// GUI event loop instead of one long one. Applying the slices in order has the same effect as
// applying the batch: socket removals, socket changes, room removals, room changes, events;
// the namespaces, stats and dropped-event count ride on the last slice. A snapshot is never
// split (it replaces the models).
QList<MonitorBatch> sliceBatch(const MonitorBatch &batch, int maxItems);

} // namespace Plugboard
