#pragma once

#include <plugboard_client_export.h>

#include "../engine/writecoalescer.h"
#include "enginetransport.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>

namespace Plugboard::Io {

// One Engine.IO v4 client connection (engine.io-client's Socket): the handshake, the
// transport and its upgrade with a probe, heartbeat, and the write buffer, cut to the
// server's maxPayload on polling.
class PLUGBOARD_CLIENT_EXPORT EngineClient : public QObject, public Flushable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineClient)

public:
    enum class State { Opening, Open, Closing, Closed };

    // url: http(s):// or ws(s):// with host and port. cookies: the jar for withCredentials
    // (kept by the caller so that it outlives reconnections), or nullptr.
    EngineClient(const QUrl &url, const EngineClientOptions &options, QNetworkCookieJar *cookies,
                 QObject *parent = nullptr);
    ~EngineClient() override;

    void open();
    // Queues a Message packet (text or binary) and writes it when the transport can.
    void send(const EngineIO::Packet &packet);
    void send(const QList<EngineIO::Packet> &packets);
    // Ends the connection with "forced close", after what is queued has been written.
    void close();

    State state() const { return m_state; }
    QString id() const { return m_id; }
    QString transportName() const;
    bool isTransportWritable() const;
    // True when no ping came within pingInterval + pingTimeout (the timer may not have fired
    // yet, after the process slept).
    bool hasPingExpired() const;
    qint64 maxPayload() const { return m_maxPayload; }
    qsizetype queuedPackets() const { return m_writeBuffer.size(); }

    // Whether a WebSocket upgrade succeeded in this process (for rememberUpgrade).
    static bool priorWebSocketSuccess();

Q_SIGNALS:
    void opened();
    void messageReceived(const Plugboard::EngineIO::Packet &packet);
    void pingReceived();
    void upgrading(const QString &transport);
    void upgraded(const QString &transport);
    void upgradeFailed(const QString &error);
    // engine.io-client's "error": description as Node's ("xhr poll error", "websocket error",
    // "parse error"), detail why.
    void errorOccurred(const QString &description, const QString &detail);
    // reason: "transport close", "transport error", "ping timeout", "forced close", "parse error".
    void closed(const QString &reason, const QString &description);
    void drained();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // Packets sent in one event-loop pass leave together (one write, one POST), as the server's.
    void flushNow() override { flush(); }
    EngineTransport *createTransport(const QString &name);
    void setTransport(EngineTransport *transport);
    void onPacket(const EngineIO::Packet &packet);
    void onHandshake(const QByteArray &json);
    void onDrain();
    void flush();
    QList<EngineIO::Packet> writablePackets() const;
    void probe(const QString &name);
    void resetPingTimeout();
    void onError(const QString &description, const QString &detail);
    void onClose(const QString &reason, const QString &description);

    TransportContext m_context;
    State m_state = State::Closed;
    QString m_id;
    QStringList m_upgrades;
    int m_pingInterval = 25000;
    int m_pingTimeout = 20000;
    qint64 m_maxPayload = 0;
    QPointer<EngineTransport> m_transport;
    QPointer<EngineTransport> m_probe;
    bool m_upgrading = false;
    QList<EngineIO::Packet> m_writeBuffer;
    qsizetype m_prevBufferLen = 0;
    bool m_closeWhenDrained = false;
    QBasicTimer m_pingTimer;
    QDeadlineTimer m_pingDeadline;
};

} // namespace Plugboard::Io
