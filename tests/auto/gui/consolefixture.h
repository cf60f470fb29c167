#pragma once

#include "nodeclient.h"

#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>

class QAbstractItemModel;
class QAbstractItemModelTester;

namespace Plugboard {
class ConsoleSettings;
class MainWindow;
class ServerRunner;
} // namespace Plugboard

// The console as an operator sees it: a MainWindow over a ServerRunner on 127.0.0.1:0, every
// model and proxy under QAbstractItemModelTester, and real socket.io clients on demand.
// Confirmations are off so destructive actions run straight away.
class ConsoleFixture
{
public:
    ConsoleFixture();
    ~ConsoleFixture();

    // Starts the server and waits for it; false when it did not start.
    bool start(quint16 port = 0);
    QString url() const;
    quint16 port() const;

    Plugboard::MainWindow *window() const { return m_window.get(); }
    Plugboard::ServerRunner *runner() const { return m_runner.get(); }
    Plugboard::ConsoleSettings *settings() const { return m_settings.get(); }

    // A connected client (nullptr when it could not connect).
    NodeClient *connectClient(const QStringList &extraArguments = {});
    // The connections view row of that socket (proxy row), or -1.
    int connectionsRow(const QString &socketId) const;
    // Selects those sockets in the Connections view.
    void selectSockets(const QStringList &socketIds);

private:
    void watch(QAbstractItemModel *model);

    std::unique_ptr<Plugboard::ConsoleSettings> m_settings;
    std::unique_ptr<Plugboard::ServerRunner> m_runner;
    std::unique_ptr<Plugboard::MainWindow> m_window;
    QList<QAbstractItemModelTester *> m_testers;
    QList<NodeClient *> m_clients;
};
