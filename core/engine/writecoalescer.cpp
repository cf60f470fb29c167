#include "writecoalescer.h"

#include "transport.h"

namespace Plugboard {

WriteCoalescer::WriteCoalescer(QObject *parent) : QObject(parent) {}

void WriteCoalescer::schedule(Transport *transport)
{
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
        if (transport)
            transport->flushNow();
    }
}

} // namespace Plugboard
