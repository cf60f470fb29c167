#include "consolesettings.h"

#include <QtCore/QSettings>

namespace Plugboard {

namespace {

const QString EventLogCapacityKey = QStringLiteral("eventLog/capacity");
const QString ConfirmKey = QStringLiteral("actions/confirmDestructive");

} // namespace

ConsoleSettings::ConsoleSettings(QObject *parent) : QObject(parent) {}

void ConsoleSettings::setEventLogCapacity(int capacity)
{
    capacity = qBound(MinimumEventLogCapacity, capacity, MaximumEventLogCapacity);
    if (capacity == m_eventLogCapacity)
        return;
    m_eventLogCapacity = capacity;
    Q_EMIT eventLogCapacityChanged(capacity);
}

void ConsoleSettings::setConfirmDestructiveActions(bool confirm)
{
    if (confirm == m_confirmDestructiveActions)
        return;
    m_confirmDestructiveActions = confirm;
    Q_EMIT confirmDestructiveActionsChanged(confirm);
}

void ConsoleSettings::load(QSettings &settings)
{
    setEventLogCapacity(settings.value(EventLogCapacityKey, m_eventLogCapacity).toInt());
    setConfirmDestructiveActions(settings.value(ConfirmKey, m_confirmDestructiveActions).toBool());
}

void ConsoleSettings::save(QSettings &settings) const
{
    settings.setValue(EventLogCapacityKey, m_eventLogCapacity);
    settings.setValue(ConfirmKey, m_confirmDestructiveActions);
}

} // namespace Plugboard
