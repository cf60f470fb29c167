#include "console.h"

#include "consolesettings.h"
#include "mainwindow.h"
#include "serverrunner.h"

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
        ServerRunner runner;
        MainWindow window(&runner, &settings, config);
        window.show();
        runner.start(config);
        result = app.exec();
    }
    settings.save(store);
    return result;
}

} // namespace Plugboard
