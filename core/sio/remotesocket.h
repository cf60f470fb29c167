#pragma once

#include <plugboard_core_export.h>

#include "../adapter/adapter.h"

#include <QtCore/QPointer>

namespace Plugboard {

class Namespace;

// A socket returned by fetchSockets (Node's RemoteSocket): what its server knew of it when
// asked, and actions that reach it whichever server of the cluster holds it.
class PLUGBOARD_CORE_EXPORT RemoteSocket
{
public:
    RemoteSocket(Namespace *nsp, SocketDetails details);

    QString id() const { return m_details.id; }
    const SocketHandshake &handshake() const { return m_details.handshake; }
    const QStringList &rooms() const { return m_details.rooms; }
    const QCborMap &data() const { return m_details.data; }
    // Held by this server (Namespace::socket(id) finds it, until it disconnects).
    bool isLocal() const { return m_details.local; }
    const SocketDetails &details() const { return m_details; }

    void emitEvent(const QString &event, const QCborArray &args = {}) const;
    void join(const QStringList &rooms) const;
    void leave(const QStringList &rooms) const;
    void disconnect(bool close = false) const;

private:
    QPointer<Namespace> m_nsp;
    SocketDetails m_details;
};

struct PLUGBOARD_CORE_EXPORT FetchSocketsResult
{
    bool ok = true;
    QString error;
    QList<RemoteSocket> sockets;
};
using FetchSocketsCallback = std::function<void(const FetchSocketsResult &result)>;

} // namespace Plugboard
