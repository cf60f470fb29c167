#pragma once

#include <plugboard_core_export.h>

#include "../engine/closereason.h"
#include "../engine/outboundmessage.h"
#include "../protocol/siopacket.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QCborMap>
#include "smallmap.h"

#include <QtCore/QHash>
#include <QtCore/QStringList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Plugboard {

class EngineSocket;
class Server;
class Socket;

// One Engine.IO connection seen by the Socket.IO layer (Node's Client): decodes packets,
// multiplexes namespaces over the connection, and closes it if no namespace is joined within
// connectTimeout. Owned by the Server; deleted after its connection closes.
class PLUGBOARD_CORE_EXPORT Client : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)

public:
    Client(EngineSocket *engine, Server *server);
    ~Client() override;

    QString id() const { return m_id; }
    EngineSocket *engine() const { return m_engine; }
    Server *server() const { return m_server; }
    QList<Socket *> sockets() const { return m_sockets.values(); }

    void writePacket(const SocketIO::Packet &packet, bool isVolatile = false, bool compress = true);
    void write(const OutboundMessage &message, bool isVolatile = false);
    // Closes the Engine.IO connection ("forced close" for its sockets).
    void close();
    // Disconnects every namespace with a DISCONNECT packet, then closes the connection.
    void disconnectAll();

    // A Socket.IO v2 client (over Engine.IO v3, allowEIO3): joined to "/" without asking,
    // CONNECT answers carry no sid, connect errors are the bare message or data, and
    // namespaces carry their query ("/nsp?token=x"), which is the auth.
    bool isLegacy() const { return m_legacy; }
    // For Server: v2 clients are in "/" from the start, as Node does.
    void connectImplicitRoot();

    // For Namespace and Socket.
    void addSocket(Socket *socket);
    void removeSocket(Socket *socket);

Q_SIGNALS:
    void closed(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onMessage(const QByteArray &data, bool binary);
    void onDecoded(const SocketIO::Packet &packet);
    void onDecodeError(SocketIO::DecodeError error);
    void onEngineClosed(CloseReason reason, const QString &description);
    void connectNamespace(const QString &name, const QCborMap &auth);

    QString m_id;
    EngineSocket *m_engine;
    Server *m_server;
    SocketIO::Decoder m_decoder;
    SmallMap<QString, Socket *> m_sockets; // by namespace name
    QStringList m_connecting;              // namespaces running their middlewares
    QBasicTimer m_connectTimer;
    bool m_closed = false;
    bool m_legacy = false;
};

} // namespace Plugboard
