#include "redisconnection.h"

#include "redislogging.h"
#include "replyconversion.h"

#include <QtCore/QSocketNotifier>
#include <QtCore/QTimerEvent>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace Plugboard::Redis {

Q_LOGGING_CATEGORY(lcRedis, "plugboard.redis", QtWarningMsg)

namespace {
constexpr int FirstRetryMs = 100;
constexpr int MaxRetryMs = 5000;

} // namespace

int nextReconnectDelay(int previousMs)
{
    return previousMs == 0 ? FirstRetryMs : std::min(previousMs * 2, MaxRetryMs);
}

std::optional<Endpoint> Endpoint::fromUrl(const QString &text, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<Endpoint> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("expected redis://[[user]:password@]host[:port][/db], got \"%1\"").arg(text));
    Endpoint endpoint;
    if (!url.host().isEmpty())
        endpoint.host = url.host();
    endpoint.port = url.port(6379);
    if (endpoint.port <= 0 || endpoint.port > 65535)
        return fail(QStringLiteral("invalid port in \"%1\"").arg(text));
    endpoint.username = url.userName();
    endpoint.password = url.password();
    const QString path = url.path().mid(1);
    if (!path.isEmpty()) {
        bool ok = false;
        endpoint.database = path.toInt(&ok);
        if (!ok || endpoint.database < 0)
            return fail(QStringLiteral("invalid database \"%1\" in \"%2\"").arg(path, text));
    }
    return endpoint;
}

QString Endpoint::toString() const
{
    return QStringLiteral("redis://%1:%2/%3").arg(host).arg(port).arg(database);
}

// hiredis's event hooks on two QSocketNotifiers. hiredis calls cleanup before it frees the
// context; from then on the binding never touches the context again.
struct Connection::Binding
{
    redisAsyncContext *context = nullptr;
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
    QObject *owner = nullptr;

    QSocketNotifier *notifier(QSocketNotifier::Type type)
    {
        auto *n = new QSocketNotifier(context->c.fd, type, owner);
        redisAsyncContext *ctx = context;
        QObject::connect(n, &QSocketNotifier::activated, owner, [this, ctx, type] {
            if (context != ctx)
                return;
            if (type == QSocketNotifier::Read)
                redisAsyncHandleRead(ctx);
            else
                redisAsyncHandleWrite(ctx);
        });
        return n;
    }
    // hiredis may call a hook with no binding once the connection has let go of it.
    static void addRead(void *p)
    {
        auto *b = static_cast<Binding *>(p);
        if (!b || !b->context)
            return;
        if (!b->read)
            b->read = b->notifier(QSocketNotifier::Read);
        b->read->setEnabled(true);
    }
    static void delRead(void *p)
    {
        auto *b = static_cast<Binding *>(p);
        if (b && b->read)
            b->read->setEnabled(false);
    }
    static void addWrite(void *p)
    {
        auto *b = static_cast<Binding *>(p);
        if (!b || !b->context)
            return;
        if (!b->write)
            b->write = b->notifier(QSocketNotifier::Write);
        b->write->setEnabled(true);
    }
    static void delWrite(void *p)
    {
        auto *b = static_cast<Binding *>(p);
        if (b && b->write)
            b->write->setEnabled(false);
    }
    static void cleanup(void *p)
    {
        if (auto *b = static_cast<Binding *>(p))
            b->release();
    }
    void release()
    {
        // May run inside a notifier's own activation.
        for (QSocketNotifier *n : {read, write}) {
            if (n) {
                n->setEnabled(false);
                n->deleteLater();
            }
        }
        read = write = nullptr;
        if (context)
            context->ev.data = nullptr;
        context = nullptr;
    }
    ~Binding() { release(); }
};

Connection::Connection(const Endpoint &endpoint, const QString &name, QObject *parent)
    : QObject(parent), m_endpoint(endpoint), m_name(name)
{
}

Connection::~Connection()
{
    m_wanted = false;
    if (m_context) {
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        context->data = nullptr; // no callbacks into this object from here on
        redisAsyncFree(context);
    }
}

void Connection::open()
{
    m_wanted = true;
    if (!m_context && !m_reconnectTimer.isActive())
        connectNow();
}

