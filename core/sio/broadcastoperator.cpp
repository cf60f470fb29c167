#include "broadcastoperator.h"

#include "namespace.h"

#include <QtCore/QTimer>

#include <memory>

namespace Plugboard {

namespace {
constexpr int DefaultBroadcastAckTimeout = 10000;

QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

QCborArray eventData(const QString &event, const QCborArray &args)
{
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    return data;
}
} // namespace

BroadcastOperator::BroadcastOperator(Namespace *nsp, BroadcastOptions options)
    : m_nsp(nsp), m_options(std::move(options))
{
}

Adapter *BroadcastOperator::adapter() const
{
    return m_nsp ? m_nsp->adapter() : nullptr;
}

BroadcastOperator BroadcastOperator::to(const QString &room) const
{
    BroadcastOperator copy = *this;
    copy.m_options.rooms.insert(room);
    return copy;
}

BroadcastOperator BroadcastOperator::to(const QStringList &rooms) const
{
    BroadcastOperator copy = *this;
    copy.m_options.rooms.unite(toSet(rooms));
    return copy;
}

BroadcastOperator BroadcastOperator::except(const QString &room) const
{
    BroadcastOperator copy = *this;
    copy.m_options.except.insert(room);
    return copy;
}

BroadcastOperator BroadcastOperator::except(const QStringList &rooms) const
{
    BroadcastOperator copy = *this;
    copy.m_options.except.unite(toSet(rooms));
    return copy;
}

BroadcastOperator BroadcastOperator::asVolatile() const
{
    BroadcastOperator copy = *this;
    copy.m_options.flags.isVolatile = true;
    return copy;
}

BroadcastOperator BroadcastOperator::local() const
{
    BroadcastOperator copy = *this;
    copy.m_options.flags.local = true;
    return copy;
}

BroadcastOperator BroadcastOperator::compress(bool compress) const
{
    BroadcastOperator copy = *this;
    copy.m_options.flags.compress = compress;
    return copy;
}

BroadcastOperator BroadcastOperator::timeout(int ms) const
{
    BroadcastOperator copy = *this;
    copy.m_options.flags.timeoutMs = ms;
    return copy;
}

void BroadcastOperator::emitEvent(const QString &event, const QCborArray &args) const
{
    if (Adapter *a = adapter())
        a->broadcast({SocketIO::PacketType::Event, m_nsp->name(), SocketIO::NoAckId, eventData(event, args)}, m_options);
}

void BroadcastOperator::emitWithAck(const QString &event, const QCborArray &args,
                                    BroadcastAckCallback callback) const
{
    Adapter *a = adapter();
    if (!a) {
        if (callback)
            callback({false, QStringLiteral("namespace is gone"), {}});
        return;
    }

    // Node's completeness rule: every server has reported how many sockets it asked, and
    // that many replies have arrived.
    struct State
    {
        BroadcastAckCallback callback;
        BroadcastAckResult result;
        int expectedServers = -1;
        int reportedServers = 0;
        int expectedClients = 0;
        bool done = false;
        QPointer<QTimer> timer;
    };
    auto state = std::make_shared<State>();
    state->callback = std::move(callback);
    const auto finish = [](const std::shared_ptr<State> &s, bool ok) {
        if (s->done)
            return;
        s->done = true;
        if (s->timer) {
            s->timer->stop();
            s->timer->deleteLater(); // releases the timer's hold on the state
        }
        s->result.ok = ok;
        if (!ok)
            s->result.error = QStringLiteral("operation has timed out");
        if (s->callback)
            s->callback(s->result);
    };
    const auto check = [finish](const std::shared_ptr<State> &s) {
        if (s->expectedServers == s->reportedServers && int(s->result.responses.size()) >= s->expectedClients)
            finish(s, true);
    };
    const int timeout = m_options.flags.timeoutMs > 0 ? m_options.flags.timeoutMs : DefaultBroadcastAckTimeout;
    // The timer keeps the state alive until the outcome is known, even when every recipient
    // is gone before answering.
    auto *timer = new QTimer(a);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    state->timer = timer;
    QObject::connect(timer, &QTimer::timeout, timer, [state, finish] { finish(state, false); });
    timer->start(timeout);
    BroadcastOptions options = m_options;
    options.flags.timeoutMs = timeout;
    a->broadcastWithAck(
        {SocketIO::PacketType::Event, m_nsp->name(), SocketIO::NoAckId, eventData(event, args)}, options,
        [state, check](int clientCount) {
            if (state->done)
                return;
            state->expectedClients += clientCount;
            ++state->reportedServers;
            check(state);
        },
        [state, check](const AckResponse &response) {
            if (state->done)
                return;
            state->result.responses.append(response);
            check(state);
        });
    if (m_options.flags.local) {
        state->expectedServers = 1;
        check(state);
        return;
    }
    a->serverCount([state, check](int servers) {
        if (state->done)
            return;
        state->expectedServers = servers;
        check(state);
    });
}

void BroadcastOperator::fetchSockets(FetchSocketsCallback callback) const
{
    Adapter *a = adapter();
    if (!a) {
        if (callback)
            callback({false, QStringLiteral("namespace is gone"), {}});
        return;
    }
    QPointer<Namespace> nsp = m_nsp;
    a->fetchSockets(m_options, [nsp, callback](const FetchSocketsReply &reply) {
        FetchSocketsResult result{reply.ok, reply.error, {}};
        result.sockets.reserve(reply.value.size());
        for (const SocketDetails &details : reply.value)
            result.sockets.append(RemoteSocket(nsp, details));
        if (callback)
            callback(result);
    });
}

QList<Socket *> BroadcastOperator::localSockets() const
{
    QList<Socket *> sockets;
    Adapter *a = adapter();
    if (!a)
        return sockets;
    for (const QString &id : a->localSockets(m_options)) {
        if (Socket *socket = m_nsp->findSocket(id))
            sockets.append(socket);
    }
    return sockets;
}

void BroadcastOperator::allSockets(ReplyCallback<QStringList> callback) const
{
    Adapter *a = adapter();
    if (!a) {
        if (callback)
            callback({false, QStringLiteral("namespace is gone"), {}});
        return;
    }
    if (m_options.flags.local) {
        callback({true, {}, a->localSockets({m_options.rooms, {}, {}})});
        return;
    }
    a->allSockets(m_options.rooms, callback);
}

void BroadcastOperator::socketsJoin(const QStringList &rooms) const
{
    if (Adapter *a = adapter())
        a->addSockets(m_options, toSet(rooms));
}

void BroadcastOperator::socketsLeave(const QStringList &rooms) const
{
    if (Adapter *a = adapter())
        a->delSockets(m_options, toSet(rooms));
}

void BroadcastOperator::disconnectSockets(bool close) const
{
    if (Adapter *a = adapter())
        a->disconnectSockets(m_options, close);
}

} // namespace Plugboard
