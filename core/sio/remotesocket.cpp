#include "remotesocket.h"

#include "namespace.h"

namespace Plugboard {

RemoteSocket::RemoteSocket(Namespace *nsp, SocketDetails details) : m_nsp(nsp), m_details(std::move(details)) {}

void RemoteSocket::emitEvent(const QString &event, const QCborArray &args) const
{
    if (m_nsp)
        m_nsp->to(m_details.id).emitEvent(event, args);
}

void RemoteSocket::join(const QStringList &rooms) const
{
    if (m_nsp)
        m_nsp->to(m_details.id).socketsJoin(rooms);
}

void RemoteSocket::leave(const QStringList &rooms) const
{
    if (m_nsp)
        m_nsp->to(m_details.id).socketsLeave(rooms);
}

void RemoteSocket::disconnect(bool close) const
{
    if (m_nsp)
        m_nsp->to(m_details.id).disconnectSockets(close);
}

} // namespace Plugboard
