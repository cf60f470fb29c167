#pragma once

#include <QtCore/QLoggingCategory>

namespace Plugboard::Redis {
// "plugboard.redis": connections, subscriptions, and messages ignored (at debug level).
Q_DECLARE_LOGGING_CATEGORY(lcRedis)
} // namespace Plugboard::Redis
