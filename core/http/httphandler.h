#pragma once

#include <plugboard_core_export.h>

#include "httprequest.h"

class QTcpSocket;

namespace Plugboard {

class HttpConnection;

// Something mounted on the HTTP front: the engine, an API, static files.
class PLUGBOARD_CORE_EXPORT HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    // True when this handler serves the request's path.
    virtual bool matches(const HttpRequest &request) const = 0;
    // Must eventually call connection->respond(), possibly much later (long-polling).
    virtual void handleRequest(const HttpRequest &request, HttpConnection *connection) = 0;
    // An Upgrade request head; the socket still holds the raw handshake bytes unread.
    // The handler takes ownership of the socket.
    virtual void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) = 0;
    // The largest request body this handler accepts for that request.
    virtual qsizetype maxBodySize() const { return 1000000; }
};

} // namespace Plugboard
