#pragma once

#include <QtWidgets/QFrame>

class QLabel;

namespace Plugboard {

// A strip at the top of the window for what the operator must not miss (the server could
// not start, an action failed), with a close button.
class MessageBanner : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    enum class Level { Info, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Level level, const QString &text);
    void clearMessage();
    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel *m_label;
    Level m_level = Level::Info;
};

} // namespace Plugboard
