#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QtGlobal>

namespace Plugboard {

// What this process costs the machine right now (Linux: /proc/self/statm, getrusage).
struct PLUGBOARD_CORE_EXPORT ProcessUsage
{
    qint64 residentBytes = 0;
    double userSeconds = 0;
    double systemSeconds = 0;

    static ProcessUsage sample();
};

} // namespace Plugboard
