#pragma once

#include <http/httpresponse.h>

#include <QtCore/QJsonObject>

class QTcpSocket;

namespace Plugboard {

// Answers of the program's own HTTP handlers.
HttpResponse jsonReply(int status, const QJsonObject &body);
// {"error": message}
HttpResponse jsonError(int status, const QString &message);
// For handlers that take no WebSocket: answers the upgrade request and closes the socket
// (which the handler owns).
void refuseUpgrade(QTcpSocket *socket, const HttpResponse &response);

} // namespace Plugboard
