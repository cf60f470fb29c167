#pragma once

#include <service.h>

#include <QtWidgets/QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Plugboard {

class ConsoleSettings;
class ServerRunner;

// Where the embedded server listens (host, port, or a config file), start and stop, why it
// could not start, and the console's own settings (event log size, confirmations).
class ServerSettingsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSettingsPage)

public:
    ServerSettingsPage(ServerRunner *runner, ConsoleSettings *settings, const ServiceConfig &initial,
                       QWidget *parent = nullptr);

    // The configuration the form describes; nothing (with why) when the host is not an address.
    std::optional<ServiceConfig> config(QString *problem = nullptr) const;
    // Reads a config file through loadConfigFile() and puts its values in the form.
    bool loadConfig(const QString &path);
    QString errorText() const;

public Q_SLOTS:
    void startServer();
    void stopServer();

private:
    void updateState();
    void showError(const QString &text);

    ServerRunner *m_runner;
    ConsoleSettings *m_settings;
    ServiceConfig m_base;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_configFile;
    QPushButton *m_browse;
    QPushButton *m_load;
    QLabel *m_configStatus;
    QPushButton *m_start;
    QPushButton *m_stop;
    QLabel *m_state;
    QLabel *m_error;
    QSpinBox *m_logCapacity;
    QCheckBox *m_confirm;
};

} // namespace Plugboard
