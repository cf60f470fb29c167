#pragma once

#include "enginetransport.h"

class QWebSocket;

namespace Plugboard::Io {

// The WebSocket transport, on QtWebSockets: one frame a packet, binary packets as binary frames.
class WebSocketClientTransport : public EngineTransport
{
    Q_OBJECT

public:
    WebSocketClientTransport(const TransportContext &context, QObject *parent);

    QString name() const override { return QStringLiteral("websocket"); }
    void open() override;
    void send(const QList<EngineIO::Packet> &packets) override;
    void closeAndDelete() override;

private:
    void onTextMessage(const QString &message);
    QWebSocket *m_socket;
    bool m_open = false;
};

} // namespace Plugboard::Io