void Connection::connectNow()
{
    redisAsyncContext *context = redisAsyncConnect(m_endpoint.host.toUtf8().constData(), m_endpoint.port);
    if (!context) {
        onLost(QStringLiteral("out of memory"));
        return;
    }
    if (context->err) {
        const QString error = QString::fromUtf8(context->errstr);
        redisAsyncFree(context);
        onLost(error);
        return;
    }
    m_context = context;
    context->data = this;
    m_binding = std::make_unique<Binding>();
    m_binding->context = context;
    m_binding->owner = this;
    context->ev.data = m_binding.get();
    context->ev.addRead = &Binding::addRead;
    context->ev.delRead = &Binding::delRead;
    context->ev.addWrite = &Binding::addWrite;
    context->ev.delWrite = &Binding::delWrite;
    context->ev.cleanup = &Binding::cleanup;
    redisAsyncSetConnectCallback(context, &Connection::connectCallback);
    redisAsyncSetDisconnectCallback(context, &Connection::disconnectCallback);
}

void Connection::connectCallback(const redisAsyncContext *context, int status)
{
    if (auto *self = static_cast<Connection *>(context->data))
        self->onConnected(status);
}

void Connection::disconnectCallback(const redisAsyncContext *context, int status)
{
    Q_UNUSED(status)
    auto *self = static_cast<Connection *>(context->data);
    if (!self)
        return;
    self->onLost(context->errstr[0] ? QString::fromUtf8(context->errstr) : QStringLiteral("connection closed"));
}

void Connection::onConnected(int status)
{
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        onLost(m_context && m_context->errstr[0] ? QString::fromUtf8(m_context->errstr)
                                                 : QStringLiteral("cannot connect"));
        return;
    }
    if (m_loggedDown)
        qCInfo(lcRedis).noquote() << m_name << "connected to" << m_endpoint.toString();
    else
        qCDebug(lcRedis).noquote() << m_name << "connected to" << m_endpoint.toString();
    m_connected = true;
    m_loggedDown = false;
    m_delayMs = 0;
    m_lastError.clear();
    if (!m_endpoint.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_endpoint.username.isEmpty())
            auth.append(m_endpoint.username.toUtf8());
        auth.append(m_endpoint.password.toUtf8());
        command(auth, [this](const Reply &reply) {
            if (reply.type == Reply::Type::Error)
                qCWarning(lcRedis).noquote() << m_name << "AUTH refused:" << reply.string;
        });
    }
    if (m_endpoint.database != 0)
        command({"SELECT", QByteArray::number(m_endpoint.database)});
    Q_EMIT connected();
}

void Connection::onLost(const QString &error)
{
    const bool wasConnected = m_connected;
    m_connected = false;
    m_context = nullptr; // hiredis frees it (or has freed it)
    if (m_binding) {
        m_binding->release();
        // This may run inside one of the binding's own notifier calls: free it afterwards.
        Binding *binding = m_binding.release();
        QMetaObject::invokeMethod(this, [binding] { delete binding; }, Qt::QueuedConnection);
    }
    m_lastError = error;
    if (!m_loggedDown) {
        qCWarning(lcRedis).noquote() << m_name << (wasConnected ? "lost" : "cannot reach") << m_endpoint.toString()
                                     << "(" + error + "); retrying in the background";
        m_loggedDown = true;
    } else {
        qCDebug(lcRedis).noquote() << m_name << "still cannot reach" << m_endpoint.toString() << "(" + error + ")";
    }
    if (wasConnected)
        Q_EMIT disconnected(error);
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    if (!m_wanted)
        return;
    m_delayMs = nextReconnectDelay(m_delayMs);
    m_reconnectTimer.start(m_delayMs, this);
}

void Connection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_reconnectTimer.timerId())
        return QObject::timerEvent(event);
    m_reconnectTimer.stop();
    if (m_wanted && !m_context)
        connectNow();
}

struct Connection::PendingReply
{
    ReplyHandler handler;
};

void Connection::replyCallback(redisAsyncContext *context, void *reply, void *privdata)
{
    std::unique_ptr<PendingReply> pending(static_cast<PendingReply *>(privdata));
    if (!context->data)
        return; // the connection is being destroyed
    if (pending->handler)
        pending->handler(toReply(static_cast<redisReply *>(reply)));
}

void Connection::command(const QList<QByteArray> &args, ReplyHandler handler)
{
    if (!m_context || !m_connected) {
        if (handler)
            handler({Reply::Type::NoConnection, "not connected to Redis", 0, {}});
        return;
    }
    QList<const char *> argv;
    QList<size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const QByteArray &arg : args) {
        argv.append(arg.constData());
        lengths.append(size_t(arg.size()));
    }
    auto *pending = new PendingReply{std::move(handler)};
    if (redisAsyncCommandArgv(m_context, &Connection::replyCallback, pending, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        const ReplyHandler h = std::move(pending->handler);
        delete pending;
        if (h)
            h({Reply::Type::NoConnection, "command refused by the connection", 0, {}});
    }
}

} // namespace Plugboard::Redis
