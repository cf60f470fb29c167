#include "namespacechoices.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSignalBlocker>
#include <QtWidgets/QComboBox>

namespace Plugboard {

QString refillNamespaceChoices(QComboBox *combo, const QStringList &names)
{
    const QString current = combo->currentData().toString();
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItem(QCoreApplication::translate("Plugboard::NamespaceChoices", "All"), QString());
    for (const QString &name : names)
        combo->addItem(name, name);
    combo->setCurrentIndex(qMax(0, combo->findData(current)));
    return combo->currentData().toString();
}

} // namespace Plugboard
