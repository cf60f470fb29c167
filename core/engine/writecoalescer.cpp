#include "writecoalescer.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <utility>

namespace Plugboard {

WriteCoalescer::WriteCoalescer(QObject *parent) : QObject(parent) {}

void WriteCoalescer::schedule(QObject *owner, Flushable *target)
{
    if (std::exchange(target->m_flushScheduled, true))
        return;
    m_pending.append({owner, target});
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &WriteCoalescer::flushAll, Qt::QueuedConnection);
}

void WriteCoalescer::flushAll()
{
    m_scheduled = false;
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &entry : pending) {
        if (!entry.owner)
            continue;
        entry.target->m_flushScheduled = false;
        entry.target->flushNow();
    }
}

WriteCoalescer *WriteCoalescer::forCurrentThread()
{
    thread_local QPointer<WriteCoalescer> coalescer;
    if (!coalescer) {
        QCoreApplication *app = QCoreApplication::instance();
        const bool mainThread = app && app->thread() == QThread::currentThread();
        coalescer = new WriteCoalescer(mainThread ? app : nullptr);
        if (!mainThread)
            QObject::connect(QThread::currentThread(), &QThread::finished, coalescer, &QObject::deleteLater);
    }
    return coalescer;
}

} // namespace Plugboard
