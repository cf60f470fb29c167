#include "wsengine.h"

#include <cstdio>

namespace Plugboard {

std::optional<EngineOptions::WebSocketEngine> webSocketEngineFromName(QStringView name)
{
    if (name == u"qt")
        return EngineOptions::WebSocketEngine::Qt;
    if (name == u"native")
        return EngineOptions::WebSocketEngine::Native;
    return std::nullopt;
}

QString webSocketEngineName(EngineOptions::WebSocketEngine engine)
{
    return engine == EngineOptions::WebSocketEngine::Native ? QStringLiteral("native") : QStringLiteral("qt");
}

std::optional<EngineOptions::WebSocketEngine>
webSocketEngineFromEnvironment(EngineOptions::WebSocketEngine fallback, QString *error)
{
    const QString value = qEnvironmentVariable("PLUGBOARD_WS_ENGINE");
    if (value.isEmpty())
        return fallback;
    const auto engine = webSocketEngineFromName(value);
    if (!engine && error)
        *error = QStringLiteral("PLUGBOARD_WS_ENGINE must be \"native\" or \"qt\", not \"%1\"").arg(value);
    return engine;
}

bool readWebSocketEngineFromEnvironment(EngineOptions::WebSocketEngine *engine, const char *program)
{
    QString error;
    const auto chosen = webSocketEngineFromEnvironment(*engine, &error);
    if (!chosen) {
        std::fprintf(stderr, "%s: %s\n", program, qPrintable(error));
        return false;
    }
    *engine = *chosen;
    return true;
}

} // namespace Plugboard
