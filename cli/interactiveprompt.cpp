#include "interactiveprompt.h"

#include <QtCore/QSocketNotifier>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include <editline/readline.h>

namespace Plugboard::Cli {

static InteractivePrompt *s_prompt = nullptr;
static const char *const Prompt = "> ";

InteractivePrompt::InteractivePrompt(QObject *parent) : QObject(parent)
{
    Q_ASSERT(!s_prompt);
    s_prompt = this;
    for (const char *command : {"emit", "ack", "disconnect", "connect", "quit", "help"})
        addCompletion(QString::fromLatin1(command));
}

InteractivePrompt::~InteractivePrompt()
{
    if (m_started)
        rl_callback_handler_remove();
    s_prompt = nullptr;
}

void InteractivePrompt::start()
{
    m_started = true;
    rl_attempted_completion_function = &InteractivePrompt::complete;
    rl_callback_handler_install(Prompt, &InteractivePrompt::onLine);
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [] { rl_callback_read_char(); });
}

void InteractivePrompt::printAbove(const QByteArray &line)
{
    if (!m_started) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
        return;
    }
    // Clear the line being edited, print, and draw the prompt and its text again.
    std::fputs("\r\033[K", stdout);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
    rl_forced_update_display();
}

void InteractivePrompt::addCompletion(const QString &word)
{
    if (m_known.contains(word))
        return;
    m_known.insert(word);
    m_words.append(word);
}

void InteractivePrompt::onLine(char *line)
{
    if (!s_prompt)
        return;
    if (!line) {
        Q_EMIT s_prompt->inputEnded();
        return;
    }
    const QString text = QString::fromUtf8(line).trimmed();
    if (!text.isEmpty())
        add_history(line);
    std::free(line);
    Q_EMIT s_prompt->lineEntered(text);
}

char **InteractivePrompt::complete(const char *text, int, int)
{
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, &InteractivePrompt::nextCompletion);
}

char *InteractivePrompt::nextCompletion(const char *text, int state)
{
    static qsizetype index = 0;
    if (state == 0)
        index = 0;
    if (!s_prompt)
        return nullptr;
    const QByteArray prefix(text);
    while (index < s_prompt->m_words.size()) {
        const QByteArray word = s_prompt->m_words.at(index++).toUtf8();
        if (word.startsWith(prefix))
            return strdup(word.constData());
    }
    return nullptr;
}

} // namespace Plugboard::Cli
