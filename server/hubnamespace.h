#pragma once

#include "roompattern.h"
#include "serviceconfig.h"

#include <sio/ack.h>
#include <sio/handshake.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>
#include <optional>

namespace Plugboard {

class DrainTracker;
class EventForwarder;
class HubMetrics;
class JwtVerifier;
class Namespace;
class Socket;

// Gives one namespace the hub's behaviour from its config: who may connect, the rooms a
// client may `subscribe` to and `unsubscribe` from, the rate limit, and event forwarding.
class HubNamespace : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubNamespace)

public:
    HubNamespace(Namespace *nsp, const HubNamespaceConfig &config, HubMetrics *metrics, DrainTracker *drain,
                 QObject *parent = nullptr);
    ~HubNamespace() override;

    static constexpr qsizetype MaxRoomLength = 200;

private:
    std::optional<ConnectError> authenticate(Socket *socket);
    void setUp(Socket *socket);
    void limitRate(Socket *socket);
    void subscribe(Socket *socket, const QCborArray &args, const Ack &ack);
    void forward(Socket *socket, const QString &event, const QCborArray &args, const Ack &ack);
    std::optional<QString> checkRoom(const QCborArray &args) const;

    QPointer<Namespace> m_nsp;
    HubNamespaceConfig m_config;
    QList<RoomPattern> m_patterns;
    std::unique_ptr<JwtVerifier> m_jwt;
    EventForwarder *m_forwarder = nullptr;
    HubMetrics *m_metrics;
    DrainTracker *m_drain;
    QElapsedTimer m_clock;
};

} // namespace Plugboard
