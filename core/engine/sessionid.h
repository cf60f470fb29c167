#pragma once

#include <QtCore/QString>

namespace Plugboard {

// Node's base64id: 15 bytes of cryptographic randomness as URL-safe base64 (20 characters).
QString generateSessionId();

} // namespace Plugboard
