#include "engineserver.h"

#include "../http/cors.h"
#include "../http/httpconnection.h"
#include "../http/httpserver.h"
#include "../logging.h"
#include "../protocol/jsoncodec.h"
#include "../protocol/websockethandshake.h"
#include "enginesocket.h"
#include "pollingtransport.h"
#include "protocolversion.h"
#include "sessionid.h"
#include "nativewebsockettransport.h"
#include "websockettransport.h"
#include "writecoalescer.h"

#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

namespace Plugboard {

using EngineIO::RequestError;

EngineServer::EngineServer(const EngineOptions &options, QObject *parent)
    : QObject(parent), m_options(options),
      m_webSocketServer(new QWebSocketServer(QStringLiteral("Plugboard"),
                                             QWebSocketServer::NonSecureMode, this)),
      m_writeCoalescer(new WriteCoalescer(this))
{
    m_path = m_options.path;
    while (m_path.endsWith(QLatin1Char('/')))
        m_path.chop(1);
    m_path += QLatin1Char('/');
    m_webSocketServer->setHandshakeTimeout(std::chrono::milliseconds(10000));
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
            &EngineServer::onWebSocketConnection);
    if (m_options.perMessageDeflate.enabled && m_options.wsEngine != EngineOptions::WebSocketEngine::Native)
        qCWarning(lcEngine) << "perMessageDeflate needs wsEngine Native (QtWebSockets cannot negotiate"
                               " permessage-deflate); WebSocket messages go uncompressed";
}

EngineServer::~EngineServer()
{
    for (EngineSocket *socket : std::as_const(m_sessions))
        disconnect(socket, nullptr, this, nullptr);
}

void EngineServer::attach(HttpServer *http)
{
    http->addHandler(this);
}

bool EngineServer::matches(const HttpRequest &request) const
{
    return QString::fromUtf8(request.path).startsWith(m_path)
        || QString::fromUtf8(request.path) + QLatin1Char('/') == m_path;
}

QString EngineServer::generateId()
{
    return generateSessionId();
}

EngineServer::Verdict EngineServer::verify(const HttpRequest &request, bool upgrade) const
{
    Verdict verdict;
    const QString transport = request.queryItem(u"transport");
    if (transport.isNull() || !m_options.transports.contains(transport)) {
        verdict = {false, RequestError::UnknownTransport, {}};
        return verdict;
    }
    const QString sid = request.queryItem(u"sid");
    if (!sid.isNull()) {
        EngineSocket *socket = m_sessions.value(sid);
        if (!socket)
            return {false, RequestError::UnknownSid, {}};
        if (!upgrade && socket->transportName() != transport)
            return {false, RequestError::BadRequest, {}};
        return verdict;
    }
    if (request.method != "GET")
        return {false, RequestError::BadHandshakeMethod, {}};
    if (transport == QLatin1String("websocket") && !upgrade)
        return {false, RequestError::BadRequest, {}};
    if (EngineIO::protocolOf(request) == 3 && !m_options.allowEIO3)
        return {false, RequestError::UnsupportedProtocolVersion, {}};
    if (m_options.allowRequest) {
        QString message;
        if (!m_options.allowRequest(request, &message))
            return {false, RequestError::Forbidden, message};
    }
    return verdict;
}

void EngineServer::respondError(const HttpRequest &request, HttpConnection *connection,
                                const Verdict &verdict)
{
    QByteArray body = EngineIO::errorBody(verdict.error);
    if (!verdict.message.isEmpty()) {
        body = QByteArray("{\"code\":") + QByteArray::number(int(verdict.error))
             + QByteArray(",\"message\":");
        Json::writeString(QStringView(verdict.message), body);
        body += '}';
    }
    HttpResponse response = HttpResponse::json(EngineIO::httpStatus(verdict.error), body);
    finishResponse(request, response);
    connection->respond(response);
    qCDebug(lcEngine) << "refused" << request.method << request.target << EngineIO::errorMessage(verdict.error);
    Q_EMIT connectionError(request, verdict.error,
                           verdict.message.isEmpty() ? QString::fromLatin1(EngineIO::errorMessage(verdict.error))
                                                     : verdict.message);
}

