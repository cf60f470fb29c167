#include "eventlogmodel.h"

#include "cborformat.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

namespace Plugboard {

namespace {

constexpr qsizetype SummaryLength = 300;

QJsonArray toJsonArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace

EventLogModel::EventLogModel(QObject *parent) : QAbstractTableModel(parent) {}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::kindName(EventRecord::Kind kind)
{
    switch (kind) {
    case EventRecord::Kind::Received: return QStringLiteral("in");
    case EventRecord::Kind::Sent: return QStringLiteral("out");
    case EventRecord::Kind::Broadcast: return QStringLiteral("broadcast");
    case EventRecord::Kind::Connected: return QStringLiteral("connect");
    case EventRecord::Kind::Disconnected: return QStringLiteral("disconnect");
    case EventRecord::Kind::ConnectRefused: return QStringLiteral("refused");
    case EventRecord::Kind::RoomJoined: return QStringLiteral("join");
    case EventRecord::Kind::RoomLeft: return QStringLiteral("leave");
    }
    return {};
}

const QString &EventLogModel::summary(int row) const
{
    const Row &entry = m_rows.at(size_t(row));
    if (entry.summary.isNull()) {
        const EventRecord &r = entry.record;
        switch (r.kind) {
        case EventRecord::Kind::Received:
        case EventRecord::Kind::Sent:
            entry.summary = CborFormat::compactJson(r.args, SummaryLength);
            if (r.ackRequested)
                entry.summary += QStringLiteral("  (ack requested)");
            break;
        case EventRecord::Kind::Broadcast: {
            QString target = r.rooms.isEmpty() ? tr("everyone") : tr("to %1").arg(r.rooms.join(QStringLiteral(", ")));
            if (!r.except.isEmpty())
                target += tr(" except %1").arg(r.except.join(QStringLiteral(", ")));
            entry.summary = CborFormat::compactJson(r.args, SummaryLength) + QStringLiteral("  ")
                            + tr("[%1, %n recipient(s)]", nullptr, r.recipients).arg(target);
            break;
        }
        default:
            entry.summary = r.detail;
            break;
        }
        if (entry.summary.isNull())
            entry.summary = QLatin1String("");
    }
    return entry.summary;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const EventRecord &r = record(index.row());
    switch (role) {
    case KindRole:
        return int(r.kind);
    case SeqRole:
        return r.seq;
    case SocketIdRole:
        return r.socketId;
    case NamespaceRole:
        return r.nsp;
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case TimeColumn: return r.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case KindColumn: return kindName(r.kind);
    case NamespaceColumn: return r.nsp;
    case SocketColumn: return r.socketId;
    case EventColumn: return r.event;
    case ArgumentsColumn: return summary(index.row());
    case ColumnCount: break;
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Kind");
    case NamespaceColumn: return tr("Namespace");
    case SocketColumn: return tr("Socket");
    case EventColumn: return tr("Event");
    case ArgumentsColumn: return tr("Arguments / detail");
    case ColumnCount: break;
    }
    return {};
}

void EventLogModel::setCapacity(int capacity)
{
    capacity = qMax(1, capacity);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    trimTo(capacity);
    while (m_pending.size() > size_t(capacity)) {
        m_pending.pop_front();
        ++m_dropped;
    }
    Q_EMIT capacityChanged(capacity);
}

void EventLogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused && !m_pending.empty()) {
        std::deque<Row> pending = std::exchange(m_pending, {});
        insertRows(pending);
        Q_EMIT pendingCountChanged(0);
    }
    Q_EMIT pausedChanged(paused);
}

void EventLogModel::applyBatch(const MonitorBatch &batch)
{
    if (batch.eventsDropped > 0) {
        m_dropped += batch.eventsDropped;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    if (!batch.events.isEmpty())
        append(batch.events);
}

void EventLogModel::append(const QList<EventRecord> &records)
{
    if (records.isEmpty())
        return;
    QStringList names;
    QSet<QString> seen;
    for (const EventRecord &r : records) {
        if (!r.event.isEmpty() && !seen.contains(r.event)) {
            seen.insert(r.event);
            names.append(r.event);
        }
    }
    if (!names.isEmpty())
        Q_EMIT eventNamesSeen(names);

    if (m_paused) {
        for (const EventRecord &r : records)
            m_pending.push_back(Row{r, {}});
        bool dropped = false;
        while (m_pending.size() > size_t(m_capacity)) {
            m_pending.pop_front();
            ++m_dropped;
            dropped = true;
        }
        if (dropped)
            Q_EMIT droppedCountChanged(m_dropped);
        Q_EMIT pendingCountChanged(int(m_pending.size()));
        return;
    }
    std::deque<Row> incoming;
    for (const EventRecord &r : records)
        incoming.push_back(Row{r, {}});
    insertRows(incoming);
}

void EventLogModel::insertRows(std::deque<Row> &incoming)
{
    if (incoming.empty())
        return;
    // Only the newest `capacity` records can stay; the rest never become rows.
    if (incoming.size() > size_t(m_capacity)) {
        const size_t excess = incoming.size() - size_t(m_capacity);
        incoming.erase(incoming.begin(), incoming.begin() + qsizetype(excess));
        m_dropped += excess;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    trimTo(m_capacity - int(incoming.size()));
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(incoming.size()) - 1);
    for (Row &row : incoming)
        m_rows.push_back(std::move(row));
    endInsertRows();
}

void EventLogModel::trimTo(int capacity)
{
    capacity = qMax(0, capacity);
    if (m_rows.size() <= size_t(capacity))
        return;
    const int excess = int(m_rows.size()) - capacity;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
    endRemoveRows();
    m_dropped += quint64(excess);
    Q_EMIT droppedCountChanged(m_dropped);
}

void EventLogModel::clear()
{
    const bool hadPending = !m_pending.empty();
    m_pending.clear();
    if (!m_rows.empty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    if (m_dropped != 0) {
        m_dropped = 0;
        Q_EMIT droppedCountChanged(0);
    }
    if (hadPending)
        Q_EMIT pendingCountChanged(0);
}

QByteArray EventLogModel::toNdjson(const EventRecord &r)
{
    QJsonObject object{
        {QStringLiteral("seq"), qint64(r.seq)},
        {QStringLiteral("time"), r.time.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("kind"), kindName(r.kind)},
        {QStringLiteral("nsp"), r.nsp},
    };
    if (!r.socketId.isEmpty())
        object.insert(QStringLiteral("socket"), r.socketId);
    if (!r.event.isEmpty())
        object.insert(QStringLiteral("event"), r.event);
    switch (r.kind) {
    case EventRecord::Kind::Broadcast:
        object.insert(QStringLiteral("rooms"), toJsonArray(r.rooms));
        if (!r.except.isEmpty())
            object.insert(QStringLiteral("except"), toJsonArray(r.except));
        object.insert(QStringLiteral("recipients"), r.recipients);
        Q_FALLTHROUGH();
    case EventRecord::Kind::Received:
    case EventRecord::Kind::Sent:
        object.insert(QStringLiteral("args"), CborFormat::toJson(r.args));
        if (r.ackRequested)
            object.insert(QStringLiteral("ack"), true);
        break;
    default:
        break;
    }
    if (!r.detail.isEmpty())
        object.insert(QStringLiteral("detail"), r.detail);
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace Plugboard
