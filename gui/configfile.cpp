#include "configfile.h"

#if __has_include(<serviceconfig.h>)
#include <serviceconfig.h>
#define PLUGBOARD_HAS_SERVICE_CONFIG 1
#endif

namespace Plugboard {

bool configFilesSupported()
{
#ifdef PLUGBOARD_HAS_SERVICE_CONFIG
    return true;
#else
    return false;
#endif
}

std::optional<ServiceConfig> loadConfigFile(const QString &path, QString *error)
{
#ifdef PLUGBOARD_HAS_SERVICE_CONFIG
    return loadServiceConfig(path, error);
#else
    if (error)
        *error = QStringLiteral("this build cannot read config files yet (%1 was not loaded)").arg(path);
    return std::nullopt;
#endif
}

} // namespace Plugboard
