#pragma once

#include <QtCore/QLoggingCategory>

// One category per layer, named like Node's debug namespaces; debug and info are off unless
// QT_LOGGING_RULES switches them on, e.g. QT_LOGGING_RULES="plugboard.engine*=true".
namespace Plugboard {
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcEnginePolling)
Q_DECLARE_LOGGING_CATEGORY(lcEngineWebSocket)
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSocket)
Q_DECLARE_LOGGING_CATEGORY(lcAdapter)
} // namespace Plugboard
