#pragma once

#include <QtCore/QLoggingCategory>

namespace Plugboard {
// The program's own messages (start, shutdown, API calls, refusals); info is on by default.
Q_DECLARE_LOGGING_CATEGORY(lcService)
} // namespace Plugboard
