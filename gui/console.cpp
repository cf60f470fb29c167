#include "console.h"

#include "consolesettings.h"
#include "consolewindows.h"

#include <QtCore/QSettings>
#include <QtWidgets/QApplication>

namespace Plugboard {

int runConsole(QApplication &app, const ServiceConfig &config)
{
    QSettings store;
    ConsoleSettings settings;
    settings.load(store);
    int result = 0;
    {
        ConsoleWindows windows(&settings, &store);
        windows.openEmbedded(config);
        result = app.exec();
    }
    settings.save(store);
    return result;
}

int runAttachedConsole(QApplication &app, const AttachProfile &profile)
{
    QSettings store;
    ConsoleSettings settings;
    settings.load(store);
    int result = 0;
    {
        ConsoleWindows windows(&settings, &store);
        windows.openAttached(profile);
        result = app.exec();
    }
    settings.save(store);
    return result;
}

} // namespace Plugboard
