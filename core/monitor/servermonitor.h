#pragma once

#include <plugboard_core_export.h>

#include "monitortypes.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>

namespace Plugboard {

class Namespace;
class Server;
class Socket;

// What user interfaces see of a server: a snapshot of sockets, rooms, namespaces and stats,
// and batches of changes published on a timer (batchReady), as value types that may cross
// threads. Lives in the server's thread; connect with a queued connection from elsewhere.
class PLUGBOARD_CORE_EXPORT ServerMonitor : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerMonitor)

public:
    struct Options
    {
        int batchIntervalMs = 250;
        // Event records kept per batch; beyond it they are counted in eventsDropped, so a
        // flood cannot grow memory (the console shows the count).
        int maxEventsPerBatch = 5000;
        // Record event arguments (off: names only).
        bool recordArguments = true;
        // Record events at all (off: only sockets, rooms, namespaces and stats).
        bool recordEvents = true;
        // Namespaces left out entirely (the admin namespace: the console's own kind of traffic).
        QStringList hiddenNamespaces;
    };

    explicit ServerMonitor(Server *server, QObject *parent = nullptr);
    ServerMonitor(Server *server, Options options, QObject *parent = nullptr);
    ~ServerMonitor() override;

    // Everything now, as one batch with isSnapshot set. Thread-safe to call only from the
    // server's thread (use QMetaObject::invokeMethod from elsewhere; or requestSnapshot()).
    MonitorBatch snapshot() const;
    ServerStats stats() const;
    // Masks values of secret-looking keys (token, password, secret, key, authorization...).
    static QCborMap maskSecrets(const QCborMap &map);

public Q_SLOTS:
    // Emits snapshotReady(snapshot()) in the monitor's thread.
    void requestSnapshot();

Q_SIGNALS:
    void batchReady(const Plugboard::MonitorBatch &batch);
    void snapshotReady(const Plugboard::MonitorBatch &batch);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void watchNamespace(Namespace *nsp);
    void watchSocket(Socket *socket);
    void record(EventRecord record);
    SocketInfo describe(const Socket *socket) const;
    RoomInfo describeRoom(const Namespace *nsp, const QString &room) const;
    void markSocketChanged(const Socket *socket);
    void markRoomChanged(const Namespace *nsp, const QString &room);
    void flush();

    QPointer<Server> m_server;
    Options m_options;
    QBasicTimer m_timer;
    QDateTime m_startedAt;
    quint64 m_seq = 0;
    QHash<QString, quint64> m_disconnectsByReason;

    // Pending changes.
    QSet<QString> m_changedSockets; // keys
    QHash<QString, QPointer<Socket>> m_socketsByKey;
    QStringList m_removedSockets;
    QSet<QPair<QString, QString>> m_changedRooms;
    bool m_namespacesChanged = false;
    QList<EventRecord> m_events;
    quint64 m_eventsDropped = 0;
};

} // namespace Plugboard
