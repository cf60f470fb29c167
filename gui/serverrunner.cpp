#include "serverrunner.h"

#include "serverhost.h"

#include <processtuning.h>

namespace Plugboard {

ServerRunner::ServerRunner(QObject *parent) : ConsoleBackend(parent), m_host(new ServerHost)
{
    qRegisterMetaType<Plugboard::MonitorBatch>();
    qRegisterMetaType<Plugboard::ControlResult>();
    m_thread.setObjectName(QStringLiteral("plugboard-server"));
    if (QAbstractEventDispatcher *dispatcher = createServingEventDispatcher())
        m_thread.setEventDispatcher(dispatcher);
    m_host->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_host, &QObject::deleteLater);

    connect(m_host, &ServerHost::started, this, [this](const QString &address, quint16 port) {
        m_listenAddress = address;
        m_port = port;
        m_lastError.clear();
        setState(State::Running);
        Q_EMIT started(address);
    });
    connect(m_host, &ServerHost::startFailed, this, [this](const QString &error) {
        m_lastError = error;
        setState(State::Stopped);
        Q_EMIT startFailed(error);
    });
    connect(m_host, &ServerHost::stopped, this, [this] {
        m_listenAddress.clear();
        m_port = 0;
        setState(State::Stopped);
        Q_EMIT stopped();
    });
    connect(m_host, &ServerHost::batchReady, this, &ServerRunner::batchReady);
    connect(m_host, &ServerHost::snapshotReady, this, &ServerRunner::snapshotReady);
    connect(m_host, &ServerHost::controlFinished, this, &ServerRunner::actionFinished);
    m_thread.start();
}

ServerRunner::~ServerRunner()
{
    ServerHost *host = m_host;
    QMetaObject::invokeMethod(host, [host] { host->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QString ServerRunner::description() const
{
    return tr("Listening on %1").arg(m_listenAddress);
}

void ServerRunner::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ServerRunner::start(const ServiceConfig &config)
{
    if (m_state != State::Stopped)
        return;
    setState(State::Starting);
    ServerHost *host = m_host;
    QMetaObject::invokeMethod(host, [host, config] { host->start(config); }, Qt::QueuedConnection);
}

void ServerRunner::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    ServerHost *host = m_host;
    QMetaObject::invokeMethod(host, [host] { host->stop(); }, Qt::QueuedConnection);
}

void ServerRunner::requestSnapshot()
{
    ServerHost *host = m_host;
    QMetaObject::invokeMethod(host, [host] { host->requestSnapshot(); }, Qt::QueuedConnection);
}

template<typename Call>
quint64 ServerRunner::dispatch(Call call)
{
    const quint64 ticket = m_nextTicket++;
    ServerHost *host = m_host;
    QMetaObject::invokeMethod(host, [host, ticket, call] { call(host, ticket); }, Qt::QueuedConnection);
    return ticket;
}

quint64 ServerRunner::emitEvent(const EmitRequest &request)
{
    return dispatch([request](ServerHost *host, quint64 ticket) { host->emitEvent(ticket, request); });
}

quint64 ServerRunner::disconnectSocket(const QString &nsp, const QString &socketId, bool close)
{
    return dispatch([=](ServerHost *host, quint64 ticket) { host->disconnectSocket(ticket, nsp, socketId, close); });
}

quint64 ServerRunner::disconnectRoom(const QString &nsp, const QString &room, bool close)
{
    return dispatch([=](ServerHost *host, quint64 ticket) { host->disconnectRoom(ticket, nsp, room, close); });
}

quint64 ServerRunner::joinRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return dispatch([=](ServerHost *host, quint64 ticket) { host->joinRoom(ticket, nsp, socketIds, room); });
}

quint64 ServerRunner::leaveRoom(const QString &nsp, const QStringList &socketIds, const QString &room)
{
    return dispatch([=](ServerHost *host, quint64 ticket) { host->leaveRoom(ticket, nsp, socketIds, room); });
}

} // namespace Plugboard
