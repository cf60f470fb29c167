#pragma once

#include <QtCore/QStringList>

class QComboBox;

namespace Plugboard {

// Refills a namespace filter: "All" (no filter) and then every namespace, keeping the
// operator's choice when it still exists, without emitting changes. Returns the namespace now
// chosen ("" for all).
QString refillNamespaceChoices(QComboBox *combo, const QStringList &names);

} // namespace Plugboard
