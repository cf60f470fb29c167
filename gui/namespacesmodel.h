#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QAbstractTableModel>

namespace Plugboard {

// The namespaces of the server with their socket counts.
class NamespacesModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NamespacesModel)

public:
    enum Column { NameColumn, SocketsColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit NamespacesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applyBatch(const MonitorBatch &batch);
    void clear();
    QStringList names() const;

private:
    void setNamespaces(QList<NamespaceInfo> namespaces);

    QList<NamespaceInfo> m_namespaces;
};

} // namespace Plugboard
