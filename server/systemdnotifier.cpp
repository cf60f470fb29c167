#include "systemdnotifier.h"

#include <QtCore/QTimerEvent>

#include <systemd/sd-daemon.h>

namespace Plugboard {

SystemdNotifier::SystemdNotifier(QObject *parent)
    : QObject(parent),
      m_active(qEnvironmentVariableIsSet("NOTIFY_SOCKET"))
{
}

bool SystemdNotifier::isActive() const
{
    return m_active;
}

void SystemdNotifier::ready(const QString &status)
{
    notify("READY=1\nSTATUS=" + status.toUtf8());
    uint64_t watchdogUsec = 0;
    // Only the watchdog of this process (WATCHDOG_PID), never one meant for a parent.
    if (sd_watchdog_enabled(0, &watchdogUsec) > 0 && watchdogUsec > 0)
        m_watchdog.start(std::max<qint64>(1, qint64(watchdogUsec / 2000)), Qt::CoarseTimer, this);
}

void SystemdNotifier::stopping(const QString &status)
{
    notify("STOPPING=1\nSTATUS=" + status.toUtf8());
}

void SystemdNotifier::status(const QString &status)
{
    notify("STATUS=" + status.toUtf8());
}

void SystemdNotifier::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_watchdog.timerId())
        notify("WATCHDOG=1");
    else
        QObject::timerEvent(event);
}

void SystemdNotifier::notify(const QByteArray &state)
{
    if (m_active)
        sd_notify(0, state.constData());
}

} // namespace Plugboard
