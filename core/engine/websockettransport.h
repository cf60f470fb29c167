#pragma once

#include "transport.h"

#include <QtCore/QPointer>

class QTcpSocket;
class QWebSocket;

namespace Plugboard {

class WriteCoalescer;

// WebSocket: one Engine.IO packet per frame. QWebSocket parses what the client sends; frames
// to the client are written, pre-encoded, straight to the TCP socket underneath it.
class WebSocketTransport : public Transport
{
    Q_OBJECT

public:
    // Takes ownership of webSocket (which owns tcpSocket).
    WebSocketTransport(QWebSocket *webSocket, QTcpSocket *tcpSocket, WriteCoalescer *coalescer,
                       QObject *parent = nullptr);
    ~WebSocketTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    bool isWritable() const override;
    void send(const QList<OutgoingPacket> &packets) override;
    qint64 bufferedBytes() const override;
    void close() override;
    // Engine.IO v3 (allowEIO3): binary frames carry the packet type byte.
    void setProtocol(int version) { m_protocol = version; }
    // Hands what was written in this event-loop pass to the kernel (see WriteCoalescer).
    void flushNow() override;

private:
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    void onDisconnected();

    QWebSocket *m_webSocket;
    QPointer<QTcpSocket> m_tcpSocket;
    QPointer<WriteCoalescer> m_coalescer;
    bool m_closed = false;
    int m_protocol = 4;
};

} // namespace Plugboard
