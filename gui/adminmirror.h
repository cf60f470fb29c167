#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QCborArray>
#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QStringList>

namespace Plugboard {

// A remote server's state rebuilt from the admin-ui protocol's events (the official UI's
// model: all_sockets, then socket_*, room_* and event_* patches), handed out as the same
// MonitorBatch values the embedded server's monitor produces, so every page works on both.
// No I/O: feed it events, take batches.
class AdminMirror
{
public:
    struct Options
    {
        int maxEventsPerBatch = 5000;
        QStringList hiddenNamespaces; // e.g. the admin namespace itself
    };

    AdminMirror() : AdminMirror(Options()) {}
    explicit AdminMirror(Options options) : m_options(std::move(options)) {}

    // One incoming admin event. False when its arguments are malformed (it is then ignored).
    bool handle(const QString &event, const QCborArray &args);
    // Forget everything (a new connection is about to send all_sockets).
    void reset();

    // The changes since the last call; isSnapshot after all_sockets replaced the state.
    MonitorBatch takeBatch();
    MonitorBatch snapshot() const;
    bool hasChanges() const;

    QStringList features() const { return m_features; }
    bool hasConfig() const { return m_hasConfig; }
    int extensionsVersion() const { return m_extensionsVersion; }
    QString serverType() const { return m_serverType; }
    const ServerStats &stats() const { return m_stats; }
    qsizetype socketCount() const { return m_sockets.size(); }

private:
    bool onConfig(const QCborArray &args);
    bool onAllSockets(const QCborArray &sockets, bool replace);
    bool onSocketConnected(const QCborArray &args);
    bool onSocketUpdated(const QCborArray &args);
    bool onSocketDisconnected(const QCborArray &args);
    bool onRoom(const QCborArray &args, bool joined);
    bool onEvent(const QCborArray &args, EventRecord::Kind kind);
    bool onConnectionError(const QCborArray &args);
    bool onServerStats(const QCborArray &args);
    bool addSocket(const QCborMap &serialized);
    void setMembership(const QString &nsp, const QString &room, const QString &id, bool member);
    void record(EventRecord record, const QCborValue &timestamp);
    bool hidden(const QString &nsp) const { return m_options.hiddenNamespaces.contains(nsp); }
    RoomInfo describeRoom(const QString &nsp, const QString &room) const;
    QList<NamespaceInfo> namespaceList() const;
    int publicRoomCount() const;

    Options m_options;
    QStringList m_features;
    bool m_hasConfig = false;
    int m_extensionsVersion = 0;
    QString m_serverType;

    QHash<QString, SocketInfo> m_sockets;                       // by key nsp#id
    QHash<QPair<QString, QString>, QSet<QString>> m_rooms;      // (nsp, room) -> socket ids
    // Per serverId: what its latest server_stats said.
    struct ServerReport
    {
        QList<NamespaceInfo> namespaces;
        int clients = 0;
        int pollingClients = 0;
        qint64 residentBytes = 0;
    };
    QHash<QString, ServerReport> m_servers;
    ServerStats m_stats;
    quint64 m_seq = 0;

    bool m_replaced = false;
    QSet<QString> m_changedSockets;
    QStringList m_removedSockets;
    QSet<QPair<QString, QString>> m_changedRooms;
    bool m_namespacesChanged = false;
    QList<EventRecord> m_events;
    quint64 m_eventsDropped = 0;
};

} // namespace Plugboard
