#pragma once

#include <QtCore/QSortFilterProxyModel>

namespace Plugboard {

// Rooms of one namespace (or all), private rooms hidden unless asked, and a name filter.
class RoomFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomFilterProxy)

public:
    explicit RoomFilterProxy(QObject *parent = nullptr);

    void setNamespaceFilter(const QString &nsp);
    QString namespaceFilter() const { return m_nsp; }
    void setShowPrivate(bool show);
    bool showPrivate() const { return m_showPrivate; }
    void setNameFilter(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_nsp;
    QString m_name;
    bool m_showPrivate = false;
};

} // namespace Plugboard
