#pragma once

#include "serviceconfig.h"

#include <QtNetwork/QSslConfiguration>

#include <optional>

namespace Plugboard {

// A server-side TLS configuration from PEM files; on failure *error says which file is wrong.
std::optional<QSslConfiguration> loadTlsConfiguration(const TlsConfig &tls, QString *error);

} // namespace Plugboard
