#pragma once

#include "attachprofile.h"

#include <service.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>

class QSettings;

namespace Plugboard {

class ConsoleSettings;
class MainWindow;
class ServerRunner;

// The console's windows: at most one with the embedded server, and one per attached remote
// server (File > Attach to server…, or plugboard --attach). Each window has its own backend;
// closing a remote window detaches it.
class ConsoleWindows : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleWindows)

public:
    ConsoleWindows(ConsoleSettings *settings, QSettings *store, QObject *parent = nullptr);
    ~ConsoleWindows() override;

    MainWindow *openEmbedded(const ServiceConfig &config);
    MainWindow *openAttached(const AttachProfile &profile);
    // Asks for a profile, then opens it; null when the operator cancels.
    MainWindow *askAndAttach(QWidget *parent);
    QList<MainWindow *> windows() const;

private:
    void watch(MainWindow *window);

    ConsoleSettings *m_settings;
    QSettings *m_store;
    ServerRunner *m_runner = nullptr;
    QList<QPointer<MainWindow>> m_windows;
};

} // namespace Plugboard
