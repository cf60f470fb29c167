#include "consolewindows.h"

#include "attachdialog.h"
#include "mainwindow.h"
#include "remotebackend.h"
#include "serverrunner.h"

#include <QtCore/QSettings>

namespace Plugboard {

ConsoleWindows::ConsoleWindows(ConsoleSettings *settings, QSettings *store, QObject *parent)
    : QObject(parent), m_settings(settings), m_store(store)
{
}

ConsoleWindows::~ConsoleWindows()
{
    // Windows first: they hold pointers to their backends.
    for (const QPointer<MainWindow> &window : std::as_const(m_windows))
        delete window.data();
    delete m_runner;
}

QList<MainWindow *> ConsoleWindows::windows() const
{
    QList<MainWindow *> open;
    for (const QPointer<MainWindow> &window : m_windows)
        if (window)
            open.append(window);
    return open;
}

void ConsoleWindows::watch(MainWindow *window)
{
    m_windows.append(window);
    connect(window, &MainWindow::attachRequested, this, [this, window] { askAndAttach(window); });
}

MainWindow *ConsoleWindows::openEmbedded(const ServiceConfig &config)
{
    if (!m_runner)
        m_runner = new ServerRunner;
    auto *window = new MainWindow(m_runner, m_settings, config);
    watch(window);
    window->show();
    m_runner->start(config);
    return window;
}

MainWindow *ConsoleWindows::openAttached(const AttachProfile &profile)
{
    auto *backend = new RemoteBackend(profile);
    auto *window = new MainWindow(backend, m_settings, ServiceConfig());
    backend->setParent(window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    watch(window);
    window->show();
    backend->attach();
    return window;
}

MainWindow *ConsoleWindows::askAndAttach(QWidget *parent)
{
    AttachDialog dialog(AttachProfile::loadSaved(*m_store), parent);
    if (dialog.exec() != QDialog::Accepted)
        return nullptr;
    const AttachProfile profile = dialog.profile();
    AttachProfile::save(*m_store, profile);
    return openAttached(profile);
}

} // namespace Plugboard
