#pragma once

#include "serviceconfig.h"

namespace Plugboard {

// Sends every Qt log message to stderr with a UTC timestamp and a level, as text lines or
// as JSON lines ({"time","level","category","message"}), and sets the level from which
// messages are shown. Under systemd, when stderr is the journal, each line starts with the
// journal's priority prefix instead of a timestamp. For the program; a console keeps its own
// message handler.
class LogSink
{
public:
    static void install(const LogConfig &config);
};

} // namespace Plugboard
