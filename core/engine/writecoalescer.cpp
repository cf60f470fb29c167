#include "writecoalescer.h"

#include "transport.h"

#include <utility>

namespace Plugboard {

WriteCoalescer::WriteCoalescer(QObject *parent) : QObject(parent) {}

void WriteCoalescer::schedule(Transport *transport)
{
    if (std::exchange(transport->m_flushScheduled, true))
        return;
    m_pending.append(transport);
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &WriteCoalescer::flushAll, Qt::QueuedConnection);
}

void WriteCoalescer::flushAll()
{
    m_scheduled = false;
    const auto transports = std::exchange(m_pending, {});
    for (const QPointer<Transport> &transport : transports) {
        if (!transport)
            continue;
        transport->m_flushScheduled = false;
        transport->flushNow();
    }
}

} // namespace Plugboard
