#pragma once

#include <plugboard_client_export.h>

#include "../http/httprequest.h"
#include "../protocol/enginepacket.h"
#include "clientoptions.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkCookieJar>



namespace Plugboard::Io {

// What every transport of one Engine.IO client connection shares.
struct PLUGBOARD_CLIENT_EXPORT TransportContext
{
    QUrl url; // the server, http:// or https://
    EngineClientOptions options;
    // Set with withCredentials. The Manager owns the jar; a transport finishing its close packet
    // may outlive it.
    QPointer<QNetworkCookieJar> cookies;
};

// One client transport (polling or WebSocket), as engine.io-client's Transport.
class PLUGBOARD_CLIENT_EXPORT EngineTransport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineTransport)

public:
    EngineTransport(const TransportContext &context, QObject *parent) : QObject(parent), m_context(context) {}

    virtual QString name() const = 0;
    virtual void open() = 0;
    virtual void send(const QList<EngineIO::Packet> &packets) = 0;
    // Stops taking part once nothing is in flight, for an upgrade (polling waits for its
    // request and its write to end); onPaused runs then.
    virtual void pause(std::function<void()> onPaused) { onPaused(); }
    // Ends the transport (polling sends a close packet first); it deletes itself when done.
    virtual void closeAndDelete() = 0;
    bool isWritable() const { return m_writable; }
    void setSessionId(const QString &sid) { m_sid = sid; }

Q_SIGNALS:
    void opened();
    void packetReceived(const Plugboard::EngineIO::Packet &packet);
    // The last send() is done: the transport takes more.
    void drained();
    // description: engine.io-client's ("xhr poll error", "websocket error"); detail: why.
    void failed(const QString &description, const QString &detail);
    // The server ended the transport.
    void closed(const QString &detail);

protected:
    // The transport's URL: the user's query, then EIO, transport, sid and, for polling, t.
    QUrl uri(bool webSocket) const;
    QList<HttpHeader> requestHeaders(const QUrl &url) const;
    void storeCookies(const QList<QByteArray> &setCookieHeaders, const QUrl &url) const;

    TransportContext m_context;
    QString m_sid;
    bool m_writable = false;
};

} // namespace Plugboard::Io
