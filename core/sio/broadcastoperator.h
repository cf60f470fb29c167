#pragma once

#include "../adapter/adapter.h"
#include "ack.h"

#include <QtCore/QCborArray>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

namespace Plugboard {

class Socket;

// Selects recipients and emits to them (Node's BroadcastOperator). A value type: each call
// returns a narrowed copy, so `nsp->to("a").except("b").emitEvent("x")` reads like Node.
class BroadcastOperator
{
public:
    explicit BroadcastOperator(Adapter *adapter, BroadcastOptions options = {});

    BroadcastOperator to(const QString &room) const;
    BroadcastOperator to(const QStringList &rooms) const;
    BroadcastOperator in(const QString &room) const { return to(room); }
    BroadcastOperator except(const QString &room) const;
    BroadcastOperator except(const QStringList &rooms) const;
    // Recipients that cannot take the packet right now are skipped.
    BroadcastOperator asVolatile() const;
    // Only this server, in a cluster.
    BroadcastOperator local() const;
    // How long emitWithAck waits for every reply.
    BroadcastOperator timeout(int ms) const;

    void emitEvent(const QString &event, const QCborArray &args = {}) const;
    // Asks every recipient for an acknowledgement. The callback runs once: when all have
    // answered (ok), or when the timeout (default 10 s) expires, with the replies so far.
    void emitWithAck(const QString &event, const QCborArray &args, BroadcastAckCallback callback) const;

    QList<Socket *> fetchSockets() const;
    void socketsJoin(const QStringList &rooms) const;
    void socketsLeave(const QStringList &rooms) const;
    void disconnectSockets(bool close = false) const;

    const BroadcastOptions &options() const { return m_options; }

private:
    QPointer<Adapter> m_adapter;
    BroadcastOptions m_options;
};

} // namespace Plugboard
