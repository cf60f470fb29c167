#include "processusage.h"

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QList>

#include <sys/resource.h>
#include <unistd.h>

namespace Plugboard {

namespace {

double seconds(const timeval &value)
{
    return double(value.tv_sec) + double(value.tv_usec) / 1e6;
}

} // namespace

ProcessUsage ProcessUsage::sample()
{
    ProcessUsage usage;
    QFile status(QStringLiteral("/proc/self/statm"));
    if (status.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> fields = status.readAll().split(' ');
        if (fields.size() >= 2)
            usage.residentBytes = fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE);
    }
    rusage self{};
    if (getrusage(RUSAGE_SELF, &self) == 0) {
        usage.userSeconds = seconds(self.ru_utime);
        usage.systemSeconds = seconds(self.ru_stime);
    }
    return usage;
}

} // namespace Plugboard
