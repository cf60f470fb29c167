#pragma once

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QAtomicInt>
#include <QtCore/QHash>
#include <QtCore/QList>

#include <set>
#include <unordered_map>
#include <vector>

class QSocketNotifier;
struct epoll_event;

namespace Plugboard {

// An event dispatcher for server threads on Linux: socket notifiers are watched with epoll and
// timers are kept ordered by deadline, so an event-loop pass costs what is ready, not what is
// registered. Qt's own UNIX dispatcher polls every registered socket on every pass and inserts
// timers into a sorted list: with ten thousand connections that is most of the server's CPU.
//
// Not for GUI threads (it does not deliver window-system events). Timers fire at their
// deadline whatever their type; VeryCoarseTimer intervals are rounded to whole seconds.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused an epoll or eventfd descriptor; such a dispatcher must not
    // be installed.
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0;      // what epoll is asked for
        quint32 generation = 0;  // tells a reused descriptor from the one an event was for
        bool inEpoll = false;
        bool dirty = false;      // its notifiers changed since epoll was last told
        bool emptied = false;    // it had no notifier at some point since: the fd may be new
        bool alwaysReady = false; // a regular file: epoll refuses it, poll() calls it ready
    };
    struct Timer
    {
        qint64 interval = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadline = 0; // ns, monotonic
        bool firing = false; // its event is being delivered: not again from a nested loop
    };

    static QSocketNotifier *&slot(Watch &watch, int type);
    static quint32 wantedEvents(const Watch &watch);
    void markDirty(int fd, Watch &watch);
    // Tells epoll what changed since the last pass. Done once per pass, so a notifier switched
    // on and off again in between (a socket's write notifier around every write) costs nothing.
    void applyChanges();
    void applyChange(int fd);
    int activateNotifiers(const epoll_event *events, int count);
    void activateNotifier(int fd, quint32 generation, int type);
    int activateTimers();
    int waitMsecs() const; // until the first timer, -1 when there is none
    void drainWakeUps();
    void eraseTimer(QHash<int, Timer>::iterator it);

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_interrupted;
    quint32 m_generation = 0;
    std::unordered_map<int, Watch> m_watches;
    std::vector<int> m_dirty;
    int m_alwaysReady = 0;
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline, timer id)
};

} // namespace Plugboard
