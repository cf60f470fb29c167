#pragma once

#include "keyedtablemodel.h"

#include <monitor/monitortypes.h>

namespace Plugboard {

// One row per room of every namespace, with its members, fed by monitor batches. Private
// rooms (each socket's own) are rows too; RoomsPage hides them unless asked.
class RoomsModel : public KeyedTableModel<RoomInfo>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomsModel)

public:
    enum Column { NamespaceColumn, NameColumn, MemberCountColumn, MembersColumn, ColumnCount };
    enum Role {
        NamespaceRole = Qt::UserRole + 1,
        NameRole,
        MembersRole,
        IsPrivateRole,
        SortRole,
    };

    explicit RoomsModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applyBatch(const MonitorBatch &batch);
    void clear();

    static QString keyFor(const QString &nsp, const QString &room) { return nsp + QLatin1Char('\n') + room; }
    // Members of every room of that name (in nsp, or in any namespace when nsp is empty).
    QSet<QString> membersOf(const QString &room, const QString &nsp = {}) const;
    // Names of the public rooms of nsp (any namespace when empty), sorted.
    QStringList publicRoomNames(const QString &nsp = {}) const;

protected:
    QString keyOf(const RoomInfo &room) const override { return keyFor(room.nsp, room.name); }
};

} // namespace Plugboard
