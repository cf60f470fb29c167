#include "logging.h"

namespace Plugboard {
Q_LOGGING_CATEGORY(lcHttp, "plugboard.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "plugboard.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEnginePolling, "plugboard.engine.polling", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngineWebSocket, "plugboard.engine.websocket", QtWarningMsg)
Q_LOGGING_CATEGORY(lcServer, "plugboard.server", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSocket, "plugboard.socket", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAdapter, "plugboard.adapter", QtWarningMsg)
} // namespace Plugboard
