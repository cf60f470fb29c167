#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QSet>
#include <QtCore/QSortFilterProxyModel>

namespace Plugboard {

class EventLogModel;

// The event log's filters, all combined: namespace, socket, room, event name, direction and
// free text (in the arguments, details, event name and socket id). Empty means "any".
class EventFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventFilterProxy)

public:
    enum class Direction { Any, Incoming, Outgoing, Connections, Rooms };
    Q_ENUM(Direction)

    explicit EventFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    QString namespaceFilter() const { return m_nsp; }
    void setNamespaceFilter(const QString &nsp);
    QString socketFilter() const { return m_socketId; }
    void setSocketFilter(const QString &socketId);
    QString roomFilter() const { return m_room; }
    // Events of the room's current members, broadcasts to it, and joins/leaves of it.
    void setRoomFilter(const QString &room, const QSet<QString> &members);
    void setRoomMembers(const QSet<QString> &members);
    QString eventFilter() const { return m_event; }
    void setEventFilter(const QString &event);
    Direction directionFilter() const { return m_direction; }
    void setDirectionFilter(Direction direction);
    QString textFilter() const { return m_text; }
    void setTextFilter(const QString &text);

    bool isFiltering() const;
    bool accepts(const EventRecord &record, const QString &summary) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    EventLogModel *m_log = nullptr;
    QString m_nsp;
    QString m_socketId;
    QString m_room;
    QSet<QString> m_roomMembers;
    QString m_event;
    Direction m_direction = Direction::Any;
    QString m_text;
};

} // namespace Plugboard
