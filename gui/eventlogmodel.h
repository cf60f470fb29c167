#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QAbstractTableModel>

#include <deque>

class QIODevice;

namespace Plugboard {

// The event log: the monitor's event records in arrival order, in a ring of `capacity` rows
// (oldest dropped first). Paused, new records wait aside (also bounded by capacity) and
// pendingCount() says how many; resuming appends them.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)

public:
    enum Column {
        TimeColumn,
        KindColumn,
        NamespaceColumn,
        SocketColumn,
        EventColumn,
        ArgumentsColumn,
        ColumnCount
    };
    enum Role { KindRole = Qt::UserRole + 1, SeqRole, SocketIdRole, NamespaceRole };
    static constexpr int DefaultCapacity = 10000;

    explicit EventLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const EventRecord &record(int row) const { return m_rows.at(size_t(row)).record; }
    // The arguments (events) or the detail (lifecycle records) as one line; cached.
    const QString &summary(int row) const;

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    int pendingCount() const { return int(m_pending.size()); }
    // Records the monitor could not keep (batch full) plus those the ring pushed out.
    quint64 droppedCount() const { return m_dropped; }

    void applyBatch(const MonitorBatch &batch);
    void append(const QList<EventRecord> &records);
    void clear();

    static QString kindName(EventRecord::Kind kind);
    // One JSON object per line: seq, time, kind, nsp, socket, event, args, ...
    static QByteArray toNdjson(const EventRecord &record);

Q_SIGNALS:
    void capacityChanged(int capacity);
    void pausedChanged(bool paused);
    void pendingCountChanged(int count);
    void droppedCountChanged(quint64 count);
    void eventNamesSeen(const QStringList &names);

private:
    struct Row
    {
        EventRecord record;
        mutable QString summary;
    };
    void insertRows(std::deque<Row> &incoming);
    void trimTo(int capacity);

    std::deque<Row> m_rows;
    std::deque<Row> m_pending;
    int m_capacity = DefaultCapacity;
    bool m_paused = false;
    quint64 m_dropped = 0;
};

} // namespace Plugboard
