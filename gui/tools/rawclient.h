#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

class QWebSocket;

namespace Plugboard {

// Load for the console benchmark: many Socket.IO clients over raw WebSockets (Engine.IO v4
// text frames, no polling), connected a batch at a time, answering pings, and emitting
// events round-robin at a steady total rate.
class RawClientPool : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RawClientPool)

public:
    RawClientPool(const QUrl &serverUrl, int count, QObject *parent = nullptr);
    ~RawClientPool() override;

    void connectAll(int maxPending = 200);
    void setEventRate(int eventsPerSecond);
    int connectedCount() const { return m_connected; }
    int failedCount() const { return m_failed; }
    quint64 eventsSent() const { return m_sent; }

Q_SIGNALS:
    void allConnected();

private:
    void openNext();
    void onMessage(QWebSocket *socket, const QString &message);
    void tick();

    QUrl m_url;
    int m_count;
    int m_maxPending = 200;
    int m_opened = 0;
    int m_pending = 0;
    int m_connected = 0;
    int m_failed = 0;
    QList<QWebSocket *> m_sockets;
    QList<QWebSocket *> m_ready;
    QTimer m_ticker;
    int m_perTick = 0;
    qsizetype m_cursor = 0;
    quint64 m_sent = 0;
};

} // namespace Plugboard
