#pragma once

namespace Plugboard {

// plugboard --hash-password: reads a password (from the terminal without echo, or the first
// line of stdin) and prints its bcrypt hash for the config's admin.auth.password.
int runHashPasswordCommand();

} // namespace Plugboard
