#include "roomsmodel.h"

#include <algorithm>

namespace Plugboard {

namespace {

constexpr int MembersShown = 20;

} // namespace

RoomsModel::RoomsModel(QObject *parent) : KeyedTableModel<RoomInfo>(parent) {}

int RoomsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoomsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RoomInfo &room = at(index.row());
    switch (role) {
    case NamespaceRole:
        return room.nsp;
    case NameRole:
        return room.name;
    case MembersRole:
        return room.members;
    case IsPrivateRole:
        return room.isPrivate;
    case Qt::ToolTipRole:
        if (room.isPrivate)
            return tr("The private room of socket %1").arg(room.name);
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case NamespaceColumn:
        return room.nsp;
    case NameColumn:
        return room.name;
    case MemberCountColumn:
        return int(room.members.size());
    case MembersColumn: {
        if (role == SortRole)
            return room.members.value(0);
        QString shown = room.members.mid(0, MembersShown).join(QStringLiteral(", "));
        if (room.members.size() > MembersShown)
            shown += tr(", … (%1 more)").arg(room.members.size() - MembersShown);
        return shown;
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RoomsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NamespaceColumn: return tr("Namespace");
    case NameColumn: return tr("Room");
    case MemberCountColumn: return tr("Members");
    case MembersColumn: return tr("Sockets");
    case ColumnCount: break;
    }
    return {};
}

void RoomsModel::applyBatch(const MonitorBatch &batch)
{
    if (batch.isSnapshot) {
        resetRows(batch.roomsChanged);
        return;
    }
    QStringList removed;
    removed.reserve(batch.roomsRemoved.size());
    for (const auto &room : batch.roomsRemoved)
        removed.append(keyFor(room.first, room.second));
    removeKeys(removed);
    upsert(batch.roomsChanged);
}

void RoomsModel::clear()
{
    resetRows({});
}

QSet<QString> RoomsModel::membersOf(const QString &room, const QString &nsp) const
{
    QSet<QString> members;
    for (const RoomInfo &info : rows()) {
        if (info.name == room && (nsp.isEmpty() || info.nsp == nsp)) {
            for (const QString &id : info.members)
                members.insert(id);
        }
    }
    return members;
}

QStringList RoomsModel::publicRoomNames(const QString &nsp) const
{
    QStringList names;
    for (const RoomInfo &info : rows()) {
        if (!info.isPrivate && (nsp.isEmpty() || info.nsp == nsp) && !names.contains(info.name))
            names.append(info.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace Plugboard
