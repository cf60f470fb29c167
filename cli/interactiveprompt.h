#pragma once

#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QStringList>

class QSocketNotifier;

namespace Plugboard::Cli {

// The terminal prompt of plugboard-cli, on libedit's readline interface: history, completion
// of commands and of the event names seen so far, and output printed above the line being
// typed. Reads standard input from the Qt event loop; one per process.
class InteractivePrompt : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InteractivePrompt)

public:
    explicit InteractivePrompt(QObject *parent = nullptr);
    ~InteractivePrompt() override;

    void start();
    // Writes a line (with its newline) without breaking the one being typed.
    void printAbove(const QByteArray &line);
    void addCompletion(const QString &word);

Q_SIGNALS:
    void lineEntered(const QString &line);
    void inputEnded();

private:
    static void onLine(char *line);
    static char **complete(const char *text, int start, int end);
    static char *nextCompletion(const char *text, int state);

    QSocketNotifier *m_notifier = nullptr;
    QStringList m_words;
    QSet<QString> m_known;
    bool m_started = false;
};

} // namespace Plugboard::Cli
