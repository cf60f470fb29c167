#pragma once

#include <plugboard_client_export.h>

#include "../protocol/siopacket.h"
#include "backoff.h"
#include "clientoptions.h"
#include "engineclient.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

#include <functional>

class QNetworkCookieJar;

namespace Plugboard::Io {

class Socket;

// One connection to a server, shared by the sockets of its namespaces (socket.io-client's
// Manager): it opens the Engine.IO connection, encodes and decodes packets, and reconnects
// with backoff when the connection is lost.
class PLUGBOARD_CLIENT_EXPORT Manager : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Manager)

public:
    enum class ReadyState { Closed, Opening, Open };

    // url: http(s):// or ws(s)://host:port; its query is added to options.engine.query.
    explicit Manager(const QUrl &url, ManagerOptions options = {}, QObject *parent = nullptr);
    ~Manager() override;

    // The socket of a namespace, made on first use (and connected, with autoConnect).
    Socket *socket(const QString &nsp = QStringLiteral("/"), const SocketOptions &options = {});
    bool hasSocket(const QString &nsp) const { return m_nsps.contains(nsp); }

    using OpenCallback = std::function<void(const QString &error)>;
    // Opens the connection; done runs with an empty error once open, or with the error.
    void open(OpenCallback done = {});
    // Closes the connection for good (no reconnection), as socket.io-client's disconnect().
    void close();

    ReadyState readyState() const { return m_readyState; }
    bool isReconnecting() const { return m_reconnecting; }
    EngineClient *engine() const { return m_engine; }
    const ManagerOptions &options() const { return m_options; }
    QUrl url() const { return m_url; }
    void setReconnection(bool enabled);
    void setReconnectionAttempts(int attempts) { m_options.reconnectionAttempts = attempts; }
    void setReconnectionDelay(int ms);
    void setReconnectionDelayMax(int ms);
    void setRandomizationFactor(double factor);
    void setTimeout(int ms) { m_options.timeout = ms; }

    // For Socket.
    void sendPacket(const SocketIO::Packet &packet, bool compress = true);
    // A socket was destroyed: the connection closes once no socket is active.
    void onSocketDestroyed(Socket *socket);

Q_SIGNALS:
    void opened();
    // "xhr poll error", "websocket error", "timeout", ...
    void errorOccurred(const QString &error, const QString &detail);
    void closed(const QString &reason, const QString &description);
    void pingReceived();
    void packetReceived(const Plugboard::SocketIO::Packet &packet);
    void upgraded(const QString &transport);
    void reconnectAttempt(int attempt);
    void reconnected(int attempt);
    void reconnectError(const QString &error);
    void reconnectFailed();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onOpen();
    void onOpenError(const QString &error, const QString &detail);
    void onEngineMessage(const EngineIO::Packet &packet);
    void onDecoded(const SocketIO::Packet &packet);
    void onClose(const QString &reason, const QString &description);
    void cleanup();
    void reconnect();
    void maybeReconnectOnOpen();

    QUrl m_url;
    ManagerOptions m_options;
    ReadyState m_readyState = ReadyState::Closed;
    QPointer<EngineClient> m_engine;
    QNetworkCookieJar *m_cookies = nullptr;
    SocketIO::Decoder m_decoder;
    QHash<QString, QPointer<Socket>> m_nsps;
    Backoff m_backoff;
    bool m_reconnecting = false;
    bool m_skipReconnect = false;
    OpenCallback m_openCallback;
    QBasicTimer m_openTimer;
    QBasicTimer m_reconnectTimer;
    QList<QMetaObject::Connection> m_subscriptions;
};

} // namespace Plugboard::Io
