#include "httpreplies.h"

#include <QtCore/QJsonDocument>
#include <QtNetwork/QTcpSocket>

namespace Plugboard {

HttpResponse jsonReply(int status, const QJsonObject &body)
{
    HttpResponse response = HttpResponse::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
    response.setHeader("Cache-Control", "no-store");
    return response;
}

HttpResponse jsonError(int status, const QString &message)
{
    return jsonReply(status, QJsonObject{{QStringLiteral("error"), message}});
}

void refuseUpgrade(QTcpSocket *socket, const HttpResponse &response)
{
    socket->write(serializeResponse(response, false));
    socket->flush();
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
}

} // namespace Plugboard
