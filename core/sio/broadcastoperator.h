#pragma once

#include <plugboard_core_export.h>

#include "../adapter/adapter.h"
#include "ack.h"
#include "remotesocket.h"

#include <QtCore/QCborArray>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

namespace Plugboard {

class Namespace;
class Socket;

// Selects recipients and emits to them (Node's BroadcastOperator). A value type: each call
// returns a narrowed copy, so `nsp->to("a").except("b").emitEvent("x")` reads like Node.
// With a cluster adapter every call reaches the sockets of every server, unless local().
class PLUGBOARD_CORE_EXPORT BroadcastOperator
{
public:
    explicit BroadcastOperator(Namespace *nsp, BroadcastOptions options = {});

    BroadcastOperator to(const QString &room) const;
    BroadcastOperator to(const QStringList &rooms) const;
    BroadcastOperator in(const QString &room) const { return to(room); }
    BroadcastOperator in(const QStringList &rooms) const { return to(rooms); }
    BroadcastOperator except(const QString &room) const;
    BroadcastOperator except(const QStringList &rooms) const;
    // Recipients that cannot take the packet right now are skipped.
    BroadcastOperator asVolatile() const;
    // Only this server, in a cluster.
    BroadcastOperator local() const;
    // Passed on to the other servers of a cluster, as Node's compress flag.
    BroadcastOperator compress(bool compress) const;
    // How long emitWithAck waits for every reply.
    BroadcastOperator timeout(int ms) const;

    void emitEvent(const QString &event, const QCborArray &args = {}) const;
    // Asks every recipient, on every server, for an acknowledgement. The callback runs once:
    // when every server has reported its recipients and all of them have answered (ok), or
    // when the timeout (default 10 s) expires, with the replies so far.
    void emitWithAck(const QString &event, const QCborArray &args, BroadcastAckCallback callback) const;

    // The selected sockets of every server (of this one only with local()); the callback
    // runs once, with an error if a server did not answer within the request timeout.
    void fetchSockets(FetchSocketsCallback callback) const;
    // The selected sockets of this server, at once.
    QList<Socket *> localSockets() const;
    // Ids of the sockets in the selected rooms, cluster-wide (Node's allSockets).
    void allSockets(ReplyCallback<QStringList> callback) const;
    void socketsJoin(const QStringList &rooms) const;
    void socketsLeave(const QStringList &rooms) const;
    void disconnectSockets(bool close = false) const;

    const BroadcastOptions &options() const { return m_options; }

private:
    Adapter *adapter() const;

    QPointer<Namespace> m_nsp;
    BroadcastOptions m_options;
};

} // namespace Plugboard
