#include "connectionsmodel.h"

#include "cborformat.h"

#include <QtCore/QLocale>

namespace Plugboard {

ConnectionsModel::ConnectionsModel(QObject *parent) : KeyedTableModel<SocketInfo>(parent) {}

int ConnectionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumnCount + int(m_dataKeys.size());
}

QStringList ConnectionsModel::sharedRooms(const SocketInfo &socket)
{
    QStringList rooms = socket.rooms;
    rooms.removeOne(socket.id);
    return rooms;
}

QVariant ConnectionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const SocketInfo &socket = at(index.row());
    switch (role) {
    case KeyRole:
        return socket.key();
    case NamespaceRole:
        return socket.nsp;
    case SocketIdRole:
        return socket.id;
    case Qt::ToolTipRole:
        if (index.column() == IdColumn)
            return tr("Engine.IO session %1%2").arg(socket.clientId, socket.recovered ? tr(" (recovered)") : QString());
        break;
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const int column = index.column();
    if (column >= FixedColumnCount) {
        const QCborValue value = socket.data.value(m_dataKeys.value(column - FixedColumnCount));
        if (value.isUndefined())
            return {};
        if (role == SortRole && (value.isInteger() || value.isDouble()))
            return value.toDouble();
        return CborFormat::cellText(value);
    }
    switch (Column(column)) {
    case IdColumn:
        return socket.id;
    case NamespaceColumn:
        return socket.nsp;
    case TransportColumn:
        return socket.transport;
    case AddressColumn:
        return socket.address;
    case RoomsColumn:
        return sharedRooms(socket).join(QStringLiteral(", "));
    case ConnectedColumn:
        if (role == SortRole)
            return socket.connectedAt;
        return QLocale().toString(socket.connectedAt.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case FixedColumnCount:
        break;
    }
    return {};
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Socket");
    case NamespaceColumn: return tr("Namespace");
    case TransportColumn: return tr("Transport");
    case AddressColumn: return tr("Address");
    case RoomsColumn: return tr("Rooms");
    case ConnectedColumn: return tr("Connected since");
    default:
        break;
    }
    const QString key = m_dataKeys.value(section - FixedColumnCount);
    return key.isEmpty() ? QVariant() : QVariant(QStringLiteral("data.") + key);
}

void ConnectionsModel::addDataKeys(const QList<SocketInfo> &sockets)
{
    QStringList fresh;
    for (const SocketInfo &socket : sockets) {
        for (auto it = socket.data.cbegin(); it != socket.data.cend(); ++it) {
            const QString key = it.key().toString();
            if (!key.isEmpty() && !m_dataKeys.contains(key) && !fresh.contains(key))
                fresh.append(key);
        }
    }
    if (fresh.isEmpty())
        return;
    const int first = columnCount();
    beginInsertColumns({}, first, first + int(fresh.size()) - 1);
    m_dataKeys.append(fresh);
    endInsertColumns();
}

void ConnectionsModel::applyBatch(const MonitorBatch &batch)
{
    if (batch.isSnapshot) {
        if (!m_dataKeys.isEmpty()) {
            beginRemoveColumns({}, FixedColumnCount, columnCount() - 1);
            m_dataKeys.clear();
            endRemoveColumns();
        }
        resetRows(batch.socketsAdded);
        addDataKeys(batch.socketsAdded);
        return;
    }
    removeKeys(batch.socketsRemoved);
    addDataKeys(batch.socketsAdded);
    const QList<int> changed = upsert(batch.socketsAdded);
    if (!changed.isEmpty()) {
        QStringList keys;
        keys.reserve(changed.size());
        for (const int row : changed)
            keys.append(at(row).key());
        Q_EMIT socketsChanged(keys);
    }
}

void ConnectionsModel::clear()
{
    if (!m_dataKeys.isEmpty()) {
        beginRemoveColumns({}, FixedColumnCount, columnCount() - 1);
        m_dataKeys.clear();
        endRemoveColumns();
    }
    resetRows({});
}

} // namespace Plugboard
