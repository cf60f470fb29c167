#pragma once

#include "../http/httpresponseparser.h"
#include "enginetransport.h"

#include <QtCore/QPointer>

class QTcpSocket;
struct wslay_event_context;

namespace Plugboard::Io {

// The WebSocket transport for ws:// without QtWebSockets: the upgrade request and masked frames
// are written here, frames are read by libwslay in client mode, on an unbuffered QTcpSocket that
// writes each packet at once (QWebSocket costs two epoll_ctl and an ioctl a message, which made
// it the bottleneck of a client process with many sockets). wss:// uses WebSocketClientTransport.
class NativeWebSocketClientTransport : public EngineTransport
{
    Q_OBJECT

public:
    NativeWebSocketClientTransport(const TransportContext &context, QObject *parent);
    ~NativeWebSocketClientTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    void open() override;
    void send(const QList<EngineIO::Packet> &packets) override;
    void closeAndDelete() override;

    // For the wslay callbacks.
    qint64 readInto(quint8 *buffer, qint64 size);
    qint64 writeFrom(const quint8 *data, qint64 size);
    void onMessage(quint8 opcode, const quint8 *data, qsizetype size, quint16 statusCode);

private:
    void onConnected();
    void onReadyRead();
    void onHandshakeBytes(const QByteArray &bytes);
    void readFrames();
    void flushControlFrames();
    void finish(bool byPeer, const QString &detail);

    QPointer<QTcpSocket> m_socket;
    wslay_event_context *m_wslay = nullptr;
    HttpResponseParser m_handshake;
    QByteArray m_key;
    QByteArray m_pendingInput; // frame bytes that came with the 101 response
    bool m_upgraded = false;
    bool m_socketDrained = false;
    bool m_peerClosed = false;
    bool m_finished = false;
    bool m_closing = false;
    quint16 m_closeCode = 0;
};

} // namespace Plugboard::Io
