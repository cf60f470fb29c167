#pragma once

#include <plugboard_core_export.h>

#include "adapter.h"

#include <QtCore/QDeadlineTimer>

namespace Plugboard {

// What an adapter may ask of the namespace it serves: its sockets by id, delivery of an
// encoded packet, and the namespace-level effects of cluster requests. The adapter knows
// nothing else of sockets, clients or transports.
class PLUGBOARD_CORE_EXPORT AdapterHost
{
public:
    struct Recovery
    {
        bool enabled = false;
        int maxDisconnectionDuration = 0;
        int maxBufferedPackets = 0;
    };

    virtual ~AdapterHost() = default;

    virtual QString name() const = 0;
    virtual Recovery recoveryOptions() const = 0;

    virtual QStringList localSocketIds() const = 0;
    virtual bool hasLocalSocket(const QString &id) const = 0;
    virtual std::optional<SocketDetails> localSocketDetails(const QString &id) const = 0;

    // Encodes the packet once and writes it to each listed socket; returns how many got it.
    // flags: volatile and compress apply.
    virtual int deliverToLocalSockets(const SocketIO::Packet &packet, const QStringList &ids,
                                      const BroadcastFlags &flags) = 0;
    // As above with packet.id set; each reply before the expiry reaches ack.
    virtual int deliverToLocalSocketsWithAck(const SocketIO::Packet &packet, const QStringList &ids,
                                             const BroadcastFlags &flags, QDeadlineTimer expiry,
                                             const std::function<void(const AckResponse &)> &ack) = 0;
    virtual void joinLocalSockets(const QStringList &ids, const QSet<QString> &rooms) = 0;
    virtual void leaveLocalSockets(const QStringList &ids, const QSet<QString> &rooms) = 0;
    virtual void disconnectLocalSockets(const QStringList &ids, bool close) = 0;

    // Another server's serverSideEmit ([event, ...args]). reply is empty when the sender
    // asked for no acknowledgement; otherwise the first call sends the answer.
    virtual void receiveServerSideEmit(const QCborArray &packet, const std::function<void(const QCborValue &)> &reply) = 0;

    virtual qint64 nextAckId() = 0;
};

} // namespace Plugboard
