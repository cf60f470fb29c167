#pragma once

// Minimal Engine.IO v4 / Socket.IO v5 clients for the sio tests: they speak the wire format
// by hand so that tests can check frames byte for byte and send malformed ones.
//
// RawClient: one WebSocket (`/socket.io/?EIO=4&transport=websocket`). It answers pings unless
// told not to, and queues every Engine.IO message frame as received: text ones with their
// leading '4' ("40{...}", "42[...]"), binary ones as raw bytes. Frames are sent as given.
// PollingClient: HTTP long-polling with QNetworkAccessManager, for what only polling shows
// (whether a GET is pending decides volatile delivery).

#include <QtCore/QByteArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <memory>
#include <optional>

namespace SioTest {

constexpr int WaitMs = 5000;

struct Message
{
    bool binary = false;
    QByteArray data;

    bool operator==(const Message &other) const { return binary == other.binary && data == other.data; }
};

inline char *toString(const Message &m)
{
    return QTest::toString((m.binary ? QByteArray("<binary>") : QByteArray("<text>")) + m.data);
}

class RawClient
{
    Q_DISABLE_COPY_MOVE(RawClient)

public:
    explicit RawClient(quint16 port, const QByteArray &query = {})
        : m_url(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket%2")
                    .arg(port)
                    .arg(QString::fromLatin1(query)))
    {
        QObject::connect(&m_ws, &QWebSocket::textMessageReceived, &m_context, [this](const QString &text) {
            const QByteArray frame = text.toUtf8();
            engineFrames.append(frame);
            if (frame == "2") {
                ++pingsReceived;
                if (autoPong)
                    m_ws.sendTextMessage(QStringLiteral("3"));
            } else if (frame.startsWith('0')) {
                handshake = QJsonDocument::fromJson(frame.mid(1)).object();
            } else if (frame.startsWith('4')) {
                queue.append({false, frame});
            }
        });
        QObject::connect(&m_ws, &QWebSocket::binaryMessageReceived, &m_context,
                         [this](const QByteArray &bytes) { queue.append({true, bytes}); });
        QObject::connect(&m_ws, &QWebSocket::disconnected, &m_context, [this] { m_closed = true; });
    }

    // Opens the WebSocket and waits for the Engine.IO open packet.
    bool open(int timeoutMs = WaitMs)
    {
        m_ws.open(QUrl(m_url));
        return QTest::qWaitFor([this] { return !handshake.isEmpty() || m_closed; }, timeoutMs) && !handshake.isEmpty();
    }

    QString engineSid() const { return handshake.value(QLatin1String("sid")).toString(); }

    // Sends one text frame as is ("40", "42[\"ev\"]", "3").
    void send(const QByteArray &frame) { m_ws.sendTextMessage(QString::fromUtf8(frame)); }
    void sendBinary(const QByteArray &bytes) { m_ws.sendBinaryMessage(bytes); }
    void send(const Message &m) { m.binary ? sendBinary(m.data) : send(m.data); }

    // The next message, waiting for it if needed (not past the connection's end).
    std::optional<Message> next(int timeoutMs = WaitMs)
    {
        (void)QTest::qWaitFor([this] { return !queue.isEmpty() || m_closed; }, timeoutMs);
        if (queue.isEmpty())
            return std::nullopt;
        return queue.takeFirst();
    }
    // The next message if it is text, else an empty array (compare it with the frame expected).
    QByteArray nextText(int timeoutMs = WaitMs)
    {
        const std::optional<Message> m = next(timeoutMs);
        return m && !m->binary ? m->data : QByteArray();
    }
    // Waits for a text message starting with prefix, skipping others; empty on timeout.
    QByteArray waitFor(const QByteArray &prefix, int timeoutMs = WaitMs)
    {
        QByteArray found;
        (void)QTest::qWaitFor([&] {
            for (qsizetype i = 0; i < queue.size(); ++i) {
                if (!queue.at(i).binary && queue.at(i).data.startsWith(prefix)) {
                    found = queue.takeAt(i).data;
                    return true;
                }
            }
            return false;
        }, timeoutMs);
        return found;
    }

    // Joins a namespace: sends CONNECT with auth (a JSON object, or nothing), returns the
    // socket id from the reply, or an empty string (reply kept in lastConnectReply).
    QString connect(const QByteArray &nsp = "/", const QByteArray &auth = {})
    {
        const QByteArray prefix = nsp == "/" ? QByteArray("40") : QByteArray("40" + nsp + ",");
        const QByteArray frame = prefix + auth;
        send(frame);
        lastConnectReply = nextText();
        const QByteArray expected = prefix + "{";
        if (!lastConnectReply.startsWith(expected))
            return {};
        return QJsonDocument::fromJson(lastConnectReply.mid(prefix.size())).object().value(QLatin1String("sid")).toString();
    }

    bool waitClosed(int timeoutMs = WaitMs)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }
    bool isClosed() const { return m_closed; }
    void close() { m_ws.close(); }
    void abort() { m_ws.abort(); }
    QWebSocket &webSocket() { return m_ws; }

    bool autoPong = true;
    int pingsReceived = 0;
    QJsonObject handshake;
    QList<Message> queue;
    QByteArrayList engineFrames;
    QByteArray lastConnectReply;

private:
    QString m_url;
    QWebSocket m_ws;
    bool m_closed = false;
    QObject m_context; // last: destroyed first, so no slot runs on a half-destroyed client
};

// One Engine.IO session over HTTP long-polling.
class PollingClient
{
    Q_DISABLE_COPY_MOVE(PollingClient)

public:
    explicit PollingClient(quint16 port) : m_port(port) {}

    bool handshake()
    {
        const QByteArray body = get();
        if (!body.startsWith('0'))
            return false;
        sid = QJsonDocument::fromJson(body.mid(1)).object().value(QLatin1String("sid")).toString();
        return !sid.isEmpty();
    }
    // POSTs a payload (packets joined by \x1e); true when answered "ok".
    bool post(const QByteArray &payload)
    {
        QNetworkRequest request(url());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("text/plain;charset=UTF-8"));
        std::unique_ptr<QNetworkReply> reply(m_nam.post(request, payload));
        return waitReply(reply.get()) && reply->readAll() == "ok";
    }
    // Starts a GET that the server may hold.
    QNetworkReply *startGet() { return m_nam.get(QNetworkRequest(url())); }
    // Waits for a GET and returns its body (empty on timeout or error).
    QByteArray finish(QNetworkReply *rawReply, int timeoutMs = WaitMs)
    {
        std::unique_ptr<QNetworkReply> reply(rawReply);
        if (!waitReply(reply.get(), timeoutMs) || reply->error() != QNetworkReply::NoError)
            return {};
        return reply->readAll();
    }
    QByteArray get(int timeoutMs = WaitMs) { return finish(startGet(), timeoutMs); }

    QString sid;

private:
    QUrl url() const
    {
        QString text = QStringLiteral("http://127.0.0.1:%1/socket.io/?EIO=4&transport=polling").arg(m_port);
        if (!sid.isEmpty())
            text += QStringLiteral("&sid=") + sid;
        return QUrl(text);
    }
    static bool waitReply(QNetworkReply *reply, int timeoutMs = WaitMs)
    {
        return QTest::qWaitFor([reply] { return reply->isFinished(); }, timeoutMs);
    }

    quint16 m_port;
    QNetworkAccessManager m_nam;
};

} // namespace SioTest
