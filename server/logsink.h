#pragma once

#include "serviceconfig.h"

namespace Plugboard {

// Sends every Qt log message to stderr with a UTC timestamp and a level, as text lines or
// as JSON lines ({"time","level","category","message"}), and sets the level from which
// messages are shown. For the program; a console keeps its own message handler.
class LogSink
{
public:
    static void install(const LogConfig &config);
};

} // namespace Plugboard
