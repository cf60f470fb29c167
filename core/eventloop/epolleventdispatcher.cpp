#include "epolleventdispatcher.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEventDispatcher, "plugboard.eventloop")

namespace Plugboard {

namespace {

constexpr int MaxEventsPerPass = 512;

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

quint64 packed(int fd, quint32 generation)
{
    return (quint64(generation) << 32) | quint32(fd);
}

qint64 effectiveInterval(qint64 interval, Qt::TimerType type)
{
    if (type == Qt::VeryCoarseTimer)
        return (interval + 500) / 1000 * 1000;
    return interval;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeFd < 0) {
        qCWarning(lcEventDispatcher, "epoll/eventfd unavailable: %s", std::strerror(errno));
        return;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = packed(m_wakeFd, 0);
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        close(m_wakeFd);
    if (m_epoll >= 0)
        close(m_epoll);
}

QSocketNotifier *&EpollEventDispatcher::slot(Watch &watch, int type)
{
    switch (type) {
    case QSocketNotifier::Write:
        return watch.write;
    case QSocketNotifier::Exception:
        return watch.exception;
    default:
        return watch.read;
    }
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    Watch &watch = m_watches[fd];
    QSocketNotifier *&current = slot(watch, notifier->type());
    if (current && current != notifier)
        qCWarning(lcEventDispatcher, "several socket notifiers of one type for socket %d", fd);
    current = notifier;
    markDirty(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    QSocketNotifier *&current = slot(it->second, notifier->type());
    if (current != notifier)
        return;
    current = nullptr;
    if (wantedEvents(it->second) == 0)
        it->second.emptied = true;
    markDirty(fd, it->second);
}

quint32 EpollEventDispatcher::wantedEvents(const Watch &watch)
{
    return (watch.read ? quint32(EPOLLIN | EPOLLRDHUP) : 0u) | (watch.write ? quint32(EPOLLOUT) : 0u) |
           (watch.exception ? quint32(EPOLLPRI) : 0u);
}

void EpollEventDispatcher::markDirty(int fd, Watch &watch)
{
    if (!watch.dirty) {
        watch.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::applyChanges()
{
    for (const int fd : m_dirty)
        applyChange(fd);
    m_dirty.clear();
}

void EpollEventDispatcher::applyChange(int fd)
{
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    watch.dirty = false;
    const quint32 events = wantedEvents(watch);
    if (events == 0 || (watch.emptied && watch.inEpoll)) {
        // Gone, or gone and back: the descriptor may have been closed and reused meanwhile.
        if (watch.inEpoll)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr); // fails if already closed: fine
        watch.inEpoll = false;
        if (watch.alwaysReady) {
            watch.alwaysReady = false;
            --m_alwaysReady;
        }
        if (events == 0) {
            m_watches.erase(it);
            return;
        }
    }
    watch.emptied = false;
    if (watch.alwaysReady || (watch.inEpoll && events == watch.events)) {
        watch.events = events;
        return;
    }
    epoll_event event{};
    event.events = events;
    if (watch.inEpoll) {
        event.data.u64 = packed(fd, watch.generation);
        if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) == 0) {
            watch.events = events;
            return;
        }
        watch.inEpoll = false; // closed and reused without unregistering: add it afresh
    }
    watch.generation = ++m_generation;
    event.data.u64 = packed(fd, watch.generation);
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) == 0) {
        watch.inEpoll = true;
    } else if (errno == EPERM) {
        watch.alwaysReady = true; // a regular file: always readable and writable
        ++m_alwaysReady;
    } else {
        qCWarning(lcEventDispatcher, "cannot watch socket %d: %s", fd, std::strerror(errno));
    }
    watch.events = events;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    if (timerId <= 0 || !object)
        return;
    const auto existing = m_timers.find(timerId);
    if (existing != m_timers.end())
        eraseTimer(existing);
    Timer timer;
    timer.interval = effectiveInterval(qMax<qint64>(0, interval), timerType);
    timer.type = timerType;
    timer.object = object;
    timer.deadline = nowNs() + timer.interval * 1000000;
    m_timers.insert(timerId, timer);
    m_deadlines.insert({timer.deadline, timerId});
}

