#pragma once

#include <QtCore/QtGlobal>

namespace Plugboard {

// What this process costs the machine right now (Linux: /proc/self/statm, getrusage).
struct ProcessUsage
{
    qint64 residentBytes = 0;
    double userSeconds = 0;
    double systemSeconds = 0;

    static ProcessUsage sample();
};

} // namespace Plugboard
