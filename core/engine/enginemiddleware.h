#pragma once

#include "../http/httprequest.h"
#include "../http/httpresponse.h"

#include <functional>
#include <optional>

namespace Plugboard {

// Node's engine.use() continuation: next(std::nullopt) goes on to the next middleware and then
// to the request itself; next(response) refuses the request with that answer (Node's
// res.writeHead + res.end), which also carries the headers set so far.
using EngineNext = std::function<void(std::optional<HttpResponse> refusal)>;

// Runs on every Engine.IO HTTP request (handshake, poll, POST, WebSocket upgrade) before it is
// verified. Headers set on `response` go on whatever answers the request (except the 101 of a
// WebSocket upgrade, which QtWebSockets writes itself); `request.attributes`
// may carry values for the application. Both stay valid until next is called, which may be
// later.
using EngineMiddleware
    = std::function<void(HttpRequest &request, HttpResponse &response, const EngineNext &next)>;

// Node's "initial_headers" and "headers" events: adds headers to the response of a handshake
// (initial) or of every transport response (polling answers; not yet the WebSocket 101, which
// QtWebSockets writes itself).
using EngineHeadersHook = std::function<void(QList<HttpHeader> &headers, const HttpRequest &request)>;

} // namespace Plugboard
