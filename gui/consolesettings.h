#pragma once

#include <QtCore/QObject>

class QSettings;

namespace Plugboard {

// The console's own preferences. Not persistent by itself: runConsole() loads and saves them
// with QSettings; tests use a fresh instance.
class ConsoleSettings : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSettings)
    Q_PROPERTY(int eventLogCapacity READ eventLogCapacity WRITE setEventLogCapacity NOTIFY eventLogCapacityChanged)
    Q_PROPERTY(bool confirmDestructiveActions READ confirmDestructiveActions WRITE setConfirmDestructiveActions
                   NOTIFY confirmDestructiveActionsChanged)

public:
    static constexpr int MinimumEventLogCapacity = 100;
    static constexpr int MaximumEventLogCapacity = 1000000;

    explicit ConsoleSettings(QObject *parent = nullptr);

    int eventLogCapacity() const { return m_eventLogCapacity; }
    void setEventLogCapacity(int capacity);
    // Kicks and room disconnects ask first (QMessageBox) unless this is off.
    bool confirmDestructiveActions() const { return m_confirmDestructiveActions; }
    void setConfirmDestructiveActions(bool confirm);

    void load(QSettings &settings);
    void save(QSettings &settings) const;

Q_SIGNALS:
    void eventLogCapacityChanged(int capacity);
    void confirmDestructiveActionsChanged(bool confirm);

private:
    int m_eventLogCapacity = 10000;
    bool m_confirmDestructiveActions = true;
};

} // namespace Plugboard
