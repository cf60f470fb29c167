#pragma once

#include "writecoalescer.h"

#include "../protocol/enginepacket.h"
#include "outboundmessage.h"

#include <QtCore/QList>
#include <QtCore/QObject>

namespace Plugboard {

// One queued item: a control packet (open, ping, noop, close...) or a shared message.
struct OutgoingPacket
{
    EngineIO::PacketType type = EngineIO::PacketType::Message;
    QByteArray data;          // control packets
    OutboundMessage message;  // Message packets

    qsizetype size() const { return message.isNull() ? data.size() + 1 : message.size(); }
    // As Engine.IO packets: the control packet, or the message's text and binary packets
    // (for the Engine.IO v3 encodings, which are not shared between recipients).
    void appendTo(QList<EngineIO::Packet> &out) const
    {
        if (message.isNull()) {
            out.append(EngineIO::Packet{type, data, false});
            return;
        }
        if (!message.text().isNull())
            out.append(EngineIO::Packet{EngineIO::PacketType::Message, message.text(), false});
        for (const QByteArray &binary : message.binaries())
            out.append(EngineIO::Packet{EngineIO::PacketType::Message, binary, true});
    }
};

// How an Engine.IO session reaches its peer. The engine owns one transport per session
// (two while upgrading).
class Transport : public QObject, public Flushable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Transport)

public:
    using QObject::QObject;

    virtual QString name() const = 0;
    // True when send() would reach the peer now (polling: a GET is waiting).
    virtual bool isWritable() const = 0;
    virtual void send(const QList<OutgoingPacket> &packets) = 0;
    // Bytes handed to the transport and not yet on the wire.
    virtual qint64 bufferedBytes() const = 0;
    // Ends the transport; closed() follows (possibly later).
    virtual void close() = 0;
    // Writes what send() buffered (the write coalescer calls this once per event-loop pass).
    void flushNow() override {}

Q_SIGNALS:
    void packetReceived(const Plugboard::EngineIO::Packet &packet);
    void writable();
    // The peer sent something that is not Engine.IO.
    void parseError(const QString &description);
    void errorOccurred(const QString &description);
    // The peer closed the transport.
    void closed();
};

} // namespace Plugboard
