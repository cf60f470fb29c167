#pragma once

#include "attachprofile.h"

#include <QtWidgets/QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace Plugboard {

// "Attach to server…": where the admin namespace is, how to log in, which transports; saved
// profiles (without passwords) fill the form.
class AttachDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttachDialog)

public:
    explicit AttachDialog(const QList<AttachProfile> &saved, QWidget *parent = nullptr);

    AttachProfile profile() const;
    void setProfile(const AttachProfile &profile);

    void accept() override;

private:
    QList<AttachProfile> m_saved;
    QComboBox *m_profiles;
    QLineEdit *m_server;
    QLineEdit *m_path;
    QLineEdit *m_namespace;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_webSocketOnly;
    QCheckBox *m_insecureTls;
    QLabel *m_error;
};

} // namespace Plugboard
