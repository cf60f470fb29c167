#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class Transport;

// Flushes sockets once per event-loop pass: everything written to a socket while one batch of
// input is handled (say, a burst of broadcasts) leaves in one system call instead of one each.
class WriteCoalescer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WriteCoalescer)

public:
    explicit WriteCoalescer(QObject *parent = nullptr);

    // The transport has data waiting; it is flushed (once, however often it was scheduled)
    // when control returns to the event loop.
    void schedule(Transport *transport);

private:
    void flushAll();

    QList<QPointer<Transport>> m_pending;
    bool m_scheduled = false;
};

} // namespace Plugboard
