#include "client.h"

#include "../engine/enginesocket.h"
#include "../logging.h"
#include "namespace.h"
#include "server.h"
#include "socket.h"

#include <QtCore/QTimerEvent>
#include <QtCore/QUrlQuery>

namespace Plugboard {

Client::Client(EngineSocket *engine, Server *server)
    : QObject(server), m_id(engine->id()), m_engine(engine), m_server(server),
      m_decoder(server->options().maxAttachments, server->options().parser)
{
    m_legacy = engine->protocolVersion() == 3;
    connect(engine, &EngineSocket::messageReceived, this, &Client::onMessage);
    connect(engine, &EngineSocket::closed, this, &Client::onEngineClosed);
    m_connectTimer.start(server->options().connectTimeout, this);
}

Client::~Client() = default;

void Client::writePacket(const SocketIO::Packet &packet, bool isVolatile, bool compress)
{
    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet, m_server->options().parser);
    OutboundMessage message(encoded.text, encoded.attachments);
    message.setCompressible(compress);
    write(message, isVolatile);
}

void Client::write(const OutboundMessage &message, bool isVolatile)
{
    if (m_closed || !m_engine || m_engine->state() != EngineSocket::State::Open)
        return;
    if (isVolatile)
        m_engine->sendVolatile(message);
    else
        m_engine->send(message);
}

void Client::close()
{
    if (m_engine && m_engine->state() == EngineSocket::State::Open)
        m_engine->close(CloseReason::ForcedClose);
}

void Client::disconnectAll()
{
    const auto sockets = m_sockets.values();
    for (Socket *socket : sockets)
        socket->disconnect(false);
    close();
}

void Client::addSocket(Socket *socket)
{
    m_sockets.insert(socket->nsp()->name(), socket);
    m_connecting.removeAll(socket->nsp()->name());
    m_connectTimer.stop();
}

void Client::removeSocket(Socket *socket)
{
    // A refused CONNECT may be retried (socket.io-client does after connect_error).
    m_connecting.removeAll(socket->nsp()->name());
    if (m_sockets.value(socket->nsp()->name()) == socket)
        m_sockets.remove(socket->nsp()->name());
}

void Client::onMessage(const QByteArray &data, bool binary)
{
    const SocketIO::Decoder::Result result = binary ? m_decoder.addBinary(data) : m_decoder.addText(data);
    switch (result.status) {
    case SocketIO::Decoder::Status::NeedMore:
        return;
    case SocketIO::Decoder::Status::Error:
        onDecodeError(result.error);
        return;
    case SocketIO::Decoder::Status::Complete:
        onDecoded(result.packet);
        return;
    }
}

void Client::onDecodeError(SocketIO::DecodeError error)
{
    qCDebug(lcServer) << "client" << m_id << "sent an invalid packet:" << SocketIO::decodeErrorMessage(error);
    close();
}

void Client::connectImplicitRoot()
{
    if (m_legacy && !m_sockets.contains(QStringLiteral("/")))
        connectNamespace(QStringLiteral("/"), {});
}

void Client::onDecoded(const SocketIO::Packet &decoded)
{
    // v2 clients: Node's url.parse(packet.nsp, true): the path is the namespace, the query the
    // auth. Only a namespace with a query needs a copy of the packet.
    SocketIO::Packet withoutQuery;
    QCborMap legacyAuth;
    const qsizetype question = m_legacy ? decoded.nsp.indexOf(u'?') : -1;
    if (question >= 0) {
        withoutQuery = decoded;
        withoutQuery.nsp = decoded.nsp.first(question);
        const QUrlQuery query(decoded.nsp.sliced(question + 1));
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
            legacyAuth.insert(key, value);
    }
    const SocketIO::Packet &packet = question >= 0 ? withoutQuery : decoded;
    Socket *socket = m_sockets.value(packet.nsp);
    if (!socket && packet.type == SocketIO::PacketType::Connect) {
        if (m_connecting.contains(packet.nsp)) {
            close();
            return;
        }
        connectNamespace(packet.nsp, m_legacy ? legacyAuth : packet.data.toMap());
    } else if (socket && packet.type != SocketIO::PacketType::Connect
               && packet.type != SocketIO::PacketType::ConnectError) {
        socket->onPacket(packet);
    } else {
        // A packet for a namespace not joined, or a second CONNECT (Node closes too).
        qCDebug(lcServer) << "client" << m_id << "invalid state for packet type" << int(packet.type);
        close();
    }
}

void Client::connectNamespace(const QString &name, const QCborMap &auth)
{
    Namespace *nsp = m_server->namespaceFor(name, auth);
    if (!nsp) {
        QCborMap error;
        error.insert(QStringLiteral("message"), QStringLiteral("Invalid namespace"));
        writePacket({SocketIO::PacketType::ConnectError, name, SocketIO::NoAckId, error});
        return;
    }
    m_connecting.append(name);
    nsp->addClient(this, auth);
}

void Client::onEngineClosed(CloseReason reason, const QString &description)
{
    if (m_closed)
        return;
    m_closed = true;
    m_connectTimer.stop();
    const QString text = closeReasonText(reason);
    const auto sockets = m_sockets.values();
    for (Socket *socket : sockets)
        socket->onClose(text);
    m_sockets.clear();
    m_engine = nullptr;
    Q_EMIT closed(text);
    deleteLater();
}

void Client::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimer.timerId())
        return QObject::timerEvent(event);
    m_connectTimer.stop();
    if (m_sockets.isEmpty()) {
        qCDebug(lcServer) << "client" << m_id << "joined no namespace in time; closing";
        close();
    }
}

} // namespace Plugboard
