#include "manager.h"

#include "clientsocket.h"
#include "engineclient.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimerEvent>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkCookieJar>

namespace Plugboard::Io {

Manager::Manager(const QUrl &url, ManagerOptions options, QObject *parent)
    : QObject(parent),
      m_url(url),
      m_options(std::move(options)),
      m_decoder(SocketIO::DefaultMaxAttachments, m_options.parser),
      m_backoff(m_options.reconnectionDelay, m_options.reconnectionDelayMax, m_options.randomizationFactor)
{
    const QUrlQuery urlQuery(url);
    QList<QPair<QString, QString>> query = urlQuery.queryItems(QUrl::FullyDecoded);
    query.append(m_options.engine.query);
    m_options.engine.query = query;
    m_url.setQuery(QString());
    m_url.setPath(QString());
    m_url.setFragment(QString());
    if (m_options.engine.withCredentials)
        m_cookies = new QNetworkCookieJar(this);
    if (m_options.autoConnect)
        open();
}

Manager::~Manager()
{
    m_skipReconnect = true;
    cleanup();
    delete m_engine;
}

Socket *Manager::socket(const QString &nsp, const SocketOptions &options)
{
    const QString name = nsp.isEmpty() ? QStringLiteral("/") : nsp;
    QPointer<Socket> &socket = m_nsps[name];
    if (!socket)
        socket = new Socket(this, name, options);
    else if (m_options.autoConnect && !socket->isActive())
        socket->connect();
    return socket;
}

void Manager::setReconnection(bool enabled)
{
    m_options.reconnection = enabled;
    if (!enabled)
        m_skipReconnect = true;
}

void Manager::setReconnectionDelay(int ms)
{
    m_options.reconnectionDelay = ms;
    m_backoff.setMin(ms);
}

void Manager::setReconnectionDelayMax(int ms)
{
    m_options.reconnectionDelayMax = ms;
    m_backoff.setMax(ms);
}

void Manager::setRandomizationFactor(double factor)
{
    m_options.randomizationFactor = factor;
    m_backoff.setJitter(factor);
}

void Manager::open(OpenCallback done)
{
    if (m_readyState != ReadyState::Closed)
        return;
    if (m_engine)
        m_engine->deleteLater();
    m_engine = new EngineClient(m_url, m_options.engine, m_cookies, this);
    m_readyState = ReadyState::Opening;
    m_skipReconnect = false;
    m_openCallback = std::move(done);
    EngineClient *engine = m_engine;
    m_subscriptions.append(QObject::connect(engine, &EngineClient::opened, this, [this] {
        onOpen();
        if (OpenCallback callback = std::exchange(m_openCallback, {}))
            callback(QString());
    }));
    m_subscriptions.append(QObject::connect(engine, &EngineClient::errorOccurred, this, &Manager::onOpenError));
    // Closed before the handshake without an error (a server that hangs up): the same failure.
    m_subscriptions.append(QObject::connect(engine, &EngineClient::closed, this, &Manager::onOpenError));
    if (m_options.timeout > 0)
        m_openTimer.start(m_options.timeout, this);
    engine->open();
}

void Manager::onOpenError(const QString &error, const QString &detail)
{
    cleanup();
    m_readyState = ReadyState::Closed;
    if (m_engine) {
        m_engine->disconnect(this);
        m_engine->close();
        m_engine->deleteLater();
        m_engine = nullptr;
    }
    QPointer<Manager> self(this);
    Q_EMIT errorOccurred(error, detail);
    if (!self)
        return;
    if (OpenCallback callback = std::exchange(m_openCallback, {}))
        callback(error);
    else
        maybeReconnectOnOpen();
}

void Manager::onOpen()
{
    cleanup();
    m_readyState = ReadyState::Open;
    EngineClient *engine = m_engine;
    m_subscriptions.append(QObject::connect(engine, &EngineClient::pingReceived, this, &Manager::pingReceived));
    m_subscriptions.append(QObject::connect(engine, &EngineClient::messageReceived, this, &Manager::onEngineMessage));
    m_subscriptions.append(QObject::connect(engine, &EngineClient::errorOccurred, this, &Manager::errorOccurred));
    m_subscriptions.append(QObject::connect(engine, &EngineClient::closed, this, &Manager::onClose));
    m_subscriptions.append(QObject::connect(engine, &EngineClient::upgraded, this, &Manager::upgraded));
    Q_EMIT opened();
}

void Manager::onEngineMessage(const EngineIO::Packet &packet)
{
    const SocketIO::Decoder::Result result = packet.binary ? m_decoder.addBinary(packet.data)
                                                           : m_decoder.addText(packet.data);
    if (result.status == SocketIO::Decoder::Status::Error) {
        onClose(QStringLiteral("parse error"), QString::fromLatin1(SocketIO::decodeErrorMessage(result.error)));
        return;
    }
    if (result.status == SocketIO::Decoder::Status::Complete)
        onDecoded(result.packet);
}

void Manager::onDecoded(const SocketIO::Packet &packet)
{
    QPointer<Manager> self(this);
    Q_EMIT packetReceived(packet);
    if (!self)
        return;
    const QPointer<Socket> socket = m_nsps.value(packet.nsp);
    if (socket && socket->isActive())
        socket->onPacket(packet);
}

void Manager::sendPacket(const SocketIO::Packet &packet, bool compress)
{
    if (!m_engine)
        return;
    const SocketIO::EncodedPacket encoded = SocketIO::encode(packet, m_options.parser);
    QList<EngineIO::Packet> packets;
    packets.reserve(1 + encoded.attachments.size());
    if (!encoded.text.isEmpty())
        packets.append({EngineIO::PacketType::Message, encoded.text, false});
    for (const QByteArray &attachment : encoded.attachments)
        packets.append({EngineIO::PacketType::Message, attachment, true});
    m_engine->send(packets);
}

void Manager::onSocketDestroyed(Socket *socket)
{
    for (const QPointer<Socket> &other : std::as_const(m_nsps)) {
        if (other && other != socket && other->isActive())
            return;
    }
    close();
}

void Manager::close()
{
    m_skipReconnect = true;
    m_reconnecting = false;
    m_reconnectTimer.stop();
    onClose(QStringLiteral("forced close"), {});
}

void Manager::cleanup()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_subscriptions))
        QObject::disconnect(connection);
    m_subscriptions.clear();
    m_openTimer.stop();
    m_decoder = SocketIO::Decoder(SocketIO::DefaultMaxAttachments, m_options.parser);
}

