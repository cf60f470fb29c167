#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

namespace Plugboard {

// Node's instrument(io, options) of @socket.io/admin-ui, with its names and defaults.
struct PLUGBOARD_CORE_EXPORT AdminOptions
{
    enum class Mode { Development, Production };
    struct BasicAuth
    {
        QString username;
        QByteArray passwordHash; // bcrypt
    };

    QString namespaceName = QStringLiteral("/admin");
    // No value: auth false (anyone who reaches the namespace is an operator).
    std::optional<BasicAuth> auth;
    bool readonly = false;
    // Empty: the host name.
    QString serverId;
    // Production: only config and server_stats, no per-socket stream (and none of its cost).
    Mode mode = Mode::Development;
    int statsIntervalMs = 2000;
    // Sessions made by a basic-auth login live this long (the Redis store's default).
    int sessionDurationSeconds = 86400;
    int maxSessions = 10000;
};

} // namespace Plugboard
