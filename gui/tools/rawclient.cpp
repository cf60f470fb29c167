#include "rawclient.h"

#include <QtCore/QUrlQuery>
#include <QtWebSockets/QWebSocket>

namespace Plugboard {

namespace {

constexpr int TickMs = 10;

} // namespace

RawClientPool::RawClientPool(const QUrl &serverUrl, int count, QObject *parent)
    : QObject(parent), m_url(serverUrl), m_count(count)
{
    m_url.setScheme(QStringLiteral("ws"));
    m_url.setPath(QStringLiteral("/socket.io/"));
    m_url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    m_ticker.setTimerType(Qt::PreciseTimer);
    m_ticker.setInterval(TickMs);
    connect(&m_ticker, &QTimer::timeout, this, &RawClientPool::tick);
}

RawClientPool::~RawClientPool()
{
    qDeleteAll(m_sockets);
}

void RawClientPool::connectAll(int maxPending)
{
    m_maxPending = maxPending;
    openNext();
}

void RawClientPool::openNext()
{
    while (m_opened < m_count && m_pending < m_maxPending) {
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_sockets.append(socket);
        ++m_opened;
        ++m_pending;
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &message) { onMessage(socket, message); });
        const auto fail = [this, socket] {
            if (socket->property("settled").toBool())
                return;
            socket->setProperty("settled", true);
            --m_pending;
            ++m_failed;
            if (m_connected + m_failed == m_count)
                Q_EMIT allConnected();
            openNext();
        };
        connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, fail);
        connect(socket, &QWebSocket::disconnected, this, fail);
        socket->open(m_url);
    }
}

void RawClientPool::onMessage(QWebSocket *socket, const QString &message)
{
    if (message.isEmpty())
        return;
    switch (message.at(0).unicode()) {
    case '0': // Engine.IO open: connect to the main namespace
        socket->sendTextMessage(QStringLiteral("40"));
        return;
    case '2': // ping
        socket->sendTextMessage(QStringLiteral("3"));
        return;
    case '4':
        if (message.startsWith(QLatin1String("40")) && !socket->property("settled").toBool()) {
            socket->setProperty("settled", true);
            --m_pending;
            ++m_connected;
            m_ready.append(socket);
            if (m_connected + m_failed == m_count)
                Q_EMIT allConnected();
            openNext();
        }
        return;
    default:
        return;
    }
}

void RawClientPool::setEventRate(int eventsPerSecond)
{
    m_perTick = eventsPerSecond * TickMs / 1000;
    if (m_perTick > 0)
        m_ticker.start();
    else
        m_ticker.stop();
}

void RawClientPool::tick()
{
    if (m_ready.isEmpty())
        return;
    for (int i = 0; i < m_perTick; ++i) {
        QWebSocket *socket = m_ready.at(m_cursor++ % m_ready.size());
        socket->sendTextMessage(QStringLiteral("42[\"bench\",{\"n\":%1,\"payload\":\"lorem ipsum dolor\"}]").arg(m_sent++));
    }
}

} // namespace Plugboard
