#pragma once

#include "keyedtablemodel.h"

#include <monitor/monitortypes.h>

namespace Plugboard {

// One row per connected socket (namespace + id), fed by monitor batches. Besides the fixed
// columns, every key seen in any socket's `socket.data` gets a column of its own (e.g. a
// `user` claim set by middleware), so sockets can be sorted and searched by it.
class ConnectionsModel : public KeyedTableModel<SocketInfo>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsModel)

public:
    enum Column {
        IdColumn,
        NamespaceColumn,
        TransportColumn,
        AddressColumn,
        RoomsColumn,
        ConnectedColumn,
        FixedColumnCount
    };
    enum Role {
        KeyRole = Qt::UserRole + 1,
        NamespaceRole,
        SocketIdRole,
        SortRole,
    };

    explicit ConnectionsModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applyBatch(const MonitorBatch &batch);
    void clear();

    QStringList dataKeys() const { return m_dataKeys; }
    // Rooms other than the socket's own, which every socket is in.
    static QStringList sharedRooms(const SocketInfo &socket);

Q_SIGNALS:
    void socketsChanged(const QStringList &keys);

protected:
    QString keyOf(const SocketInfo &socket) const override { return socket.key(); }

private:
    void addDataKeys(const QList<SocketInfo> &sockets);

    QStringList m_dataKeys;
};

} // namespace Plugboard