void EngineServer::handleRequest(const HttpRequest &request, HttpConnection *connection)
{
    if (isPreflight(request)) {
        if (m_options.cors)
            connection->respond(preflightResponse(*m_options.cors, request));
        else
            connection->respond(HttpResponse::text(400, "Bad Request"));
        return;
    }
    if (m_middleware.isEmpty()) {
        proceedWithRequest(request, connection);
        return;
    }
    QPointer<HttpConnection> guard(connection);
    runMiddleware(
        request, connection,
        [self = QPointer<EngineServer>(this), guard](const HttpRequest &prepared) {
            if (self && guard)
                self->proceedWithRequest(prepared, guard);
        },
        [guard](const HttpResponse &answer) {
            if (guard)
                guard->respond(answer);
        });
}

void EngineServer::proceedWithRequest(const HttpRequest &request, HttpConnection *connection)
{
    const Verdict verdict = verify(request, false);
    if (!verdict.ok) {
        respondError(request, connection, verdict);
        return;
    }
    const QString sid = request.queryItem(u"sid");
    if (sid.isNull()) {
        handshakePolling(request, connection);
        return;
    }
    m_sessions.value(sid)->handlePollingRequest(request, connection);
}

void EngineServer::registerSession(EngineSocket *socket)
{
    m_sessions.insert(socket->id(), socket);
    connect(socket, &EngineSocket::closed, this, [this, id = socket->id()] {
        if (m_sessions.remove(id) && m_sessions.isEmpty())
            Q_EMIT sessionsEnded();
    });
}

void EngineServer::handshakePolling(const HttpRequest &request, HttpConnection *connection)
{
    auto *transport = new PollingTransport(m_options, [this](const HttpRequest &r, HttpResponse &response) {
        finishTransportResponse(r, response);
    });
    // Node: supportsBinary = !req._query.b64, for v3's binary payloads.
    transport->setProtocol(EngineIO::protocolOf(request), request.queryItem(u"b64").isEmpty());
    auto *socket = new EngineSocket(generateId(), request, transport, this);
    registerSession(socket);
    transport->handleRequest(request, connection); // holds the GET for the open packet
    socket->open();
    qCDebug(lcEngine) << "handshake" << socket->id() << "polling";
    Q_EMIT newConnection(socket);
}

void EngineServer::handleUpgrade(const HttpRequest &request, QTcpSocket *socket)
{
    if (m_middleware.isEmpty()) {
        proceedWithUpgrade(request, socket);
        return;
    }
    socket->setParent(this);
    QPointer<QTcpSocket> guard(socket);
    runMiddleware(
        request, socket,
        [self = QPointer<EngineServer>(this), guard](const HttpRequest &prepared) {
            if (self && guard)
                self->proceedWithUpgrade(prepared, guard);
        },
        [guard](const HttpResponse &answer) {
            if (!guard)
                return;
            guard->write(serializeResponse(answer, false));
            guard->disconnectFromHost();
            connect(guard, &QTcpSocket::disconnected, guard, &QObject::deleteLater);
            if (guard->state() == QAbstractSocket::UnconnectedState)
                guard->deleteLater();
        });
}

void EngineServer::proceedWithUpgrade(const HttpRequest &request, QTcpSocket *socket)
{
    const auto refuse = [this, socket, &request](const QByteArray &body) {
        HttpResponse response = HttpResponse::json(400, body);
        finishResponse(request, response);
        socket->write(serializeResponse(response, false));
        socket->flush();
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    };
    if (request.header("upgrade").toLower() != "websocket") {
        refuse(EngineIO::errorBody(RequestError::BadRequest));
        return;
    }
    const Verdict verdict = verify(request, true);
    if (!verdict.ok) {
        refuse(EngineIO::errorBody(verdict.error));
        Q_EMIT connectionError(request, verdict.error, QString::fromLatin1(EngineIO::errorMessage(verdict.error)));
        return;
    }
    if (request.queryItem(u"transport") != QLatin1String("websocket")) {
        refuse(EngineIO::errorBody(RequestError::BadRequest));
        return;
    }
    if (m_options.wsEngine == EngineOptions::WebSocketEngine::Native) {
        acceptNativeUpgrade(request, socket);
        return;
    }
    socket->setParent(this);
    m_pendingUpgrades.append({socket, request});
    connect(socket, &QObject::destroyed, this, [this] {
        m_pendingUpgrades.removeIf([](const PendingUpgrade &p) { return p.socket.isNull(); });
    });
    m_webSocketServer->handleConnection(socket);
}

