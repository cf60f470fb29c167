#include "redissubscriber.h"

#include "redislogging.h"
#include "replyconversion.h"

#include <QtCore/QTimerEvent>
#include <QtNetwork/QTcpSocket>

#include <hiredis/read.h>

namespace Plugboard::Redis {

Subscriber::Subscriber(const Endpoint &endpoint, const QString &name, QObject *parent)
    : QObject(parent), m_endpoint(endpoint), m_name(name), m_reader(nullptr, &redisReaderFree)
{
}

Subscriber::~Subscriber() = default;

qsizetype Subscriber::subscriptionCount() const
{
    return m_subscriptions[0].size() + m_subscriptions[1].size() + m_subscriptions[2].size();
}

QByteArray Subscriber::verb(Kind kind, bool on)
{
    static const char *const verbs[3][2] = {{"UNSUBSCRIBE", "SUBSCRIBE"},
                                            {"PUNSUBSCRIBE", "PSUBSCRIBE"},
                                            {"SUNSUBSCRIBE", "SSUBSCRIBE"}};
    return verbs[int(kind)][on ? 1 : 0];
}

void Subscriber::open()
{
    m_wanted = true;
    if (!m_socket && !m_reconnectTimer.isActive())
        connectNow();
}

void Subscriber::connectNow()
{
    m_socket = new QTcpSocket(this);
    m_reader.reset(redisReaderCreate());
    connect(m_socket, &QTcpSocket::connected, this, &Subscriber::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &Subscriber::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] { onLost(m_socket->errorString()); });
    m_socket->connectToHost(m_endpoint.host, quint16(m_endpoint.port));
}

void Subscriber::onConnected()
{
    m_connected = true;
    m_delayMs = 0;
    m_lastError.clear();
    if (m_loggedDown)
        qCInfo(lcRedis).noquote() << m_name << "connected to" << m_endpoint.toString();
    m_loggedDown = false;
    if (!m_endpoint.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_endpoint.username.isEmpty())
            auth.append(m_endpoint.username.toUtf8());
        auth.append(m_endpoint.password.toUtf8());
        send(auth);
    }
    for (int kind = 0; kind < 3; ++kind) {
        for (const QByteArray &name : std::as_const(m_subscriptions[kind]))
            send({verb(Kind(kind), true), name});
    }
    Q_EMIT connected();
}

void Subscriber::send(const QList<QByteArray> &args)
{
    if (!m_socket || !m_connected)
        return;
    QList<const char *> argv;
    QList<size_t> lengths;
    for (const QByteArray &arg : args) {
        argv.append(arg.constData());
        lengths.append(size_t(arg.size()));
    }
    char *command = nullptr;
    const int length = redisFormatCommandArgv(&command, int(argv.size()), argv.data(), lengths.data());
    if (length > 0)
        m_socket->write(command, length);
    redisFreeCommand(command);
}

void Subscriber::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (redisReaderFeed(m_reader.get(), data.constData(), size_t(data.size())) != REDIS_OK)
        return onLost(QStringLiteral("reply buffer full"));
    for (;;) {
        void *reply = nullptr;
        if (redisReaderGetReply(m_reader.get(), &reply) != REDIS_OK)
            return onLost(QStringLiteral("protocol error: %1").arg(QString::fromUtf8(m_reader->errstr)));
        if (!reply)
            return;
        const Reply value = toReply(static_cast<redisReply *>(reply));
        freeReplyObject(reply);
        onReply(value);
        if (!m_socket)
            return; // lost while handling
    }
}

void Subscriber::onReply(const Reply &reply)
{
    if (reply.type == Reply::Type::Error) {
        qCWarning(lcRedis).noquote() << m_name << "refused:" << reply.string;
        return;
    }
    if (reply.type != Reply::Type::Array || reply.elements.size() < 3)
        return;
    const QByteArray &kind = reply.elements.at(0).string;
    if ((kind == "message" || kind == "smessage") && reply.elements.size() == 3)
        Q_EMIT messageReceived(reply.elements.at(1).string, reply.elements.at(2).string);
    else if (kind == "pmessage" && reply.elements.size() == 4)
        Q_EMIT messageReceived(reply.elements.at(2).string, reply.elements.at(3).string);
}

void Subscriber::onLost(const QString &error)
{
    if (!m_socket)
        return;
    const bool wasConnected = m_connected;
    m_connected = false;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater(); // this may run inside one of its signals
    m_socket = nullptr;
    m_lastError = error;
    if (!m_loggedDown) {
        qCWarning(lcRedis).noquote() << m_name << (wasConnected ? "lost" : "cannot reach") << m_endpoint.toString()
                                     << "(" + error + "); retrying in the background";
        m_loggedDown = true;
    }
    if (wasConnected)
        Q_EMIT disconnected(error);
    if (m_wanted) {
        m_delayMs = nextReconnectDelay(m_delayMs);
        m_reconnectTimer.start(m_delayMs, this);
    }
}

void Subscriber::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_reconnectTimer.timerId())
        return QObject::timerEvent(event);
    m_reconnectTimer.stop();
    if (m_wanted && !m_socket)
        connectNow();
}

void Subscriber::subscribe(Kind kind, const QByteArray &name)
{
    QList<QByteArray> &list = m_subscriptions[int(kind)];
    if (list.contains(name))
        return;
    list.append(name);
    send({verb(kind, true), name});
}

void Subscriber::unsubscribe(Kind kind, const QByteArray &name)
{
    if (m_subscriptions[int(kind)].removeAll(name))
        send({verb(kind, false), name});
}

} // namespace Plugboard::Redis
