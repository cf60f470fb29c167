#include "namespacesmodel.h"

#include <algorithm>

namespace Plugboard {

NamespacesModel::NamespacesModel(QObject *parent) : QAbstractTableModel(parent) {}

int NamespacesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_namespaces.size());
}

int NamespacesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NamespacesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const NamespaceInfo &info = m_namespaces.at(index.row());
    if (role == NameRole)
        return info.name;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case NameColumn: return info.name;
    case SocketsColumn: return info.sockets;
    case ColumnCount: break;
    }
    return {};
}

QVariant NamespacesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn: return tr("Namespace");
    case SocketsColumn: return tr("Sockets");
    case ColumnCount: break;
    }
    return {};
}

void NamespacesModel::applyBatch(const MonitorBatch &batch)
{
    // The monitor sends the whole list whenever any namespace changed.
    if (batch.isSnapshot || !batch.namespaces.isEmpty())
        setNamespaces(batch.namespaces);
}

void NamespacesModel::clear()
{
    setNamespaces({});
}

QStringList NamespacesModel::names() const
{
    QStringList names;
    for (const NamespaceInfo &info : m_namespaces)
        names.append(info.name);
    return names;
}

void NamespacesModel::setNamespaces(QList<NamespaceInfo> namespaces)
{
    std::sort(namespaces.begin(), namespaces.end(),
              [](const NamespaceInfo &a, const NamespaceInfo &b) { return a.name < b.name; });
    bool sameNames = namespaces.size() == m_namespaces.size();
    for (qsizetype i = 0; sameNames && i < namespaces.size(); ++i)
        sameNames = namespaces.at(i).name == m_namespaces.at(i).name;
    if (sameNames) {
        // Counts only: keep selections and combo boxes where they are.
        m_namespaces = std::move(namespaces);
        if (!m_namespaces.isEmpty())
            Q_EMIT dataChanged(index(0, SocketsColumn), index(rowCount() - 1, SocketsColumn));
        return;
    }
    beginResetModel();
    m_namespaces = std::move(namespaces);
    endResetModel();
}

} // namespace Plugboard