void Manager::onClose(const QString &reason, const QString &description)
{
    cleanup();
    if (m_engine) {
        m_engine->close();
        m_engine->deleteLater();
        m_engine = nullptr;
    }
    m_backoff.reset();
    m_readyState = ReadyState::Closed;
    m_openCallback = {};
    QPointer<Manager> self(this);
    Q_EMIT closed(reason, description);
    if (self && m_options.reconnection && !m_skipReconnect)
        reconnect();
}

void Manager::reconnect()
{
    if (m_reconnecting || m_skipReconnect)
        return;
    if (m_backoff.attempts() >= m_options.reconnectionAttempts) {
        m_backoff.reset();
        m_reconnecting = false;
        Q_EMIT reconnectFailed();
        return;
    }
    const int delay = m_backoff.duration(QRandomGenerator::global()->generateDouble());
    m_reconnecting = true;
    m_reconnectTimer.start(delay, this);
}

void Manager::maybeReconnectOnOpen()
{
    if (!m_reconnecting && m_options.reconnection && m_backoff.attempts() == 0)
        reconnect();
}

void Manager::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_openTimer.timerId()) {
        m_openTimer.stop();
        if (m_readyState == ReadyState::Opening)
            onOpenError(QStringLiteral("timeout"), QStringLiteral("no handshake within %1 ms").arg(m_options.timeout));
        return;
    }
    if (event->timerId() != m_reconnectTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_reconnectTimer.stop();
    if (m_skipReconnect)
        return;
    QPointer<Manager> self(this);
    Q_EMIT reconnectAttempt(m_backoff.attempts());
    if (!self || m_skipReconnect)
        return;
    open([this](const QString &error) {
        if (!error.isEmpty()) {
            m_reconnecting = false;
            reconnect();
            Q_EMIT reconnectError(error);
            return;
        }
        const int attempt = m_backoff.attempts();
        m_reconnecting = false;
        m_backoff.reset();
        Q_EMIT reconnected(attempt);
    });
}

} // namespace Plugboard::Io
