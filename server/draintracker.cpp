#include "draintracker.h"

namespace Plugboard {

void DrainTracker::Ticket::release()
{
    if (DrainTracker *tracker = m_tracker.data()) {
        m_tracker = nullptr;
        tracker->end();
    }
}

std::shared_ptr<DrainTracker::Ticket> DrainTracker::hold()
{
    ++m_pending;
    return std::make_shared<Ticket>(this);
}

void DrainTracker::end()
{
    --m_pending;
    if (m_draining && m_pending == 0)
        Q_EMIT drained();
}

void DrainTracker::startDraining()
{
    if (m_draining)
        return;
    m_draining = true;
    if (m_pending == 0)
        Q_EMIT drained();
}

} // namespace Plugboard