void EngineServer::onWebSocketConnection()
{
    while (QWebSocket *webSocket = m_webSocketServer->nextPendingConnection()) {
        qsizetype index = -1;
        for (qsizetype i = 0; i < m_pendingUpgrades.size(); ++i) {
            const QTcpSocket *tcp = m_pendingUpgrades.at(i).socket;
            if (tcp && tcp->peerPort() == webSocket->peerPort()
                && tcp->peerAddress() == webSocket->peerAddress()) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            webSocket->abort();
            webSocket->deleteLater();
            continue;
        }
        const PendingUpgrade pending = m_pendingUpgrades.takeAt(index);
        webSocket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxHttpBufferSize));
        webSocket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxHttpBufferSize));
        auto *transport = new WebSocketTransport(webSocket, pending.socket, m_writeCoalescer);
        transport->setProtocol(EngineIO::protocolOf(pending.request));
        adoptWebSocket(transport, pending.request);
    }
}

void EngineServer::adoptWebSocket(Transport *transport, const HttpRequest &request)
{
    const QString sid = request.queryItem(u"sid");
    if (sid.isNull()) {
        auto *socket = new EngineSocket(generateId(), request, transport, this);
        registerSession(socket);
        socket->open();
        qCDebug(lcEngine) << "handshake" << socket->id() << "websocket";
        Q_EMIT newConnection(socket);
        return;
    }
    EngineSocket *session = m_sessions.value(sid);
    if (!session || session->isUpgrading() || session->isUpgraded()
        || session->state() != EngineSocket::State::Open || !m_options.allowUpgrades) {
        // Node completes the WebSocket handshake, then closes it.
        transport->close();
        transport->deleteLater();
        return;
    }
    session->probe(transport);
}

void EngineServer::acceptNativeUpgrade(const HttpRequest &request, QTcpSocket *socket)
{
    const auto abortHandshake = [socket](HttpResponse response) {
        socket->write(serializeResponse(response, false));
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    };
    if (!WebSocketHandshake::isSupportedVersion(request.header("sec-websocket-version"))) {
        HttpResponse response = HttpResponse::text(400, "Bad Request");
        response.setHeader("Sec-WebSocket-Version", "13, 8");
        abortHandshake(response);
        return;
    }
    const QByteArray key = request.header("sec-websocket-key");
    if (!WebSocketHandshake::isValidKey(key)) {
        abortHandshake(HttpResponse::text(400, "Bad Request"));
        return;
    }
    NativeWebSocketTransport::Options options;
    options.framing.protocol = EngineIO::protocolOf(request);
    options.maxMessageSize = m_options.maxHttpBufferSize;
    options.framing.deflateThreshold = m_options.perMessageDeflate.threshold;
    if (m_options.perMessageDeflate.enabled) {
        QByteArray offers;
        for (const HttpHeader &header : request.headers) {
            if (header.name == "sec-websocket-extensions")
                offers += (offers.isEmpty() ? "" : ",") + header.value;
        }
        options.framing.deflate = PerMessageDeflate::negotiate(offers);
    }
    // The 101 carries what Node's "headers"/"initial_headers" listeners and the Engine.IO
    // middleware add, as the ws engine lets them.
    HttpResponse response;
    response.status = 101;
    response.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
                        {"Sec-WebSocket-Accept", WebSocketHandshake::acceptFor(key)}};
    if (options.framing.deflate)
        response.headers.append({"Sec-WebSocket-Extensions", options.framing.deflate->responseHeader()});
    response.headers += hookHeaders(request);
    response.headers += request.responseHeaders;
    socket->skip(request.upgradeHeadSize); // the request head, given back by the HTTP front
    socket->write(serializeResponse(response, false));
    auto *transport = new NativeWebSocketTransport(socket, std::move(options), m_writeCoalescer);
    adoptWebSocket(transport, request);
}

