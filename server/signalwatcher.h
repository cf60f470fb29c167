#pragma once

#include <QtCore/QObject>

class QSocketNotifier;

namespace Plugboard {

// Turns SIGTERM and SIGINT into a Qt signal with the self-pipe pattern: the handler only
// writes a byte; the work happens in the event loop.
class SignalWatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void handle(int signalNumber);
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Plugboard
