#pragma once

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>

#include <algorithm>

namespace Plugboard {

// Rows of value type T identified by a string key, updated incrementally the way monitor
// batches describe changes: replace-or-append, remove by key, or reset. Removals and
// insertions are announced in contiguous ranges and changes row by row, so views and
// proxies touch only what changed (thousands of rows stay cheap).
template<typename T>
class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    const T &at(int row) const { return m_rows.at(row); }
    int rowOf(const QString &key) const
    {
        const int row = m_rowByKey.value(key, -1);
        if (row < 0 || (row < m_rows.size() && keyOf(m_rows.at(row)) == key))
            return row;
        // Only while removals are announced range by range (views and their slots ask
        // between two ranges): rows after a removed range have moved, the index is rebuilt
        // after the last one.
        for (int i = 0; i < m_rows.size(); ++i) {
            if (keyOf(m_rows.at(i)) == key)
                return i;
        }
        return -1;
    }
    const T *find(const QString &key) const
    {
        const int row = rowOf(key);
        return row < 0 ? nullptr : &m_rows.at(row);
    }
    const QList<T> &rows() const { return m_rows; }

protected:
    virtual QString keyOf(const T &row) const = 0;

    void resetRows(QList<T> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        m_rowByKey.clear();
        reindex(0);
        endResetModel();
    }

    void removeKeys(const QStringList &keys)
    {
        QList<int> doomed;
        doomed.reserve(keys.size());
        for (const QString &key : keys) {
            const int row = rowOf(key);
            if (row >= 0)
                doomed.append(row);
        }
        if (doomed.isEmpty())
            return;
        std::sort(doomed.begin(), doomed.end());
        doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());
        for (const int row : std::as_const(doomed))
            m_rowByKey.remove(keyOf(m_rows.at(row)));
        if (rangeCount(doomed) > MaxRemovedRanges) {
            removeScattered(doomed);
            return;
        }
        // From the end, so earlier row numbers stay valid.
        qsizetype i = doomed.size() - 1;
        while (i >= 0) {
            const int last = doomed.at(i);
            int first = last;
            while (i > 0 && doomed.at(i - 1) == first - 1)
                first = doomed.at(--i);
            --i;
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        }
        reindex(doomed.first());
    }

    // Returns the rows that replaced an existing one (already announced with dataChanged).
    QList<int> upsert(const QList<T> &rows)
    {
        QList<int> changed;
        QList<T> added;
        for (const T &row : rows) {
            const int existing = rowOf(keyOf(row));
            if (existing >= 0) {
                m_rows[existing] = row;
                changed.append(existing);
            } else if (!m_pendingKeys.contains(keyOf(row))) {
                m_pendingKeys.insert(keyOf(row));
                added.append(row);
            }
        }
        m_pendingKeys.clear();
        std::sort(changed.begin(), changed.end());
        changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
        for (qsizetype i = 0; i < changed.size();) {
            qsizetype j = i;
            while (j + 1 < changed.size() && changed.at(j + 1) == changed.at(j) + 1)
                ++j;
            Q_EMIT dataChanged(index(changed.at(i), 0), index(changed.at(j), columnCount() - 1));
            i = j + 1;
        }
        if (!added.isEmpty()) {
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + int(added.size()) - 1);
            m_rows.append(added);
            reindex(first);
            endInsertRows();
        }
        return changed;
    }

private:
    // Beyond this many separate ranges one layout change is cheaper than announcing each range
    // (every announcement costs views and proxies a pass over all rows; a layout change makes
    // sorting proxies sort again). Measured with 10 000 rows in a sorted, visible table.
    static constexpr qsizetype MaxRemovedRanges = 1000;

    static qsizetype rangeCount(const QList<int> &sortedRows)
    {
        qsizetype ranges = 0;
        for (qsizetype i = 0; i < sortedRows.size(); ++i) {
            if (i == 0 || sortedRows.at(i) != sortedRows.at(i - 1) + 1)
                ++ranges;
        }
        return ranges;
    }

    // Removes rows scattered over the table as one layout change: persistent indexes (view
    // selections, proxies) follow the rows that stay and the removed ones become invalid.
    void removeScattered(const QList<int> &sortedRows)
    {
        Q_EMIT layoutAboutToBeChanged();
        QList<int> newRow(m_rows.size(), -1);
        QList<T> kept;
        kept.reserve(m_rows.size() - sortedRows.size());
        qsizetype next = 0;
        for (int row = 0; row < m_rows.size(); ++row) {
            if (next < sortedRows.size() && sortedRows.at(next) == row) {
                ++next;
                continue;
            }
            newRow[row] = int(kept.size());
            kept.append(std::move(m_rows[row]));
        }
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &index : from) {
            const int row = newRow.at(index.row());
            to.append(row < 0 ? QModelIndex() : createIndex(row, index.column()));
        }
        m_rows = std::move(kept);
        changePersistentIndexList(from, to);
        reindex(sortedRows.first());
        Q_EMIT layoutChanged();
    }

    void reindex(int from)
    {
        for (int row = from; row < m_rows.size(); ++row)
            m_rowByKey.insert(keyOf(m_rows.at(row)), row);
    }

    QList<T> m_rows;
    QHash<QString, int> m_rowByKey;
    QSet<QString> m_pendingKeys;
};

} // namespace Plugboard