void EngineServer::use(EngineMiddleware middleware)
{
    if (middleware)
        m_middleware.append(std::move(middleware));
}

void EngineServer::onInitialHeaders(EngineHeadersHook hook)
{
    if (hook)
        m_initialHeadersHooks.append(std::move(hook));
}

void EngineServer::onHeaders(EngineHeadersHook hook)
{
    if (hook)
        m_headersHooks.append(std::move(hook));
}

namespace {

// One request on its way through the middleware. Each `next` handed out holds the chain, so
// a middleware that drops next without calling it (Node: never answers) frees it.
struct MiddlewareChain
{
    HttpRequest request;
    HttpResponse response;
    QList<EngineMiddleware> middleware;
    qsizetype next = 0;
    bool settled = false;
    QPointer<const QObject> context; // the connection; gone means nobody to answer
    std::function<void(const HttpRequest &)> done;
    std::function<void(HttpResponse &)> refuse;
};

void advance(const std::shared_ptr<MiddlewareChain> &chain)
{
    if (!chain->context)
        return;
    if (chain->next == chain->middleware.size()) {
        chain->settled = true;
        chain->request.responseHeaders = chain->response.headers;
        chain->done(chain->request);
        return;
    }
    const EngineMiddleware &middleware = chain->middleware.at(chain->next++);
    middleware(chain->request, chain->response, [chain](std::optional<HttpResponse> refusal) {
        if (chain->settled || !chain->context)
            return;
        if (!refusal) {
            advance(chain);
            return;
        }
        chain->settled = true;
        for (const HttpHeader &header : std::as_const(chain->response.headers)) {
            if (refusal->header(header.name).isNull())
                refusal->headers.append(header);
        }
        chain->refuse(*refusal);
    });
}

} // namespace

void EngineServer::runMiddleware(const HttpRequest &request, const QObject *context,
                                 std::function<void(const HttpRequest &)> done,
                                 std::function<void(const HttpResponse &)> refuse)
{
    auto chain = std::make_shared<MiddlewareChain>();
    chain->request = request;
    chain->middleware = m_middleware;
    chain->context = context;
    chain->done = std::move(done);
    QPointer<EngineServer> self(this);
    chain->refuse = [self, chain = chain.get(), refuse = std::move(refuse)](HttpResponse &answer) {
        if (!self)
            return;
        if (self->m_options.cors)
            applyCors(*self->m_options.cors, chain->request, answer);
        refuse(answer);
    };
    advance(chain);
}

void EngineServer::finishResponse(const HttpRequest &request, HttpResponse &response) const
{
    for (const HttpHeader &header : request.responseHeaders) {
        if (header.name.compare("set-cookie", Qt::CaseInsensitive) == 0)
            response.headers.append(header); // several cookies are several headers
        else
            response.setHeader(header.name, header.value);
    }
    if (m_options.cors)
        applyCors(*m_options.cors, request, response);
}

QList<HttpHeader> EngineServer::hookHeaders(const HttpRequest &request) const
{
    QList<HttpHeader> headers;
    if (!request.hasQueryItem(u"sid")) {
        for (const EngineHeadersHook &hook : m_initialHeadersHooks)
            hook(headers, request);
    }
    for (const EngineHeadersHook &hook : m_headersHooks)
        hook(headers, request);
    return headers;
}

void EngineServer::finishTransportResponse(const HttpRequest &request, HttpResponse &response) const
{
    response.setHeader("Cache-Control", "no-store");
    for (const HttpHeader &header : hookHeaders(request))
        response.headers.append(header);
    finishResponse(request, response);
}

void EngineServer::closeAll(CloseReason reason)
{
    const auto sessions = m_sessions.values();
    for (EngineSocket *socket : sessions)
        socket->close(reason);
}

} // namespace Plugboard
