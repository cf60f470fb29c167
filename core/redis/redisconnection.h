#pragma once

#include <plugboard_redis_export.h>

#include <QtCore/QBasicTimer>
#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <functional>
#include <memory>
#include <optional>

struct redisAsyncContext;

namespace Plugboard::Redis {

// Where a Redis server is: redis://[[user]:password@]host[:port][/db].
struct PLUGBOARD_REDIS_EXPORT Endpoint
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString username;
    QString password;
    int database = 0;

    static std::optional<Endpoint> fromUrl(const QString &url, QString *error = nullptr);
    QString toString() const; // without the password
};

// One reply, as a value.
struct PLUGBOARD_REDIS_EXPORT Reply
{
    enum class Type { Nil, Status, Error, Integer, String, Array, NoConnection };
    Type type = Type::Nil;
    QByteArray string; // Status, Error, String; for NoConnection why
    qint64 integer = 0;
    QList<Reply> elements;

    bool isError() const { return type == Type::Error || type == Type::NoConnection; }
};

// The delay before the next reconnection attempt: 100 ms, doubling up to 5 s.
PLUGBOARD_REDIS_EXPORT int nextReconnectDelay(int previousMs);

// One connection to Redis on the Qt event loop, through hiredis's asynchronous API (its
// parser and command encoding), for commands (the subscribed side is Subscriber). When the
// connection is lost or cannot be made, it tries again with a growing delay, authenticates
// and selects the database. Commands given while it is down are refused at once (the
// callback gets NoConnection), never queued without bound.
class PLUGBOARD_REDIS_EXPORT Connection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    Connection(const Endpoint &endpoint, const QString &name, QObject *parent = nullptr);
    ~Connection() override;

    void open();
    bool isConnected() const { return m_connected; }
    QString lastError() const { return m_lastError; }

    using ReplyHandler = std::function<void(const Reply &reply)>;
    // Sends a command; the handler (if any) runs once with its reply.
    void command(const QList<QByteArray> &args, ReplyHandler handler = {});

Q_SIGNALS:
    void connected();
    void disconnected(const QString &error);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Binding;
    struct PendingReply;
    void connectNow();
    void onConnected(int status);
    void onLost(const QString &error);
    void scheduleReconnect();
    static void connectCallback(const redisAsyncContext *context, int status);
    static void disconnectCallback(const redisAsyncContext *context, int status);
    static void replyCallback(redisAsyncContext *context, void *reply, void *privdata);

    Endpoint m_endpoint;
    QString m_name;
    redisAsyncContext *m_context = nullptr;
    std::unique_ptr<Binding> m_binding;
    bool m_connected = false;
    bool m_wanted = false;
    bool m_loggedDown = false;
    int m_delayMs = 0;
    QString m_lastError;
    QBasicTimer m_reconnectTimer;
};

} // namespace Plugboard::Redis
