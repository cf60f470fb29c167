#pragma once

#include <QtCore/QList>

#include <utility>

namespace Plugboard {

// A map for a handful of entries, kept as a flat list and searched linearly. Per-connection
// maps (a client's namespaces, a socket's event handlers) hold one to a few entries, where a
// QHash allocates a whole span on its first insert: over a kilobyte for each of them, times
// every connection.
template<typename Key, typename Value>
class SmallMap
{
public:
    using Entry = std::pair<Key, Value>;

    const Value *find(const Key &key) const
    {
        for (const Entry &entry : m_entries) {
            if (entry.first == key)
                return &entry.second;
        }
        return nullptr;
    }
    Value value(const Key &key, const Value &fallback = Value()) const
    {
        const Value *found = find(key);
        return found ? *found : fallback;
    }
    bool contains(const Key &key) const { return find(key) != nullptr; }

    // Replaces the value of an existing key, or appends.
    void insert(const Key &key, Value value)
    {
        for (Entry &entry : m_entries) {
            if (entry.first == key) {
                entry.second = std::move(value);
                return;
            }
        }
        m_entries.append(Entry(key, std::move(value)));
    }
    bool remove(const Key &key)
    {
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            if (m_entries.at(i).first == key) {
                m_entries.removeAt(i);
                return true;
            }
        }
        return false;
    }
    void clear() { m_entries.clear(); }

    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    QList<Value> values() const
    {
        QList<Value> out;
        out.reserve(m_entries.size());
        for (const Entry &entry : m_entries)
            out.append(entry.second);
        return out;
    }
    typename QList<Entry>::const_iterator begin() const { return m_entries.cbegin(); }
    typename QList<Entry>::const_iterator end() const { return m_entries.cend(); }

private:
    QList<Entry> m_entries;
};

} // namespace Plugboard
