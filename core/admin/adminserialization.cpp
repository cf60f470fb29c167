#include "adminserialization.h"

#include "../monitor/servermonitor.h"
#include "../sio/client.h"
#include "../sio/namespace.h"
#include "../sio/socket.h"

#include <QtCore/QCborArray>
#include <QtCore/QLocale>
#include <QtCore/QTimeZone>

#include <algorithm>

namespace Plugboard::AdminSerialization {

namespace {

constexpr qsizetype ClientIdLength = 12;

} // namespace

QString isoTimestamp(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString jsDateString(const QDateTime &time)
{
    const QDateTime local = time.toLocalTime();
    const QLocale c = QLocale::c();
    const int offsetMinutes = local.offsetFromUtc() / 60;
    const QChar sign = offsetMinutes < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int magnitude = std::abs(offsetMinutes);
    const QString zone = QTimeZone::systemTimeZone().displayName(local, QTimeZone::LongName, c);
    return QStringLiteral("%1 GMT%2%3%4 (%5)")
        .arg(c.toString(local, QStringLiteral("ddd MMM dd yyyy HH:mm:ss")))
        .arg(sign)
        .arg(magnitude / 60, 2, 10, QLatin1Char('0'))
        .arg(magnitude % 60, 2, 10, QLatin1Char('0'))
        .arg(zone.isEmpty() ? QStringLiteral("Coordinated Universal Time") : zone);
}

QString clientAddress(const SocketHandshake &handshake)
{
    const QString cloudflare = handshake.headers.value(QStringLiteral("cf-connecting-ip")).toString();
    if (!cloudflare.isEmpty())
        return cloudflare;
    const QString forwarded = handshake.headers.value(QStringLiteral("x-forwarded-for")).toString();
    if (!forwarded.isEmpty())
        return forwarded;
    return handshake.address;
}

QCborMap socketData(const QCborMap &data)
{
    if (!data.contains(QStringLiteral("_admin")))
        return data;
    QCborMap copy = data;
    copy.remove(QStringLiteral("_admin"));
    return copy;
}

QString clientId(const QString &engineId)
{
    return engineId.left(ClientIdLength);
}

QCborMap socket(const Socket &socket)
{
    const SocketHandshake &handshake = socket.handshake();
    QCborMap serializedHandshake;
    serializedHandshake.insert(QStringLiteral("address"), clientAddress(handshake));
    serializedHandshake.insert(QStringLiteral("headers"), ServerMonitor::maskSecrets(handshake.headers));
    serializedHandshake.insert(QStringLiteral("query"), handshake.query);
    serializedHandshake.insert(QStringLiteral("issued"), handshake.issued);
    serializedHandshake.insert(QStringLiteral("time"), jsDateString(handshake.time));
    serializedHandshake.insert(QStringLiteral("url"), handshake.url);
    serializedHandshake.insert(QStringLiteral("secure"), handshake.secure);
    serializedHandshake.insert(QStringLiteral("xdomain"), handshake.xdomain);

    QStringList others = socket.rooms().values();
    others.removeAll(socket.id());
    std::sort(others.begin(), others.end());
    QCborArray rooms;
    if (socket.rooms().contains(socket.id()))
        rooms.append(socket.id());
    for (const QString &room : std::as_const(others))
        rooms.append(room);

    QCborMap out;
    out.insert(QStringLiteral("id"), socket.id());
    out.insert(QStringLiteral("clientId"), clientId(socket.client()->id()));
    out.insert(QStringLiteral("transport"), socket.transportName());
    out.insert(QStringLiteral("nsp"), socket.nsp()->name());
    out.insert(QStringLiteral("data"), socketData(socket.data()));
    out.insert(QStringLiteral("handshake"), serializedHandshake);
    out.insert(QStringLiteral("rooms"), rooms);
    return out;
}

} // namespace Plugboard::AdminSerialization
