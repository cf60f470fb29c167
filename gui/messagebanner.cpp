#include "messagebanner.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QToolButton>

namespace Plugboard {

MessageBanner::MessageBanner(QWidget *parent) : QFrame(parent), m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    m_label->setObjectName(QStringLiteral("messageBannerText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &MessageBanner::clearMessage);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    setFrameShape(QFrame::StyledPanel);
    hide();
}

void MessageBanner::showMessage(Level level, const QString &text)
{
    m_level = level;
    m_label->setText(text);
    switch (level) {
    case Level::Error:
        setStyleSheet(QStringLiteral("QFrame#messageBanner { background: #fde7e9; border: 1px solid #d13438; }"
                                     " QLabel { color: #801010; }"));
        break;
    case Level::Warning:
        setStyleSheet(QStringLiteral("QFrame#messageBanner { background: #fff4ce; border: 1px solid #c19c00; }"
                                     " QLabel { color: #5c4500; }"));
        break;
    case Level::Info:
        setStyleSheet(QStringLiteral("QFrame#messageBanner { background: #e8f1fb; border: 1px solid #6a9fd8; }"
                                     " QLabel { color: #123a66; }"));
        break;
    }
    show();
}

void MessageBanner::clearMessage()
{
    m_label->clear();
    hide();
}

QString MessageBanner::text() const
{
    return isHidden() ? QString() : m_label->text();
}

} // namespace Plugboard
