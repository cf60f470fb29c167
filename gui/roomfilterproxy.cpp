#include "roomfilterproxy.h"

#include "roomsmodel.h"

namespace Plugboard {

RoomFilterProxy::RoomFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RoomsModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void RoomFilterProxy::setNamespaceFilter(const QString &nsp)
{
    if (nsp == m_nsp)
        return;
    m_nsp = nsp;
    invalidateRowsFilter();
}

void RoomFilterProxy::setShowPrivate(bool show)
{
    if (show == m_showPrivate)
        return;
    m_showPrivate = show;
    invalidateRowsFilter();
}

void RoomFilterProxy::setNameFilter(const QString &text)
{
    if (text == m_name)
        return;
    m_name = text;
    invalidateRowsFilter();
}

bool RoomFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_showPrivate && index.data(RoomsModel::IsPrivateRole).toBool())
        return false;
    if (!m_nsp.isEmpty() && index.data(RoomsModel::NamespaceRole).toString() != m_nsp)
        return false;
    return m_name.isEmpty() || index.data(RoomsModel::NameRole).toString().contains(m_name, Qt::CaseInsensitive);
}

} // namespace Plugboard
