#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QCborArray>
#include <QtCore/QString>

#include <functional>
#include <memory>

namespace Plugboard {

// Passed with every incoming event. If the client asked for an acknowledgement, calling it
// sends the reply (once; later calls are ignored). Copies share the "sent" state.
class PLUGBOARD_CORE_EXPORT Ack
{
public:
    Ack() = default;
    explicit Ack(std::function<void(const QCborArray &)> send);

    bool isRequested() const { return bool(m_state); }
    bool isSent() const;
    void operator()(const QCborArray &args = {}) const;

private:
    struct State
    {
        std::function<void(const QCborArray &)> send;
        bool sent = false;
    };
    std::shared_ptr<State> m_state;
};

// The outcome of an emit that asked for an acknowledgement.
struct PLUGBOARD_CORE_EXPORT AckResult
{
    bool ok = false;     // false: timed out or the socket went away
    QString error;       // "operation has timed out", "socket has been disconnected"
    QCborArray args;     // the client's reply
};
using AckCallback = std::function<void(const AckResult &result)>;

// One client's reply to a broadcast that asked for acknowledgements.
struct PLUGBOARD_CORE_EXPORT AckResponse
{
    QString socketId;
    QCborArray args;
};
struct PLUGBOARD_CORE_EXPORT BroadcastAckResult
{
    bool ok = false;   // false: some clients did not answer within the timeout
    QString error;
    QList<AckResponse> responses;
};
using BroadcastAckCallback = std::function<void(const BroadcastAckResult &result)>;

} // namespace Plugboard
