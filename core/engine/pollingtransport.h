#pragma once

#include "engineoptions.h"
#include "transport.h"

#include <QtCore/QPointer>

#include <functional>

namespace Plugboard {

class HttpConnection;
struct HttpRequest;
struct HttpResponse;

// HTTP long-polling: a held GET carries packets to the client, POSTs carry them to the server.
class PollingTransport : public Transport
{
    Q_OBJECT

public:
    // Adds what the server puts on every transport response (CORS, middleware and hook headers).
    using ResponseFinisher = std::function<void(const HttpRequest &request, HttpResponse &response)>;

    PollingTransport(const EngineOptions &options, ResponseFinisher finish, QObject *parent = nullptr);
    ~PollingTransport() override;

    QString name() const override { return QStringLiteral("polling"); }
    bool isWritable() const override;
    void send(const QList<OutgoingPacket> &packets) override;
    qint64 bufferedBytes() const override { return 0; }
    void close() override;

    // Engine.IO v3 (allowEIO3) speaks other payloads; supportsBinary picks their binary form.
    void setProtocol(int version, bool supportsBinary);

    // A GET (receive) or POST (send) for this session.
    void handleRequest(const HttpRequest &request, HttpConnection *connection);
    // After an upgrade: a waiting GET gets a noop, later requests are refused by the server.
    void discard();

private:
    void handleGet(const HttpRequest &request, HttpConnection *connection);
    void handlePost(const HttpRequest &request, HttpConnection *connection);
    void respond(HttpConnection *connection, const HttpRequest &request, HttpResponse response);
    void onGetAborted();

    qint64 m_maxHttpBufferSize;
    int m_protocol = 4;
    bool m_supportsBinary = true;
    EngineOptions::HttpCompressionOptions m_compression;
    ResponseFinisher m_finish;
    QPointer<HttpConnection> m_pendingGet;
    HttpRequest *m_pendingGetRequest = nullptr;
    bool m_postInProgress = false;
    bool m_closing = false;
    bool m_discarded = false;
};

} // namespace Plugboard
