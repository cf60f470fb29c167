#include "eventfilterproxy.h"

#include "eventlogmodel.h"

namespace Plugboard {

namespace {

bool matchesDirection(EventRecord::Kind kind, EventFilterProxy::Direction direction)
{
    using Kind = EventRecord::Kind;
    switch (direction) {
    case EventFilterProxy::Direction::Any:
        return true;
    case EventFilterProxy::Direction::Incoming:
        return kind == Kind::Received;
    case EventFilterProxy::Direction::Outgoing:
        return kind == Kind::Sent || kind == Kind::Broadcast;
    case EventFilterProxy::Direction::Connections:
        return kind == Kind::Connected || kind == Kind::Disconnected || kind == Kind::ConnectRefused;
    case EventFilterProxy::Direction::Rooms:
        return kind == Kind::RoomJoined || kind == Kind::RoomLeft;
    }
    return true;
}

} // namespace

EventFilterProxy::EventFilterProxy(QObject *parent) : QSortFilterProxyModel(parent) {}

void EventFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_log = qobject_cast<EventLogModel *>(model);
    Q_ASSERT_X(m_log || !model, "EventFilterProxy", "the source must be an EventLogModel");
    QSortFilterProxyModel::setSourceModel(model);
}

void EventFilterProxy::refilter()
{
    invalidateRowsFilter();
}

void EventFilterProxy::setNamespaceFilter(const QString &nsp)
{
    if (nsp == m_nsp)
        return;
    m_nsp = nsp;
    refilter();
}

void EventFilterProxy::setSocketFilter(const QString &socketId)
{
    if (socketId == m_socketId)
        return;
    m_socketId = socketId;
    refilter();
}

void EventFilterProxy::setRoomFilter(const QString &room, const QSet<QString> &members)
{
    if (room == m_room && members == m_roomMembers)
        return;
    m_room = room;
    m_roomMembers = room.isEmpty() ? QSet<QString>() : members;
    refilter();
}

void EventFilterProxy::setRoomMembers(const QSet<QString> &members)
{
    if (m_room.isEmpty() || members == m_roomMembers)
        return;
    m_roomMembers = members;
    refilter();
}

void EventFilterProxy::setEventFilter(const QString &event)
{
    if (event == m_event)
        return;
    m_event = event;
    refilter();
}

void EventFilterProxy::setDirectionFilter(Direction direction)
{
    if (direction == m_direction)
        return;
    m_direction = direction;
    refilter();
}

void EventFilterProxy::setTextFilter(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    refilter();
}

bool EventFilterProxy::isFiltering() const
{
    return !m_nsp.isEmpty() || !m_socketId.isEmpty() || !m_room.isEmpty() || !m_event.isEmpty()
           || m_direction != Direction::Any || !m_text.isEmpty();
}

bool EventFilterProxy::accepts(const EventRecord &r, const QString &summary) const
{
    using Kind = EventRecord::Kind;
    if (!m_nsp.isEmpty() && r.nsp != m_nsp)
        return false;
    if (!matchesDirection(r.kind, m_direction))
        return false;
    if (!m_socketId.isEmpty() && r.socketId != m_socketId
        && !(r.kind == Kind::Broadcast && r.rooms.contains(m_socketId)))
        return false;
    if (!m_room.isEmpty()) {
        const bool roomChange = (r.kind == Kind::RoomJoined || r.kind == Kind::RoomLeft) && r.detail == m_room;
        const bool broadcastToRoom = r.kind == Kind::Broadcast && r.rooms.contains(m_room);
        const bool byMember = r.kind != Kind::Broadcast && m_roomMembers.contains(r.socketId);
        if (!roomChange && !broadcastToRoom && !byMember)
            return false;
    }
    if (!m_event.isEmpty() && !r.event.contains(m_event, Qt::CaseInsensitive))
        return false;
    if (!m_text.isEmpty() && !summary.contains(m_text, Qt::CaseInsensitive)
        && !r.event.contains(m_text, Qt::CaseInsensitive) && !r.socketId.contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_log || sourceParent.isValid())
        return true;
    if (!isFiltering())
        return true;
    // The summary is only rendered when free text needs it.
    static const QString none;
    return accepts(m_log->record(sourceRow), m_text.isEmpty() ? none : m_log->summary(sourceRow));
}

} // namespace Plugboard
