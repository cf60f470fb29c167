#pragma once

#include <QtCore/QBasicTimer>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace Plugboard {

// Tells systemd how the service is doing (sd_notify): READY=1 once it listens, STATUS= lines,
// STOPPING=1 when it drains, and WATCHDOG=1 every half WatchdogSec= from the thread that serves,
// so that a stuck event loop gets the service restarted. Does nothing outside a Type=notify unit
// (no NOTIFY_SOCKET).
class SystemdNotifier : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemdNotifier)

public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    bool isActive() const;
    void ready(const QString &status);
    void stopping(const QString &status);
    void status(const QString &status);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void notify(const QByteArray &state);

    bool m_active = false;
    QBasicTimer m_watchdog;
};

} // namespace Plugboard
