#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

namespace Plugboard {

// Work a graceful shutdown waits for (HTTP API calls waiting for acks, forwarded events
// waiting for the backend), and whether the shutdown has begun.
class DrainTracker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DrainTracker)

public:
    // Held while a piece of work is in flight; release() (or destruction) ends it once.
    class Ticket
    {
    public:
        explicit Ticket(DrainTracker *tracker) : m_tracker(tracker) {}
        ~Ticket() { release(); }
        Ticket(const Ticket &) = delete;
        Ticket &operator=(const Ticket &) = delete;
        void release();

    private:
        QPointer<DrainTracker> m_tracker;
    };

    explicit DrainTracker(QObject *parent = nullptr) : QObject(parent) {}

    std::shared_ptr<Ticket> hold();
    int pending() const { return m_pending; }
    bool isDraining() const { return m_draining; }
    void startDraining();

Q_SIGNALS:
    // Draining, and nothing is pending any more.
    void drained();

private:
    void end();

    int m_pending = 0;
    bool m_draining = false;
};

} // namespace Plugboard
