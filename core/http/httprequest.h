#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QVariantMap>
#include <QtNetwork/QHostAddress>

namespace Plugboard {

struct PLUGBOARD_CORE_EXPORT HttpHeader
{
    QByteArray name; // lower case
    QByteArray value;
};

// One parsed HTTP/1.1 request.
struct PLUGBOARD_CORE_EXPORT HttpRequest
{
    QByteArray method;
    QByteArray target; // the request target as sent, path and query
    QByteArray path;   // percent-decoded path
    QList<QPair<QString, QString>> query; // decoded, in order
    QList<HttpHeader> headers;
    QByteArray body;
    int versionMajor = 1;
    int versionMinor = 1;
    bool keepAlive = true;
    bool upgrade = false;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    bool secure = false;
    // Upgrades: the bytes of the request head, still unread on the socket handed over.
    qint64 upgradeHeadSize = 0;
    // Headers that handlers ahead of the one answering (Engine.IO middleware) want on the
    // response; names as they should be written.
    QList<HttpHeader> responseHeaders;
    // What Engine.IO middleware attach to the request for the application (Node's req.session,
    // req.user): kept with the handshake request, so Socket::request() shows it.
    QVariantMap attributes;

    // First value of a header, or empty. name must be lower case.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // First value of a query parameter, or a null QString.
    QString queryItem(QStringView name) const;
    bool hasQueryItem(QStringView name) const;
};

} // namespace Plugboard
