#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

// Something that buffers what it is asked to write and hands it to the kernel in flushNow().
class PLUGBOARD_CORE_EXPORT Flushable
{
public:
    virtual void flushNow() = 0;

protected:
    ~Flushable() = default;

private:
    friend class WriteCoalescer;
    bool m_flushScheduled = false; // already in a coalescer's list
};

// Flushes sockets once per event-loop pass: everything written to a socket while one batch of
// input is handled (say, a burst of broadcasts) leaves in one system call instead of one each.
class PLUGBOARD_CORE_EXPORT WriteCoalescer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WriteCoalescer)

public:
    explicit WriteCoalescer(QObject *parent = nullptr);

    // target (which is owner) has data waiting; it is flushed (once, however often it was
    // scheduled) when control returns to the event loop, unless owner is gone by then.
    void schedule(QObject *owner, Flushable *target);
    template<typename T>
    void schedule(T *target)
    {
        schedule(target, target);
    }

    // This thread's coalescer, for writers that have no server to share one with (clients);
    // made on first use and gone with the application or the thread.
    static WriteCoalescer *forCurrentThread();

private:
    void flushAll();

    struct Pending
    {
        QPointer<QObject> owner;
        Flushable *target;
    };
    QList<Pending> m_pending;
    bool m_scheduled = false;
};

} // namespace Plugboard
