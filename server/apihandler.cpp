#include "apihandler.h"

#include <constanttime.h>
#include "draintracker.h"
#include "hubmetrics.h"
#include "hubnamespace.h"
#include "httpreplies.h"
#include "jsoncomments.h"
#include "jsonreader.h"
#include "servicelog.h"

#include <http/httpconnection.h>
#include <protocol/jsoncodec.h>
#include <sio/server.h>

#include <QtCore/QCborValue>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QScopeGuard>

namespace Plugboard {

namespace {

const QLatin1String Prefix("/api/v1/");

// Endpoint name to the method it takes.
const QHash<QString, QByteArray> &endpoints()
{
    static const QHash<QString, QByteArray> table{{QStringLiteral("emit"), "POST"},
                                                  {QStringLiteral("sockets"), "GET"},
                                                  {QStringLiteral("join"), "POST"},
                                                  {QStringLiteral("leave"), "POST"},
                                                  {QStringLiteral("disconnect"), "POST"}};
    return table;
}

QJsonArray toJson(const QCborArray &array)
{
    return QCborValue(array).toJsonValue().toArray();
}

// A socket of this node or of another one in the cluster; the transport is known only here.
QJsonObject describe(const RemoteSocket &socket, const Namespace *nsp)
{
    const SocketHandshake &handshake = socket.handshake();
    QJsonObject object{{QStringLiteral("id"), socket.id()},
                       {QStringLiteral("namespace"), nsp->name()},
                       {QStringLiteral("rooms"), QJsonArray::fromStringList(socket.rooms())},
                       {QStringLiteral("data"), QCborValue(socket.data()).toJsonValue()},
                       {QStringLiteral("local"), socket.isLocal()},
                       {QStringLiteral("address"), handshake.address},
                       {QStringLiteral("connectedAt"), handshake.time.toUTC().toString(Qt::ISODateWithMs)}};
    if (const Socket *local = socket.isLocal() ? nsp->socket(socket.id()) : nullptr)
        object.insert(QStringLiteral("transport"), local->transportName());
    return object;
}

} // namespace

ApiHandler::ApiHandler(Server *io, const ApiConfig &config, HubMetrics *metrics, DrainTracker *drain,
                       QObject *parent)
    : QObject(parent), m_io(io), m_config(config), m_metrics(metrics), m_drain(drain)
{
}

ApiHandler::~ApiHandler() = default;

bool ApiHandler::matches(const HttpRequest &request) const
{
    return request.path == "/api" || request.path.startsWith("/api/");
}

void ApiHandler::handleUpgrade(const HttpRequest &, QTcpSocket *socket)
{
    refuseUpgrade(socket, jsonError(400, QStringLiteral("the HTTP API takes no WebSocket")));
}

void ApiHandler::respond(const Call &call, const HttpResponse &response)
{
    m_metrics->countApiCall(call.endpoint, response.status);
    if (response.status >= 400)
        qCInfo(lcService).noquote() << "api" << call.method << call.path << response.status << "from" << call.peer
                                    << QString::fromUtf8(response.body);
    else
        qCInfo(lcService).noquote() << "api" << call.method << call.path << response.status << "from" << call.peer;
    if (call.connection)
        call.connection->respond(response);
}

std::optional<HttpResponse> ApiHandler::authorize(const HttpRequest &request) const
{
    if (m_config.keys.isEmpty())
        return jsonError(403, QStringLiteral("the HTTP API is disabled: no API key is configured "
                                             "(api.keys in the config file, or PLUGBOARD_API_KEY)"));
    const QByteArray header = request.header("authorization");
    if (header.isEmpty() || !header.startsWith("Bearer ")) {
        HttpResponse response = jsonError(401, QStringLiteral("missing \"Authorization: Bearer <key>\" header"));
        response.setHeader("WWW-Authenticate", "Bearer");
        return response;
    }
    if (!matchesAnySecret(header.mid(7).trimmed(), m_config.keys)) {
        HttpResponse response = jsonError(401, QStringLiteral("wrong API key"));
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return response;
    }
    return std::nullopt;
}

void ApiHandler::handleRequest(const HttpRequest &request, HttpConnection *connection)
{
    const QString path = QString::fromUtf8(request.path);
    const QString name = path.startsWith(Prefix) ? path.mid(Prefix.size()) : QString();
    Call call{endpoints().contains(name) ? name : QStringLiteral("unknown"), request.method, request.path,
              request.peerAddress.toString(), connection};
    if (!endpoints().contains(name)) {
        respond(call, jsonError(404, QStringLiteral("unknown endpoint %1 (try %2emit, sockets, join, leave or disconnect)")
                                         .arg(path, Prefix)));
        return;
    }
    const QByteArray method = endpoints().value(name);
    if (request.method != method) {
        HttpResponse response = jsonError(405, QStringLiteral("%1 takes %2, not %3")
                                                   .arg(path, QString::fromLatin1(method), QString::fromLatin1(request.method)));
        response.setHeader("Allow", method);
        respond(call, response);
        return;
    }
    if (const auto refusal = authorize(request)) {
        respond(call, *refusal);
        return;
    }
    if (m_drain->isDraining()) {
        respond(call, jsonError(503, QStringLiteral("server shutting down")));
        return;
    }
    if (name == QLatin1String("sockets")) {
        listSockets(request, call);
        return;
    }
    const std::optional<QJsonObject> body = parseBody(request, call);
    if (!body)
        return;
    if (name == QLatin1String("emit"))
        emitEvent(*body, request.body, call);
    else if (name == QLatin1String("join") || name == QLatin1String("leave"))
        changeRooms(*body, call, name == QLatin1String("join"));
    else
        disconnectSockets(*body, call);
}

std::optional<QJsonObject> ApiHandler::parseBody(const HttpRequest &request, const Call &call)
{
    if (request.body.size() > m_config.maxBodyBytes) {
        respond(call, jsonError(413, QStringLiteral("body larger than %1 bytes").arg(m_config.maxBodyBytes)));
        return std::nullopt;
    }
    const QByteArray type = request.header("content-type");
    if (!type.isEmpty() && !type.toLower().startsWith("application/json")) {
        respond(call, jsonError(415, QStringLiteral("expected Content-Type: application/json")));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        respond(call, jsonError(400, QStringLiteral("body is not valid JSON (%1: %2)")
                                         .arg(describeOffset(request.body, error.offset), error.errorString())));
        return std::nullopt;
    }
    if (!document.isObject()) {
        respond(call, jsonError(400, QStringLiteral("body must be a JSON object")));
        return std::nullopt;
    }
    return document.object();
}

std::optional<ApiHandler::Selection> ApiHandler::select(JsonReader &reader, const QJsonObject &body,
                                                        const Call &call)
{
    QString name = QStringLiteral("/");
    QStringList rooms;
    QStringList except;
    reader.readString(body, u"namespace", {}, &name);
    reader.readStringList(body, u"rooms", {}, &rooms);
    reader.readStringList(body, u"except", {}, &except);
    if (reader.hasErrors()) {
        respond(call, jsonError(400, reader.errors().join(QStringLiteral("; "))));
        return std::nullopt;
    }
    Namespace *nsp = m_io ? m_io->existingNamespace(name) : nullptr;
    if (!nsp) {
        respond(call, jsonError(404, QStringLiteral("unknown namespace \"%1\"").arg(name)));
        return std::nullopt;
    }
    return Selection{nsp, nsp->all().to(rooms).except(except)};
}

void ApiHandler::emitEvent(const QJsonObject &body, const QByteArray &raw, const Call &call)
{
    JsonReader reader;
    reader.checkKeys(body, {}, {"namespace", "rooms", "except", "event", "args", "ackTimeoutMs"});
    QString event;
    reader.require(body, u"event", {});
    if (reader.readString(body, u"event", {}, &event) && SocketIO::isReservedEventName(event))
        reader.fail(QStringLiteral("event"), QStringLiteral("\"%1\" is reserved").arg(event));
    QJsonArray args;
    if (const auto array = reader.array(body, u"args", {}))
        args = *array;
    int ackTimeoutMs = 0;
    reader.readInt(body, u"ackTimeoutMs", {}, 0, m_config.maxAckTimeoutMs, &ackTimeoutMs);
    const std::optional<Selection> selection = select(reader, body, call);
    if (!selection)
        return;

    // Taken from the body again: QJsonObject sorts keys, and clients must see the order the
    // backend wrote (as Node's JSON.parse keeps it).
    const QCborArray cborArgs = Json::parse(raw).value.toMap().value(QStringLiteral("args")).toArray();
    const int recipients = int(selection->target.localSockets().size());
    if (ackTimeoutMs == 0) {
        selection->target.emitEvent(event, cborArgs);
        respond(call, jsonReply(200, QJsonObject{{QStringLiteral("recipients"), recipients}}));
        return;
    }
    const quint64 id = ++m_nextCallId;
    m_waiting.insert(id, call);
    auto ticket = m_drain->hold();
    QPointer<ApiHandler> self(this);
    selection->target.timeout(ackTimeoutMs).emitWithAck(event, cborArgs, [self, id, ticket, recipients](const BroadcastAckResult &result) {
        // Answered before the ticket goes: the last ticket may end a shutdown.
        const auto release = qScopeGuard([&ticket] { ticket->release(); });
        if (!self || !self->m_waiting.contains(id))
            return;
        QJsonArray acks;
        for (const AckResponse &response : result.responses)
            acks.append(QJsonObject{{QStringLiteral("socketId"), response.socketId},
                                    {QStringLiteral("args"), toJson(response.args)}});
        self->respond(self->m_waiting.take(id),
                      jsonReply(200, QJsonObject{{QStringLiteral("recipients"), recipients},
                                                 {QStringLiteral("acks"), acks},
                                                 {QStringLiteral("timedOut"), !result.ok}}));
    });
}

void ApiHandler::listSockets(const HttpRequest &request, const Call &call)
{
    JsonReader reader;
    QJsonObject query;
    for (const auto &item : request.query) {
        if (item.first != QLatin1String("namespace") && item.first != QLatin1String("room"))
            reader.fail(item.first, QStringLiteral("unknown query parameter (namespace and room are known)"));
        else if (query.contains(item.first))
            reader.fail(item.first, QStringLiteral("given more than once"));
        else
            query.insert(item.first, item.second);
    }
    QJsonObject selector{{QStringLiteral("namespace"), query.value(u"namespace").toString(QStringLiteral("/"))}};
    if (query.contains(u"room"))
        selector.insert(QStringLiteral("rooms"), QJsonArray{query.value(u"room")});
    const std::optional<Selection> selection = select(reader, selector, call);
    if (!selection)
        return;
    const quint64 id = ++m_nextCallId;
    m_waiting.insert(id, call);
    QPointer<ApiHandler> self(this);
    QPointer<Namespace> nsp(selection->nsp);
    selection->target.fetchSockets([self, id, nsp](const FetchSocketsResult &result) {
        if (!self || !self->m_waiting.contains(id))
            return;
        const Call call = self->m_waiting.take(id);
        if (!result.ok || !nsp) {
            self->respond(call, jsonError(504, result.error.isEmpty() ? QStringLiteral("namespace is gone") : result.error));
            return;
        }
        QJsonArray sockets;
        for (const RemoteSocket &socket : result.sockets)
            sockets.append(describe(socket, nsp));
        self->respond(call, jsonReply(200, QJsonObject{{QStringLiteral("sockets"), sockets}}));
    });
}

void ApiHandler::changeRooms(const QJsonObject &body, const Call &call, bool join)
{
    const auto key = join ? u"join" : u"leave";
    JsonReader reader;
    if (join)
        reader.checkKeys(body, {}, {"namespace", "rooms", "except", "join"});
    else
        reader.checkKeys(body, {}, {"namespace", "rooms", "except", "leave"});
    reader.require(body, key, {});
    QStringList rooms;
    if (reader.readStringList(body, key, {}, &rooms, false)) {
        for (qsizetype i = 0; i < rooms.size(); ++i) {
            const QString path = JsonReader::index(QString::fromUtf16(key), i);
            if (rooms.at(i).isEmpty())
                reader.fail(path, QStringLiteral("must not be empty"));
            else if (rooms.at(i).size() > HubNamespace::MaxRoomLength)
                reader.fail(path, QStringLiteral("longer than %1 characters").arg(HubNamespace::MaxRoomLength));
        }
    }
    const std::optional<Selection> selection = select(reader, body, call);
    if (!selection)
        return;
    const int affected = int(selection->target.localSockets().size());
    if (join)
        selection->target.socketsJoin(rooms);
    else
        selection->target.socketsLeave(rooms);
    respond(call, jsonReply(200, QJsonObject{{QStringLiteral("sockets"), affected}}));
}

void ApiHandler::disconnectSockets(const QJsonObject &body, const Call &call)
{
    JsonReader reader;
    reader.checkKeys(body, {}, {"namespace", "rooms", "except", "close"});
    bool close = false;
    reader.readBool(body, u"close", {}, &close);
    const std::optional<Selection> selection = select(reader, body, call);
    if (!selection)
        return;
    const int affected = int(selection->target.localSockets().size());
    selection->target.disconnectSockets(close);
    respond(call, jsonReply(200, QJsonObject{{QStringLiteral("sockets"), affected}}));
}

void ApiHandler::cancelPending()
{
    const auto waiting = std::exchange(m_waiting, {});
    for (const Call &call : waiting)
        respond(call, jsonError(503, QStringLiteral("server shut down before every acknowledgement arrived")));
}

} // namespace Plugboard
