#include "clustermessages.h"

#include "../protocol/jsoncodec.h"
#include "../protocol/msgpackcodec.h"

#include <QtCore/QCborArray>
#include <QtCore/QLocale>
#include <QtCore/QTimeZone>

#include <algorithm>

namespace Plugboard::Redis {

namespace {



QStringList stringList(const QCborValue &value)
{
    QStringList list;
    for (const QCborValue &item : value.toArray()) {
        if (item.isString())
            list.append(item.toString());
    }
    return list;
}

bool isIntegral(const QCborValue &value)
{
    if (value.isInteger())
        return true;
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    // Range first: casting NaN or a double beyond int64 is undefined.
    return d > -9.2e18 && d < 9.2e18 && d == double(qint64(d));
}

} // namespace

QCborArray sortedArray(const QSet<QString> &set)
{
    QStringList list = set.values();
    std::sort(list.begin(), list.end());
    QCborArray array;
    for (const QString &item : std::as_const(list))
        array.append(item);
    return array;
}

QSet<QString> stringSet(const QCborValue &value)
{
    QSet<QString> set;
    for (const QCborValue &item : value.toArray()) {
        if (item.isString())
            set.insert(item.toString());
    }
    return set;
}

std::optional<qint64> integerOf(const QCborValue &value)
{
    if (!isIntegral(value))
        return std::nullopt;
    return value.isInteger() ? value.toInteger() : qint64(value.toDouble());
}

QCborMap packetToObject(const SocketIO::Packet &packet)
{
    QCborMap object;
    // An event with binary inside stays an event: socket.io-parser decides on the wire.
    int type = int(packet.type);
    if (packet.type == SocketIO::PacketType::BinaryEvent)
        type = int(SocketIO::PacketType::Event);
    else if (packet.type == SocketIO::PacketType::BinaryAck)
        type = int(SocketIO::PacketType::Ack);
    object.insert(QStringLiteral("type"), type);
    if (!packet.data.isUndefined())
        object.insert(QStringLiteral("data"), packet.data);
    object.insert(QStringLiteral("nsp"), packet.nsp);
    if (packet.id != SocketIO::NoAckId)
        object.insert(QStringLiteral("id"), packet.id);
    return object;
}

std::optional<SocketIO::Packet> packetFromObject(const QCborValue &value)
{
    if (!value.isMap())
        return std::nullopt;
    const QCborMap object = value.toMap();
    const QCborValue type = object.value(QStringLiteral("type"));
    if (!isIntegral(type) || type.toInteger() < 0 || type.toInteger() > 6)
        return std::nullopt;
    SocketIO::Packet packet;
    packet.type = SocketIO::PacketType(type.toInteger());
    const QCborValue nsp = object.value(QStringLiteral("nsp"));
    if (nsp.isString())
        packet.nsp = nsp.toString();
    else if (!nsp.isUndefined() && !nsp.isNull())
        return std::nullopt;
    packet.data = object.value(QStringLiteral("data"));
    const QCborValue id = object.value(QStringLiteral("id"));
    if (isIntegral(id) && id.toInteger() >= 0)
        packet.id = id.toInteger();
    return packet;
}

QCborMap optionsToObject(const BroadcastOptions &options)
{
    QCborMap flags;
    if (options.flags.isVolatile)
        flags.insert(QStringLiteral("volatile"), true);
    if (options.flags.compress)
        flags.insert(QStringLiteral("compress"), *options.flags.compress);
    if (options.flags.timeoutMs > 0)
        flags.insert(QStringLiteral("timeout"), options.flags.timeoutMs);
    QCborMap object;
    object.insert(QStringLiteral("rooms"), sortedArray(options.rooms));
    object.insert(QStringLiteral("except"), sortedArray(options.except));
    object.insert(QStringLiteral("flags"), flags);
    return object;
}

BroadcastOptions optionsFromObject(const QCborValue &value)
{
    BroadcastOptions options;
    const QCborMap object = value.toMap();
    options.rooms = stringSet(object.value(QStringLiteral("rooms")));
    options.except = stringSet(object.value(QStringLiteral("except")));
    const QCborMap flags = object.value(QStringLiteral("flags")).toMap();
    options.flags.isVolatile = flags.value(QStringLiteral("volatile")).toBool();
    const QCborValue compress = flags.value(QStringLiteral("compress"));
    if (compress.isBool())
        options.flags.compress = compress.toBool();
    const QCborValue timeout = flags.value(QStringLiteral("timeout"));
    if (isIntegral(timeout) && timeout.toInteger() > 0)
        options.flags.timeoutMs = int(std::min<qint64>(timeout.toInteger(), 24 * 3600 * 1000));
    return options;
}

QString javascriptDateString(const QDateTime &time)
{
    // Date#toString: "Thu Nov 26 2026 15:22:51 GMT+0000 (Coordinated Universal Time)".
    const QDateTime local = time.toLocalTime();
    const int offset = local.offsetFromUtc() / 60;
    const QString zone = QStringLiteral("GMT%1%2%3")
                             .arg(offset < 0 ? QStringLiteral("-") : QStringLiteral("+"))
                             .arg(std::abs(offset) / 60, 2, 10, QLatin1Char('0'))
                             .arg(std::abs(offset) % 60, 2, 10, QLatin1Char('0'));
    const QString name = local.timeZone().displayName(local, QTimeZone::LongName, QLocale::c());
    // V8 names the zone as ICU does: UTC is "Coordinated Universal Time" whatever its id.
    const bool utc = name.isEmpty() || name == zone || name == QLatin1String("UTC")
                  || name == QLatin1String("GMT") || name == QLatin1String("Universal");
    return QLocale::c().toString(local, QStringLiteral("ddd MMM dd yyyy HH:mm:ss ")) + zone + QStringLiteral(" (")
         + (utc && offset == 0 ? QStringLiteral("Coordinated Universal Time") : name) + QLatin1Char(')');
}

QCborMap socketToObject(const SocketDetails &socket)
{
    const SocketHandshake &h = socket.handshake;
    QCborMap handshake;
    handshake.insert(QStringLiteral("headers"), h.headers);
    handshake.insert(QStringLiteral("time"), javascriptDateString(h.time));
    handshake.insert(QStringLiteral("address"), h.address);
    handshake.insert(QStringLiteral("xdomain"), h.xdomain);
    handshake.insert(QStringLiteral("secure"), h.secure);
    handshake.insert(QStringLiteral("issued"), h.issued);
    handshake.insert(QStringLiteral("url"), h.url);
    handshake.insert(QStringLiteral("query"), h.query);
    handshake.insert(QStringLiteral("auth"), h.auth);
    QCborArray rooms;
    for (const QString &room : socket.rooms)
        rooms.append(room);
    QCborMap object;
    object.insert(QStringLiteral("id"), socket.id);
    object.insert(QStringLiteral("handshake"), handshake);
    object.insert(QStringLiteral("rooms"), rooms);
    object.insert(QStringLiteral("data"), socket.data);
    return object;
}

std::optional<SocketDetails> socketFromObject(const QCborValue &value)
{
    const QCborMap object = value.toMap();
    const QCborValue id = object.value(QStringLiteral("id"));
    if (!id.isString())
        return std::nullopt;
    SocketDetails socket;
    socket.id = id.toString();
    const QCborMap h = object.value(QStringLiteral("handshake")).toMap();
    socket.handshake.headers = h.value(QStringLiteral("headers")).toMap();
    socket.handshake.address = h.value(QStringLiteral("address")).toString();
    socket.handshake.xdomain = h.value(QStringLiteral("xdomain")).toBool();
    socket.handshake.secure = h.value(QStringLiteral("secure")).toBool();
    const QCborValue issued = h.value(QStringLiteral("issued"));
    // Date.now() is a double in JavaScript; one beyond int64 (or NaN) cannot be cast.
    const double issuedMs = issued.toDouble();
    socket.handshake.issued = !issued.isDouble() ? issued.toInteger()
                            : issuedMs > -9.2e18 && issuedMs < 9.2e18 ? qint64(issuedMs)
                                                                    : 0;
    socket.handshake.time = QDateTime::fromMSecsSinceEpoch(socket.handshake.issued, Qt::UTC);
    socket.handshake.url = h.value(QStringLiteral("url")).toString();
    socket.handshake.query = h.value(QStringLiteral("query")).toMap();
    socket.handshake.auth = h.value(QStringLiteral("auth")).toMap();
    socket.rooms = stringList(object.value(QStringLiteral("rooms")));
    std::sort(socket.rooms.begin(), socket.rooms.end());
    const QCborValue data = object.value(QStringLiteral("data"));
    socket.data = data.toMap();
    return socket;
}

QByteArray encodeBroadcast(const BroadcastMessage &message)
{
    return encodeMsgpack(QCborArray{message.uid, packetToObject(message.packet), optionsToObject(message.options)});
}

std::optional<BroadcastMessage> decodeBroadcast(QByteArrayView bytes, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<BroadcastMessage> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const std::optional<QCborValue> value = decodeMsgpack(bytes, error);
    if (!value)
        return std::nullopt;
    const QCborArray array = value->toArray();
    if (!value->isArray() || array.size() < 3)
        return fail(QStringLiteral("expected [uid, packet, opts]"));
    std::optional<SocketIO::Packet> packet = packetFromObject(array.at(1));
    if (!packet)
        return fail(QStringLiteral("packet is not a socket.io packet object"));
    if (!array.at(2).isMap())
        return fail(QStringLiteral("opts is not a map"));
    BroadcastMessage message;
    message.uid = array.at(0).toString();
    message.packet = *packet;
    message.options = optionsFromObject(array.at(2));
    return message;
}

QByteArray encodeJsonMessage(const QCborMap &message)
{
    return Json::write(message);
}

QByteArray encodeMsgpackMessage(const QCborMap &message)
{
    return encodeMsgpack(message);
}

std::optional<QCborMap> decodeMessage(QByteArrayView bytes, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<QCborMap> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (bytes.isEmpty())
        return fail(QStringLiteral("empty message"));
    if (bytes.front() == '{') {
        const Json::ParseResult parsed = Json::parse(bytes);
        if (!parsed.ok)
            return fail(QStringLiteral("invalid JSON: %1").arg(parsed.error));
        if (!parsed.value.isMap())
            return fail(QStringLiteral("not an object"));
        return parsed.value.toMap();
    }
    const std::optional<QCborValue> value = decodeMsgpack(bytes, error);
    if (!value)
        return std::nullopt;
    if (!value->isMap())
        return fail(QStringLiteral("not a map"));
    return value->toMap();
}

QByteArray Channels::roomChannel(const QString &room) const
{
    return broadcast + room.toUtf8() + '#';
}

Channels channelsFor(const QString &key, const QString &nsp, const QString &uid)
{
    const QByteArray k = key.toUtf8();
    const QByteArray n = nsp.toUtf8();
    Channels c;
    c.broadcast = k + '#' + n + '#';
    c.broadcastPattern = c.broadcast + '*';
    c.request = k + "-request#" + n + '#';
    c.response = k + "-response#" + n + '#';
    c.ownResponse = c.response + uid.toUtf8() + '#';
    return c;
}

} // namespace Plugboard::Redis
