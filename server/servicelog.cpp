#include "servicelog.h"

namespace Plugboard {
Q_LOGGING_CATEGORY(lcService, "plugboard.service", QtInfoMsg)
} // namespace Plugboard
