#include "serverhost.h"

#include <monitor/servermonitor.h>

namespace Plugboard {

namespace {

QString formatAddress(const QHostAddress &host, quint16 port)
{
    const QString address = host.toString();
    if (host.protocol() == QAbstractSocket::IPv6Protocol)
        return QLatin1Char('[') + address + QStringLiteral("]:") + QString::number(port);
    return address + QLatin1Char(':') + QString::number(port);
}

} // namespace

ServerHost::ServerHost(QObject *parent) : QObject(parent) {}

ServerHost::~ServerHost()
{
    shutdown();
}

void ServerHost::start(const ServiceConfig &config)
{
    if (m_service)
        return;
    auto *service = new Service(config, this);
    QString error;
    if (!service->start(&error)) {
        delete service;
        Q_EMIT startFailed(error);
        return;
    }
    m_service = service;
    ServerMonitor::Options options;
    if (config.admin.enabled)
        options.hiddenNamespaces = {config.admin.options.namespaceName};
    m_monitor = new ServerMonitor(service->io(), options, service);
    m_control = new ServerControl(service->io(), service);
    connect(m_monitor, &ServerMonitor::batchReady, this, &ServerHost::batchReady);
    connect(m_monitor, &ServerMonitor::snapshotReady, this, &ServerHost::snapshotReady);
    connect(m_control, &ServerControl::finished, this, &ServerHost::onControlFinished);
    connect(service, &Service::stopped, this, [this] { teardown(Deletion::Later); });
    Q_EMIT started(formatAddress(config.host, service->port()), service->port());
}

void ServerHost::stop()
{
    if (!m_service) {
        Q_EMIT stopped();
        return;
    }
    if (m_stopping)
        return;
    m_stopping = true;
    m_service->stop();
}

void ServerHost::shutdown()
{
    if (m_service)
        teardown(Deletion::Now);
}

void ServerHost::requestSnapshot()
{
    if (m_monitor)
        m_monitor->requestSnapshot();
}

bool ServerHost::ensureRunning(quint64 ticket)
{
    if (m_control && !m_stopping)
        return true;
    ControlResult result;
    result.requestId = ticket;
    result.message = QStringLiteral("the server is not running");
    Q_EMIT controlFinished(ticket, result);
    return false;
}

void ServerHost::track(quint64 ticket, quint64 requestId)
{
    m_ticketByRequest.insert(requestId, ticket);
}

void ServerHost::emitEvent(quint64 ticket, const EmitRequest &request)
{
    if (ensureRunning(ticket))
        track(ticket, m_control->emitEvent(request));
}

void ServerHost::disconnectSocket(quint64 ticket, const QString &nsp, const QString &socketId, bool close)
{
    if (ensureRunning(ticket))
        track(ticket, m_control->disconnectSocket(nsp, socketId, close));
}

void ServerHost::disconnectRoom(quint64 ticket, const QString &nsp, const QString &room, bool close)
{
    if (ensureRunning(ticket))
        track(ticket, m_control->disconnectRoom(nsp, room, close));
}

void ServerHost::joinRoom(quint64 ticket, const QString &nsp, const QStringList &socketIds, const QString &room)
{
    if (ensureRunning(ticket))
        track(ticket, m_control->joinRoom(nsp, socketIds, room));
}

void ServerHost::leaveRoom(quint64 ticket, const QString &nsp, const QStringList &socketIds, const QString &room)
{
    if (ensureRunning(ticket))
        track(ticket, m_control->leaveRoom(nsp, socketIds, room));
}

void ServerHost::onControlFinished(const ControlResult &result)
{
    const auto it = m_ticketByRequest.constFind(result.requestId);
    if (it == m_ticketByRequest.cend())
        return;
    const quint64 ticket = it.value();
    m_ticketByRequest.erase(it);
    ControlResult answer = result;
    answer.requestId = ticket;
    Q_EMIT controlFinished(ticket, answer);
}

void ServerHost::teardown(Deletion deletion)
{
    // Requests still waiting (acks in flight) are answered rather than forgotten.
    for (auto it = m_ticketByRequest.cbegin(); it != m_ticketByRequest.cend(); ++it) {
        ControlResult result;
        result.requestId = it.value();
        result.message = QStringLiteral("the server stopped before this finished");
        Q_EMIT controlFinished(it.value(), result);
    }
    m_ticketByRequest.clear();
    delete m_monitor;
    delete m_control;
    if (m_service) {
        m_service->disconnect(this);
        if (deletion == Deletion::Later) // inside the service's own stopped() emission
            m_service->deleteLater();
        else
            delete m_service;
    }
    m_service = nullptr;
    m_stopping = false;
    Q_EMIT stopped();
}

} // namespace Plugboard
