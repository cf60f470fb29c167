#include "broadcastoperator.h"

#include "../logging.h"
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
} // namespace

BroadcastOperator::BroadcastOperator(Adapter *adapter, BroadcastOptions options)
    : m_adapter(adapter), m_options(std::move(options))
{
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

BroadcastOperator BroadcastOperator::timeout(int ms) const
{
    BroadcastOperator copy = *this;
    copy.m_options.flags.timeoutMs = ms;
    return copy;
}

void BroadcastOperator::emitEvent(const QString &event, const QCborArray &args) const
{
    if (!m_adapter)
        return;
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);
    m_adapter->broadcast({SocketIO::PacketType::Event, m_adapter->nsp()->name(), SocketIO::NoAckId, data},
                         m_options);
}

void BroadcastOperator::emitWithAck(const QString &event, const QCborArray &args,
                                    BroadcastAckCallback callback) const
{
    if (!m_adapter) {
        if (callback)
            callback({false, QStringLiteral("namespace is gone"), {}});
        return;
    }
    QCborArray data{event};
    for (const QCborValue &arg : args)
        data.append(arg);

    struct State
    {
        BroadcastAckCallback callback;
        BroadcastAckResult result;
        int expectedClients = -1;
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
    const int timeout = m_options.flags.timeoutMs > 0 ? m_options.flags.timeoutMs : DefaultBroadcastAckTimeout;
    // The timer keeps the state alive until the outcome is known, even when every recipient
    // is gone before answering.
    auto *timer = new QTimer(m_adapter.data());
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    state->timer = timer;
    QObject::connect(timer, &QTimer::timeout, timer, [state, finish] { finish(state, false); });
    timer->start(timeout);
    m_adapter->broadcastWithAck(
        {SocketIO::PacketType::Event, m_adapter->nsp()->name(), SocketIO::NoAckId, data}, m_options,
        [state, finish](int clientCount) {
            state->expectedClients = clientCount;
            if (int(state->result.responses.size()) >= clientCount)
                finish(state, true);
        },
        [state, finish](const AckResponse &response) {
            if (state->done)
                return;
            state->result.responses.append(response);
            if (state->expectedClients >= 0 && int(state->result.responses.size()) >= state->expectedClients)
                finish(state, true);
        });
}

QList<Socket *> BroadcastOperator::fetchSockets() const
{
    return m_adapter ? m_adapter->fetchSockets(m_options) : QList<Socket *>();
}

void BroadcastOperator::socketsJoin(const QStringList &rooms) const
{
    if (m_adapter)
        m_adapter->addSockets(m_options, toSet(rooms));
}

void BroadcastOperator::socketsLeave(const QStringList &rooms) const
{
    if (m_adapter)
        m_adapter->delSockets(m_options, toSet(rooms));
}

void BroadcastOperator::disconnectSockets(bool close) const
{
    if (m_adapter)
        m_adapter->disconnectSockets(m_options, close);
}

} // namespace Plugboard
