#pragma once

#include <plugboard_redis_export.h>

#include "redisconnection.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

class QTcpSocket;
struct redisReader;

namespace Plugboard::Redis {

// A connection in subscribed state: SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE (Redis 7 sharded
// pub/sub), every subscription kept and sent again after a reconnect (100 ms doubling to
// 5 s). Commands are written by hiredis's formatter and replies read by hiredis's reader;
// hiredis's asynchronous layer is not used here because it routes only "message" and
// "pmessage" pushes (an "smessage" push aborts it in 0.14).
class PLUGBOARD_REDIS_EXPORT Subscriber : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Subscriber)

public:
    Subscriber(const Endpoint &endpoint, const QString &name, QObject *parent = nullptr);
    ~Subscriber() override;

    void open();
    bool isConnected() const { return m_connected; }
    QString lastError() const { return m_lastError; }

    enum class Kind { Channel, Pattern, Shard };
    void subscribe(Kind kind, const QByteArray &name);
    void unsubscribe(Kind kind, const QByteArray &name);
    qsizetype subscriptionCount() const;

Q_SIGNALS:
    void connected();
    void disconnected(const QString &error);
    // A published message on a subscribed channel (any of the three kinds).
    void messageReceived(const QByteArray &channel, const QByteArray &payload);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void connectNow();
    void onConnected();
    void onReadyRead();
    void onLost(const QString &error);
    void onReply(const Reply &reply);
    void send(const QList<QByteArray> &args);
    static QByteArray verb(Kind kind, bool on);

    Endpoint m_endpoint;
    QString m_name;
    QTcpSocket *m_socket = nullptr;
    std::unique_ptr<redisReader, void (*)(redisReader *)> m_reader;
    bool m_connected = false;
    bool m_wanted = false;
    bool m_loggedDown = false;
    int m_delayMs = 0;
    QString m_lastError;
    QBasicTimer m_reconnectTimer;
    QList<QByteArray> m_subscriptions[3];
};

} // namespace Plugboard::Redis
