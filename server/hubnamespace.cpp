#include "hubnamespace.h"

#include <constanttime.h>
#include "draintracker.h"
#include "eventforwarder.h"
#include "hubmetrics.h"
#include "jwtverifier.h"
#include "ratelimiter.h"
#include "servicelog.h"

#include <sio/namespace.h>
#include <sio/socket.h>

namespace Plugboard {

namespace {

QByteArray tokenOf(const Socket *socket)
{
    const QCborValue token = socket->handshake().auth.value(QStringLiteral("token"));
    if (token.isString())
        return token.toString().toUtf8();
    // Clients that cannot send an auth payload may use the header instead.
    const QString header = socket->handshake().headers.value(QStringLiteral("authorization")).toString();
    if (header.startsWith(QLatin1String("Bearer "), Qt::CaseInsensitive))
        return header.mid(7).trimmed().toUtf8();
    return {};
}

QCborArray answer(const std::optional<QString> &error)
{
    QCborMap map;
    map.insert(QStringLiteral("ok"), !error);
    if (error)
        map.insert(QStringLiteral("error"), *error);
    return {map};
}

} // namespace

HubNamespace::HubNamespace(Namespace *nsp, const HubNamespaceConfig &config, HubMetrics *metrics,
                           DrainTracker *drain, QObject *parent)
    : QObject(parent), m_nsp(nsp), m_config(config), m_metrics(metrics), m_drain(drain)
{
    m_clock.start();
    for (const QString &pattern : config.rooms)
        m_patterns.append(RoomPattern(pattern));
    if (config.auth.type == HubAuthConfig::Type::Jwt)
        m_jwt = std::make_unique<JwtVerifier>(JwtVerifier::Options{config.auth.secret, config.auth.issuer,
                                                                   config.auth.audience, config.auth.leewaySeconds});
    if (config.forward) {
        m_forwarder = new EventForwarder(*config.forward, this);
        m_forwarder->setOutcomeObserver([this](const QString &outcome) {
            m_metrics->countForwarded(m_config.name, outcome);
        });
    }
    nsp->use([this](Socket *socket, const Namespace::Next &next) { next(authenticate(socket)); });
    connect(nsp, &Namespace::socketConnected, this, &HubNamespace::setUp);
}

HubNamespace::~HubNamespace() = default;

std::optional<ConnectError> HubNamespace::authenticate(Socket *socket)
{
    const auto refuse = [&](const QString &why) {
        qCDebug(lcService) << "refused a connection to" << m_config.name << "from"
                           << socket->handshake().address << ":" << why;
        return ConnectError{QStringLiteral("unauthorized: ") + why};
    };
    switch (m_config.auth.type) {
    case HubAuthConfig::Type::None:
        return std::nullopt;
    case HubAuthConfig::Type::Tokens: {
        const QByteArray token = tokenOf(socket);
        if (token.isEmpty())
            return refuse(QStringLiteral("missing token"));
        if (!matchesAnySecret(token, m_config.auth.tokens))
            return refuse(QStringLiteral("invalid token"));
        return std::nullopt;
    }
    case HubAuthConfig::Type::Jwt: {
        const JwtVerifier::Result result = m_jwt->verify(tokenOf(socket));
        if (!result.claims)
            return refuse(result.error);
        socket->setData(QCborMap::fromJsonObject(*result.claims));
        return std::nullopt;
    }
    }
    return std::nullopt;
}

void HubNamespace::setUp(Socket *socket)
{
    limitRate(socket);
    socket->on(QStringLiteral("subscribe"), [this, socket](const QCborArray &args, const Ack &ack) {
        subscribe(socket, args, ack);
    });
    socket->on(QStringLiteral("unsubscribe"), [this, socket](const QCborArray &args, const Ack &ack) {
        std::optional<QString> error = checkRoom(args);
        if (!error && args.first().toString() == socket->id())
            error = QStringLiteral("a socket cannot leave its own room");
        if (!error)
            socket->leave(args.first().toString());
        ack(answer(error));
    });
    if (!m_forwarder)
        return;
    for (const QString &event : std::as_const(m_config.forward->events)) {
        socket->on(event, [this, socket, event](const QCborArray &args, const Ack &ack) {
            forward(socket, event, args, ack);
        });
    }
}

void HubNamespace::limitRate(Socket *socket)
{
    if (!m_config.rateLimit.isEnabled())
        return;
    auto limiter = std::make_shared<RateLimiter>(m_config.rateLimit);
    QPointer<Socket> guard(socket);
    socket->use([this, limiter, guard](const QString &event, QCborArray &) -> std::optional<QString> {
        const RateLimiter::Verdict verdict = limiter->check(event, m_clock.elapsed());
        if (verdict == RateLimiter::Verdict::Allowed || !guard)
            return std::nullopt;
        const QString message = QStringLiteral("rate limit exceeded: at most %1 \"%2\" events per %3 ms")
                                    .arg(limiter->limitFor(event))
                                    .arg(event)
                                    .arg(m_config.rateLimit.windowMs);
        m_metrics->countRateLimited(m_config.name);
        QCborMap error;
        error.insert(QStringLiteral("event"), event);
        error.insert(QStringLiteral("message"), message);
        guard->emitEvent(QStringLiteral("error"), {error});
        if (verdict == RateLimiter::Verdict::Disconnect) {
            qCInfo(lcService).noquote() << "disconnecting socket" << guard->id() << "of" << m_config.name << "after"
                                        << limiter->refusals() << "rate-limited events";
            // Not from inside the socket's own packet handling.
            QMetaObject::invokeMethod(guard, [guard] {
                if (guard)
                    guard->disconnect();
            }, Qt::QueuedConnection);
        }
        return message;
    });
}

std::optional<QString> HubNamespace::checkRoom(const QCborArray &args) const
{
    if (args.isEmpty() || !args.first().isString())
        return QStringLiteral("room must be a string");
    const QString room = args.first().toString();
    if (room.isEmpty())
        return QStringLiteral("room must not be empty");
    if (room.size() > MaxRoomLength)
        return QStringLiteral("room longer than %1 characters").arg(MaxRoomLength);
    return std::nullopt;
}

void HubNamespace::subscribe(Socket *socket, const QCborArray &args, const Ack &ack)
{
    if (const auto error = checkRoom(args)) {
        ack(answer(error));
        return;
    }
    const QString room = args.first().toString();
    const QSet<QString> rooms = socket->rooms();
    if (rooms.contains(room)) {
        ack(answer(std::nullopt));
        return;
    }
    // Another socket's own room would show that socket's private messages.
    if (m_nsp && m_nsp->socket(room)) {
        ack(answer(QStringLiteral("room \"%1\" is reserved").arg(room)));
        return;
    }
    const bool allowed = std::any_of(m_patterns.cbegin(), m_patterns.cend(), [&](const RoomPattern &pattern) {
        return pattern.matches(room, socket->data());
    });
    if (!allowed) {
        ack(answer(QStringLiteral("not allowed to subscribe to \"%1\"").arg(room)));
        return;
    }
    if (rooms.size() - 1 >= m_config.maxRoomsPerSocket) {
        ack(answer(QStringLiteral("too many rooms (at most %1)").arg(m_config.maxRoomsPerSocket)));
        return;
    }
    socket->join(room);
    ack(answer(std::nullopt));
}

void HubNamespace::forward(Socket *socket, const QString &event, const QCborArray &args, const Ack &ack)
{
    if (m_drain->isDraining()) {
        ack(EventForwarder::failure(QStringLiteral("server shutting down")));
        return;
    }
    auto ticket = m_drain->hold();
    m_forwarder->forward({m_config.name, socket->id(), event, args, socket->data()},
                         [ack, ticket](const QCborArray &reply) {
                             ack(reply);
                             ticket->release(); // last: it may end a shutdown
                         });
}

} // namespace Plugboard
