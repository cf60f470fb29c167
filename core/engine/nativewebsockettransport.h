#pragma once

#include "../protocol/permessagedeflate.h"
#include "outgoingframes.h"
#include "transport.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QPointer>

#include <optional>

class QTcpSocket;
struct wslay_event_context;

namespace Plugboard {

class WriteCoalescer;

// The native WebSocket engine (wsEngine: Native), after Plugboard's HTTP front has answered
// the handshake: libwslay reads frames (masking, fragmentation, control frames, the close
// handshake, size limits); Plugboard checks UTF-8 and inflates permessage-deflate messages.
// Outgoing messages are written as pre-encoded frames shared by every recipient.
class NativeWebSocketTransport : public Transport
{
    Q_OBJECT

public:
    struct Options
    {
        FramingOptions framing; // the Engine.IO revision, the permessage-deflate agreement
        qint64 maxMessageSize = 1000000;
    };

    NativeWebSocketTransport(QTcpSocket *socket, Options options, WriteCoalescer *coalescer,
                             QObject *parent = nullptr);
    ~NativeWebSocketTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    bool isWritable() const override;
    void send(const QList<OutgoingPacket> &packets) override;
    qint64 bufferedBytes() const override;
    void close() override;
    void flushNow() override;

    // For libwslay's callbacks.
    qint64 readInto(quint8 *buffer, qint64 size);
    qint64 writeFrom(const quint8 *data, qint64 size);
    void onMessage(quint8 opcode, quint8 rsv, const quint8 *data, qsizetype size, quint16 statusCode);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onReadyRead();
    void onDisconnected();
    void sendQueuedControlFrames();
    void fail(quint16 code, const QString &description);
    void finish();
    void scheduleFlush();

    QPointer<QTcpSocket> m_socket;
    Options m_options;
    WriteCoalescer *m_coalescer;
    wslay_event_context *m_context = nullptr;
    std::unique_ptr<PerMessageDeflate::Inflater> m_inflater; // made on the first compressed message
    QBasicTimer m_closeTimer;
    quint16 m_closeCode = 0;      // ours when we failed the connection, else the peer's
    QString m_closeDescription;
    bool m_closeSent = false;
    bool m_finished = false;
};

} // namespace Plugboard