void EpollEventDispatcher::eraseTimer(QHash<int, Timer>::iterator it)
{
    m_deadlines.erase({it->deadline, it.key()});
    m_timers.erase(it);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    eraseTimer(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_deadlines.erase({it->deadline, it.key()});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            timers.append(TimerInfo(it.key(), int(it->interval), it->type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(qMax<qint64>(0, (it->deadline - nowNs() + 999999) / 1000000));
}

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    // EAGAIN only when the counter is saturated, which is as awake as it gets.
    [[maybe_unused]] const ssize_t written = write(m_wakeFd, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 count = 0;
    [[maybe_unused]] const ssize_t read = ::read(m_wakeFd, &count, sizeof count);
}

int EpollEventDispatcher::waitMsecs() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 ns = m_deadlines.begin()->first - nowNs();
    if (ns <= 0)
        return 0;
    return int(qMin<qint64>((ns + 999999) / 1000000, 24 * 3600 * 1000));
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (mayWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    applyChanges();
    int timeout = 0;
    if (mayWait && !(includeNotifiers && m_alwaysReady > 0))
        timeout = includeTimers ? waitMsecs() : -1;

    epoll_event events[MaxEventsPerPass];
    int ready = 0;
    if (includeNotifiers) {
        ready = epoll_wait(m_epoll, events, MaxEventsPerPass, timeout);
    } else {
        // Only a wake-up may end the wait: sockets stay unwatched for this pass.
        pollfd wake{m_wakeFd, POLLIN, 0};
        if (poll(&wake, 1, timeout) > 0)
            drainWakeUps();
    }
    if (ready < 0)
        ready = 0; // EINTR

    int handled = 0;
    if (includeNotifiers)
        handled += activateNotifiers(events, ready);
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::activateNotifiers(const epoll_event *events, int count)
{
    int handled = 0;
    for (int i = 0; i < count; ++i) {
        const int fd = int(quint32(events[i].data.u64));
        const quint32 generation = quint32(events[i].data.u64 >> 32);
        if (fd == m_wakeFd && generation == 0) {
            drainWakeUps();
            continue;
        }
        const quint32 revents = events[i].events;
        // As Qt's UNIX dispatcher: a hang-up or error wakes every notifier of the socket.
        if (revents & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            activateNotifier(fd, generation, QSocketNotifier::Read);
            ++handled;
        }
        if (revents & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
            activateNotifier(fd, generation, QSocketNotifier::Write);
            ++handled;
        }
        if (revents & (EPOLLPRI | EPOLLHUP | EPOLLERR)) {
            activateNotifier(fd, generation, QSocketNotifier::Exception);
            ++handled;
        }
    }
    if (m_alwaysReady > 0) {
        QList<QPair<int, quint32>> files;
        for (const auto &[fd, watch] : m_watches) {
            if (watch.alwaysReady)
                files.append({fd, watch.generation});
        }
        for (const auto &[fd, generation] : std::as_const(files)) {
            activateNotifier(fd, generation, QSocketNotifier::Read);
            activateNotifier(fd, generation, QSocketNotifier::Write);
            ++handled;
        }
    }
    return handled;
}

void EpollEventDispatcher::activateNotifier(int fd, quint32 generation, int type)
{
    // Looked up afresh: an earlier notifier's handler may have closed or replaced this one.
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || it->second.generation != generation)
        return;
    QSocketNotifier *notifier = slot(it->second, type);
    if (!notifier)
        return;
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(notifier, &event);
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const qint64 now = nowNs();
    // The timers due now, each fired once in this pass even if its handler re-arms it.
    QList<int> due;
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend() && it->first <= now; ++it)
        due.append(it->second);
    int fired = 0;
    for (const int id : std::as_const(due)) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->firing || it->deadline > now)
            continue;
        // Re-arm before delivering, so that the handler may kill or restart the timer.
        m_deadlines.erase({it->deadline, id});
        if (it->type == Qt::PreciseTimer && it->interval > 0) {
            it->deadline += it->interval * 1000000;
            if (it->deadline <= now)
                it->deadline = now + it->interval * 1000000;
        } else {
            it->deadline = now + it->interval * 1000000;
        }
        m_deadlines.insert({it->deadline, id});
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        it = m_timers.find(id);
        if (it != m_timers.end() && it->object == object)
            it->firing = false;
    }
    return fired;
}

} // namespace Plugboard
