#pragma once

#include <plugboard_core_export.h>

#include "../adapter/adapter.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Plugboard {

// Value types that cross from the server thread to user interfaces. Nothing here points into
// the server: a console can be fed the same values from a remote server later.

struct PLUGBOARD_CORE_EXPORT SocketInfo
{
    QString nsp;
    QString id;
    QString clientId; // the Engine.IO session
    QString transport;
    QString address;
    QDateTime connectedAt;
    QStringList rooms; // sorted
    QCborMap data;
    QCborMap headers;
    QCborMap query;
    QCborMap auth; // secrets masked (keys like token, password, secret, key, authorization)
    bool recovered = false;

    QString key() const { return nsp + QLatin1Char('#') + id; }
};

struct PLUGBOARD_CORE_EXPORT RoomInfo
{
    QString nsp;
    QString name;
    QStringList members; // socket ids, sorted
    bool isPrivate = false; // the room of one socket's own id
};

struct PLUGBOARD_CORE_EXPORT NamespaceInfo
{
    QString name;
    int sockets = 0;
};

struct PLUGBOARD_CORE_EXPORT EventRecord
{
    enum class Kind {
        Received,     // an event from a client
        Sent,         // an event to one socket
        Broadcast,    // an event to rooms (one record, whatever the audience)
        Connected,
        Disconnected, // detail: the reason
        ConnectRefused, // detail: the middleware's message
        RoomJoined,   // detail: the room
        RoomLeft,
    };
    quint64 seq = 0;
    QDateTime time;
    Kind kind = Kind::Received;
    QString nsp;
    QString socketId;   // empty for broadcasts
    QStringList rooms;  // broadcasts: the target rooms (empty: everyone)
    QStringList except;
    int recipients = 0; // broadcasts
    QString event;
    QCborArray args;
    bool ackRequested = false;
    QString detail;
};

struct PLUGBOARD_CORE_EXPORT ServerStats
{
    QDateTime sampledAt;
    QDateTime startedAt;
    int clients = 0;
    int pollingClients = 0;
    int webSocketClients = 0;
    int sockets = 0;
    int rooms = 0;
    quint64 eventsIn = 0;
    quint64 eventsOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 connectionsTotal = 0;
    quint64 connectErrors = 0;
    QHash<QString, quint64> disconnectsByReason;
    AdapterStatus adapter; // the main namespace's
    qint64 residentBytes = 0;
};

// Changes since the previous batch (or, from snapshot(), everything as "added").
struct PLUGBOARD_CORE_EXPORT MonitorBatch
{
    QList<SocketInfo> socketsAdded;   // new or changed (replace by key)
    QStringList socketsRemoved;       // keys
    QList<RoomInfo> roomsChanged;     // new or changed rooms (replace by nsp + name)
    QList<QPair<QString, QString>> roomsRemoved; // nsp, name
    QList<NamespaceInfo> namespaces;  // all, when any changed
    QList<EventRecord> events;        // in order
    quint64 eventsDropped = 0;        // records not kept because the batch was full
    ServerStats stats;
    bool isSnapshot = false;
};

} // namespace Plugboard

Q_DECLARE_METATYPE(Plugboard::SocketInfo)
Q_DECLARE_METATYPE(Plugboard::RoomInfo)
Q_DECLARE_METATYPE(Plugboard::EventRecord)
Q_DECLARE_METATYPE(Plugboard::ServerStats)
Q_DECLARE_METATYPE(Plugboard::MonitorBatch)
