#pragma once

#include <service.h>

#include <optional>

namespace Plugboard {

// The one call the console makes to read a server config file. It forwards to
// loadServiceConfig() from server/serviceconfig.h as soon as that header exists; until then it
// answers that config files are not supported by this build.
std::optional<ServiceConfig> loadConfigFile(const QString &path, QString *error);
bool configFilesSupported();

} // namespace Plugboard
