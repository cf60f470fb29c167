#pragma once

#include <plugboard_core_export.h>

#include "engineoptions.h"

#include <QtCore/QString>

#include <optional>

namespace Plugboard {

// "qt" or "native" (the config file's and PLUGBOARD_WS_ENGINE's spelling).
PLUGBOARD_CORE_EXPORT std::optional<EngineOptions::WebSocketEngine> webSocketEngineFromName(QStringView name);
PLUGBOARD_CORE_EXPORT QString webSocketEngineName(EngineOptions::WebSocketEngine engine);

// PLUGBOARD_WS_ENGINE for the test and benchmark servers: `fallback` when unset; an unknown
// value yields nothing and *error says why, for the program to refuse to start.
PLUGBOARD_CORE_EXPORT std::optional<EngineOptions::WebSocketEngine>
webSocketEngineFromEnvironment(EngineOptions::WebSocketEngine fallback, QString *error);
// The same for a program's start: *engine is set from PLUGBOARD_WS_ENGINE (kept when unset);
// an unknown value is reported on stderr as "program: why" and false returned.
PLUGBOARD_CORE_EXPORT bool readWebSocketEngineFromEnvironment(EngineOptions::WebSocketEngine *engine, const char *program);

} // namespace Plugboard
