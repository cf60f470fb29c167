#include "attachdialog.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

AttachDialog::AttachDialog(const QList<AttachProfile> &saved, QWidget *parent)
    : QDialog(parent),
      m_saved(saved),
      m_profiles(new QComboBox(this)),
      m_server(new QLineEdit(this)),
      m_path(new QLineEdit(this)),
      m_namespace(new QLineEdit(this)),
      m_username(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_webSocketOnly(new QCheckBox(tr("WebSocket only (no long-polling)"), this)),
      m_insecureTls(new QCheckBox(tr("Accept any TLS certificate (test servers only)"), this)),
      m_error(new QLabel(this))
{
    setWindowTitle(tr("Attach to server"));
    setObjectName(QStringLiteral("attachDialog"));
    m_profiles->setObjectName(QStringLiteral("attachProfiles"));
    m_server->setObjectName(QStringLiteral("attachServer"));
    m_path->setObjectName(QStringLiteral("attachPath"));
    m_namespace->setObjectName(QStringLiteral("attachNamespace"));
    m_username->setObjectName(QStringLiteral("attachUsername"));
    m_password->setObjectName(QStringLiteral("attachPassword"));
    m_webSocketOnly->setObjectName(QStringLiteral("attachWebSocketOnly"));
    m_insecureTls->setObjectName(QStringLiteral("attachInsecureTls"));
    m_error->setObjectName(QStringLiteral("attachError"));
    m_password->setEchoMode(QLineEdit::Password);
    m_server->setPlaceholderText(QStringLiteral("http://127.0.0.1:3000"));
    m_username->setPlaceholderText(tr("empty when the server has auth: false"));
    m_error->setStyleSheet(QStringLiteral("color: #a4262c"));
    m_error->setWordWrap(true);
    m_error->hide();

    m_profiles->addItem(tr("New connection"));
    for (const AttachProfile &profile : m_saved)
        m_profiles->addItem(profile.label());
    connect(m_profiles, &QComboBox::currentIndexChanged, this, [this](int index) {
        setProfile(index > 0 ? m_saved.at(index - 1) : AttachProfile());
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Saved"), m_profiles);
    form->addRow(tr("Server URL"), m_server);
    form->addRow(tr("Socket.IO path"), m_path);
    form->addRow(tr("Admin namespace"), m_namespace);
    form->addRow(tr("User name"), m_username);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_webSocketOnly);
    form->addRow(QString(), m_insecureTls);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Attach"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AttachDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setProfile(m_saved.isEmpty() ? AttachProfile() : m_saved.first());
}

AttachProfile AttachDialog::profile() const
{
    AttachProfile profile;
    profile.serverUrl = QUrl::fromUserInput(m_server->text().trimmed());
    profile.path = m_path->text().trimmed().isEmpty() ? profile.path : m_path->text().trimmed();
    profile.adminNamespace = m_namespace->text().trimmed().isEmpty() ? profile.adminNamespace : m_namespace->text().trimmed();
    profile.username = m_username->text();
    profile.password = m_password->text();
    profile.webSocketOnly = m_webSocketOnly->isChecked();
    profile.insecureTls = m_insecureTls->isChecked();
    return profile;
}

void AttachDialog::setProfile(const AttachProfile &profile)
{
    m_server->setText(profile.serverUrl.isEmpty() ? QString() : profile.serverUrl.toString());
    m_path->setText(profile.path);
    m_namespace->setText(profile.adminNamespace);
    m_username->setText(profile.username);
    m_password->clear();
    m_webSocketOnly->setChecked(profile.webSocketOnly);
    m_insecureTls->setChecked(profile.insecureTls);
}

void AttachDialog::accept()
{
    QString error;
    if (!profile().isValid(&error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace Plugboard
