#pragma once

#include "../http/httprequest.h"
#include "closereason.h"
#include "transport.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QDateTime>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class EngineServer;
class HttpConnection;
class PollingTransport;
struct EngineOptions;

// One Engine.IO session (a "client" in Node's engine.io): its transport, heartbeat, upgrade
// and write buffer. Created and owned by EngineServer; deleted after closed().
class EngineSocket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineSocket)

public:
    enum class State { Opening, Open, Closing, Closed };
    Q_ENUM(State)

    EngineSocket(const QString &id, const HttpRequest &request, Transport *transport,
                 EngineServer *server);
    ~EngineSocket() override;

    QString id() const { return m_id; }
    // The handshake request: headers, query, peer address.
    const HttpRequest &request() const { return m_request; }
    QString transportName() const;
    State state() const { return m_state; }
    // 4, or 3 for an Engine.IO v3 client (allowEIO3): the client pings, the server answers.
    int protocolVersion() const { return m_protocol; }
    bool isUpgrading() const { return m_probe != nullptr; }
    bool isUpgraded() const { return m_upgraded; }
    QDateTime connectedAt() const { return m_connectedAt; }

    // Queues a message and sends it as soon as the transport can.
    void send(const OutboundMessage &message);
    // Sends only if the transport can take it now; returns false when dropped.
    bool sendVolatile(const OutboundMessage &message);
    // Bytes waiting for this peer, in the engine and in the transport.
    qint64 bufferedBytes() const;
    // Closes the session from the server side after what is queued has been sent.
    void close(CloseReason reason = CloseReason::ForcedClose);

    // For EngineServer.
    void open();
    Transport *transport() const { return m_transport; }
    void handlePollingRequest(const HttpRequest &request, HttpConnection *connection);
    void probe(Transport *webSocket);

Q_SIGNALS:
    void messageReceived(const QByteArray &data, bool binary);
    void upgraded();
    void closed(Plugboard::CloseReason reason, const QString &description);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void setTransport(Transport *transport);
    void sendPacket(EngineIO::PacketType type, const QByteArray &data = {});
    void flush();
    void onPacket(const EngineIO::Packet &packet);
    void onProbePacket(const EngineIO::Packet &packet);
    void abortUpgrade();
    void schedulePing();
    void onClose(CloseReason reason, const QString &description = {});
    void sendNoopForUpgrade();
    bool overLimit(qint64 extra) const;

    QString m_id;
    HttpRequest m_request;
    EngineServer *m_server;
    const EngineOptions &m_options;
    Transport *m_transport = nullptr;
    Transport *m_probe = nullptr;
    bool m_probeAnswered = false;
    bool m_upgraded = false;
    bool m_closeAfterDrain = false; // polling: the close packet follows what is queued, later
    State m_state = State::Opening;
    int m_protocol = 4;
    CloseReason m_closeReason = CloseReason::ForcedClose;
    QList<OutgoingPacket> m_writeBuffer;
    qint64 m_bufferedBytes = 0;
    QBasicTimer m_pingIntervalTimer;
    QBasicTimer m_pingTimeoutTimer;
    QBasicTimer m_upgradeTimeoutTimer;
    QBasicTimer m_upgradeNoopTimer;
    QBasicTimer m_closeTimer;
    QDateTime m_connectedAt;
};

} // namespace Plugboard
