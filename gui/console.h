#pragma once

#include "attachprofile.h"

#include <service.h>

class QApplication;

namespace Plugboard {

// Opens the operator console with the server running inside it (in a worker thread), started
// with `config`; returns when the window is closed and the server has stopped. Console
// preferences persist through QSettings (organization and application names of `app`).
// For many sockets put QT_NO_GLIB=1 in the environment before constructing `app`: Qt's own
// event dispatcher scales better than GLib's.
int runConsole(QApplication &app, const ServiceConfig &config);
// The console attached to a remote server (plugboard --attach), with no server of its own.
int runAttachedConsole(QApplication &app, const AttachProfile &profile);

} // namespace Plugboard
