#include "console.h"

#include "consolesettings.h"
#include "consolewindows.h"

#include <QtCore/QSettings>
#include <QtWidgets/QApplication>

#include <functional>

namespace Plugboard {

namespace {

// Settings loaded before the windows open and saved after the last one closed.
int runWindows(QApplication &app, const std::function<void(ConsoleWindows &)> &open)
{
    QSettings store;
    ConsoleSettings settings;
    settings.load(store);
    int result = 0;
    {
        ConsoleWindows windows(&settings, &store);
        open(windows);
        result = app.exec();
    }
    settings.save(store);
    return result;
}

} // namespace

int runConsole(QApplication &app, const ServiceConfig &config)
{
    return runWindows(app, [&](ConsoleWindows &windows) { windows.openEmbedded(config); });
}

int runAttachedConsole(QApplication &app, const AttachProfile &profile)
{
    return runWindows(app, [&](ConsoleWindows &windows) { windows.openAttached(profile); });
}

} // namespace Plugboard
