#include "serversettingspage.h"

#include "configfile.h"
#include "consolesettings.h"
#include "serverrunner.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

ServerSettingsPage::ServerSettingsPage(ServerRunner *runner, ConsoleSettings *settings, const ServiceConfig &initial,
                                       QWidget *parent)
    : QWidget(parent),
      m_runner(runner),
      m_settings(settings),
      m_base(initial),
      m_host(new QLineEdit(initial.host.toString(), this)),
      m_port(new QSpinBox(this)),
      m_configFile(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)),
      m_load(new QPushButton(tr("Load"), this)),
      m_configStatus(new QLabel(this)),
      m_start(new QPushButton(tr("Start"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_state(new QLabel(this)),
      m_error(new QLabel(this)),
      m_logCapacity(new QSpinBox(this)),
      m_confirm(new QCheckBox(tr("Ask before disconnecting sockets or rooms"), this))
{
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_host->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(0, 65535);
    m_port->setValue(initial.port);
    m_port->setSpecialValueText(tr("0 (any free port)"));
    m_configFile->setObjectName(QStringLiteral("configFileEdit"));
    m_configFile->setPlaceholderText(tr("plugboard config file (optional)"));
    m_browse->setObjectName(QStringLiteral("configBrowseButton"));
    m_load->setObjectName(QStringLiteral("configLoadButton"));
    m_configStatus->setObjectName(QStringLiteral("configStatus"));
    m_configStatus->setWordWrap(true);
    if (!configFilesSupported()) {
        for (QWidget *widget : {static_cast<QWidget *>(m_configFile), static_cast<QWidget *>(m_browse),
                                static_cast<QWidget *>(m_load)})
            widget->setEnabled(false);
        m_configStatus->setText(tr("Config files are not supported by this build yet."));
    }
    m_start->setObjectName(QStringLiteral("startButton"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_state->setObjectName(QStringLiteral("serverState"));
    m_error->setObjectName(QStringLiteral("serverError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e; font-weight: bold;"));
    m_error->hide();

    m_logCapacity->setObjectName(QStringLiteral("eventLogCapacitySpin"));
    m_logCapacity->setRange(ConsoleSettings::MinimumEventLogCapacity, ConsoleSettings::MaximumEventLogCapacity);
    m_logCapacity->setSingleStep(1000);
    m_logCapacity->setValue(settings->eventLogCapacity());
    m_logCapacity->setSuffix(tr(" events"));
    m_confirm->setObjectName(QStringLiteral("confirmCheck"));
    m_confirm->setChecked(settings->confirmDestructiveActions());
    connect(m_logCapacity, &QSpinBox::valueChanged, settings, &ConsoleSettings::setEventLogCapacity);
    connect(settings, &ConsoleSettings::eventLogCapacityChanged, m_logCapacity, &QSpinBox::setValue);
    connect(m_confirm, &QCheckBox::toggled, settings, &ConsoleSettings::setConfirmDestructiveActions);
    connect(settings, &ConsoleSettings::confirmDestructiveActionsChanged, m_confirm, &QCheckBox::setChecked);

    connect(m_start, &QPushButton::clicked, this, &ServerSettingsPage::startServer);
    connect(m_stop, &QPushButton::clicked, this, &ServerSettingsPage::stopServer);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Config file"), m_configFile->text());
        if (!path.isEmpty()) {
            m_configFile->setText(path);
            loadConfig(path);
        }
    });
    connect(m_load, &QPushButton::clicked, this, [this] { loadConfig(m_configFile->text().trimmed()); });
    connect(m_runner, &ServerRunner::stateChanged, this, &ServerSettingsPage::updateState);
    connect(m_runner, &ServerRunner::startFailed, this, &ServerSettingsPage::showError);
    connect(m_runner, &ServerRunner::started, this, [this] { showError({}); });

    auto *configRow = new QHBoxLayout;
    configRow->addWidget(m_configFile, 1);
    configRow->addWidget(m_browse);
    configRow->addWidget(m_load);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_state, 1);

    auto *serverBox = new QGroupBox(tr("Server"), this);
    auto *serverForm = new QFormLayout(serverBox);
    serverForm->addRow(tr("Host"), m_host);
    serverForm->addRow(tr("Port"), m_port);
    serverForm->addRow(tr("Config file"), configRow);
    serverForm->addRow(QString(), m_configStatus);
    serverForm->addRow(QString(), buttons);
    serverForm->addRow(QString(), m_error);

    auto *consoleBox = new QGroupBox(tr("Console"), this);
    auto *consoleForm = new QFormLayout(consoleBox);
    consoleForm->addRow(tr("Event log keeps"), m_logCapacity);
    consoleForm->addRow(QString(), m_confirm);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(serverBox);
    layout->addWidget(consoleBox);
    layout->addStretch();
    updateState();
}

std::optional<ServiceConfig> ServerSettingsPage::config(QString *problem) const
{
    ServiceConfig config = m_base;
    const QString host = m_host->text().trimmed();
    if (!config.host.setAddress(host.isEmpty() ? QStringLiteral("127.0.0.1") : host)) {
        if (problem)
            *problem = tr("\"%1\" is not an IP address.").arg(host);
        return std::nullopt;
    }
    config.port = quint16(m_port->value());
    return config;
}

bool ServerSettingsPage::loadConfig(const QString &path)
{
    QString error;
    const std::optional<ServiceConfig> loaded = path.isEmpty() ? std::nullopt : loadConfigFile(path, &error);
    if (!loaded) {
        m_configStatus->setText(path.isEmpty() ? tr("Choose a config file first.") : error);
        m_configStatus->setStyleSheet(QStringLiteral("color: #b3261e;"));
        return false;
    }
    m_base = *loaded;
    m_host->setText(loaded->host.toString());
    m_port->setValue(loaded->port);
    m_configStatus->setStyleSheet({});
    m_configStatus->setText(tr("Loaded %1; Start (or Stop and Start) to apply it.").arg(path));
    return true;
}

QString ServerSettingsPage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ServerSettingsPage::startServer()
{
    QString problem;
    const std::optional<ServiceConfig> wanted = config(&problem);
    if (!wanted) {
        showError(problem);
        return;
    }
    showError({});
    m_runner->start(*wanted);
}

void ServerSettingsPage::stopServer()
{
    m_runner->stop();
}

void ServerSettingsPage::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void ServerSettingsPage::updateState()
{
    const ServerRunner::State state = m_runner->state();
    switch (state) {
    case ServerRunner::State::Stopped:
        m_state->setText(tr("Stopped"));
        break;
    case ServerRunner::State::Starting:
        m_state->setText(tr("Starting…"));
        break;
    case ServerRunner::State::Running:
        m_state->setText(tr("Listening on %1").arg(m_runner->listenAddress()));
        break;
    case ServerRunner::State::Stopping:
        m_state->setText(tr("Stopping…"));
        break;
    }
    const bool stopped = state == ServerRunner::State::Stopped;
    m_start->setEnabled(stopped);
    m_stop->setEnabled(state == ServerRunner::State::Running);
    m_host->setEnabled(stopped);
    m_port->setEnabled(stopped);
}

} // namespace Plugboard
