#include "pollingclienttransport.h"

#include "httpclientconnection.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Plugboard::Io {

static HttpClientConnection::Endpoint endpointOf(const TransportContext &context)
{
    HttpClientConnection::Endpoint endpoint;
    endpoint.secure = context.url.scheme() == QLatin1String("https");
    endpoint.host = context.url.host();
    endpoint.port = quint16(context.url.port(endpoint.secure ? 443 : 80));
    endpoint.ssl = context.options.sslConfiguration;
    endpoint.rejectUnauthorized = context.options.rejectUnauthorized;
    return endpoint;
}

static QString statusDetail(const HttpResponseHead &response)
{
    QString detail = QStringLiteral("HTTP %1").arg(response.status);
    if (!response.body.isEmpty())
        detail += QLatin1String(": ") + QString::fromUtf8(response.body.left(200));
    return detail;
}

PollingClientTransport::PollingClientTransport(const TransportContext &context, QObject *parent)
    : EngineTransport(context, parent),
      m_get(new HttpClientConnection(endpointOf(context), context.options.maxIncomingBytes, this)),
      m_post(new HttpClientConnection(endpointOf(context), context.options.maxIncomingBytes, this))
{
    connect(m_get, &HttpClientConnection::responseReceived, this, &PollingClientTransport::onPollResponse);
    connect(m_get, &HttpClientConnection::failed, this, [this](const QString &error) {
        m_polling = false;
        Q_EMIT failed(QStringLiteral("xhr poll error"), error);
    });
    connect(m_post, &HttpClientConnection::responseReceived, this, &PollingClientTransport::onPostResponse);
    connect(m_post, &HttpClientConnection::failed, this, [this](const QString &error) {
        if (m_closing) {
            deleteLater();
            return;
        }
        Q_EMIT failed(QStringLiteral("xhr post error"), error);
    });
}

QByteArray PollingClientTransport::target(const QUrl &url) const
{
    return url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
}

void PollingClientTransport::open()
{
    m_state = State::Opening;
    poll();
}

void PollingClientTransport::poll()
{
    m_polling = true;
    const QUrl url = uri(false);
    m_get->request("GET", target(url), requestHeaders(url));
}

void PollingClientTransport::onPollResponse(const HttpResponseHead &response)
{
    m_polling = false;
    const QUrl url = m_context.url;
    storeCookies(response.headerValues("set-cookie"), url);
    if (response.status != 200) {
        Q_EMIT failed(QStringLiteral("xhr poll error"), statusDetail(response));
        return;
    }
    const std::optional<QList<EngineIO::Packet>> packets = EngineIO::decodePayload(response.body);
    if (!packets) {
        Q_EMIT failed(QStringLiteral("parse error"), QStringLiteral("the server sent a malformed polling payload"));
        return;
    }
    QPointer<PollingClientTransport> self(this);
    for (const EngineIO::Packet &packet : *packets) {
        if (m_state == State::Opening && packet.type == EngineIO::PacketType::Open) {
            m_state = State::Open;
            m_writable = true;
            Q_EMIT opened();
            if (!self)
                return;
        }
        if (packet.type == EngineIO::PacketType::Close) {
            m_state = State::Closed;
            Q_EMIT closed(QStringLiteral("transport closed by the server"));
            return;
        }
        Q_EMIT packetReceived(packet);
        if (!self || m_state == State::Closed)
            return;
    }
    if (m_state == State::Pausing)
        checkPaused();
    else if (m_state == State::Open)
        poll();
}

void PollingClientTransport::send(const QList<EngineIO::Packet> &packets)
{
    m_writable = false;
    post(packets);
}

void PollingClientTransport::post(const QList<EngineIO::Packet> &packets)
{
    const QUrl url = uri(false);
    QList<HttpHeader> headers = requestHeaders(url);
    headers.append(HttpHeader{"content-type", "text/plain;charset=UTF-8"});
    m_post->request("POST", target(url), headers, EngineIO::encodePayload(packets));
}

void PollingClientTransport::onPostResponse(const HttpResponseHead &response)
{
    if (m_closing) {
        sendClosePacket();
        return;
    }
    storeCookies(response.headerValues("set-cookie"), m_context.url);
    if (response.status != 200) {
        Q_EMIT failed(QStringLiteral("xhr post error"), statusDetail(response));
        return;
    }
    m_writable = true;
    QPointer<PollingClientTransport> self(this);
    Q_EMIT drained();
    if (self && m_state == State::Pausing)
        checkPaused();
}

void PollingClientTransport::pause(std::function<void()> onPaused)
{
    m_state = State::Pausing;
    m_onPaused = std::move(onPaused);
    checkPaused();
}

void PollingClientTransport::checkPaused()
{
    if (m_polling || !m_writable)
        return;
    m_state = State::Paused;
    if (auto onPaused = std::exchange(m_onPaused, {}))
        onPaused();
}

void PollingClientTransport::closeAndDelete()
{
    disconnect(this, nullptr, nullptr, nullptr);
    m_get->abort();
    const bool sendClose = m_state == State::Open || m_state == State::Pausing;
    m_state = State::Closed;
    m_closing = true;
    if (!sendClose) {
        deleteLater();
        return;
    }
    // The server may never answer: the close packet gets a few seconds, then it is dropped.
    QTimer::singleShot(5000, this, &QObject::deleteLater);
    if (!m_post->isBusy())
        sendClosePacket();
}

void PollingClientTransport::sendClosePacket()
{
    if (m_sid.isEmpty()) {
        deleteLater();
        return;
    }
    if (m_post->isBusy())
        return; // sent once the POST in flight is answered
    disconnect(m_post, &HttpClientConnection::responseReceived, this, nullptr);
    connect(m_post, &HttpClientConnection::responseReceived, this, &QObject::deleteLater);
    post({{EngineIO::PacketType::Close, {}, false}});
}

} // namespace Plugboard::Io
