#pragma once

#include <monitor/monitortypes.h>

#include <QtCore/QHash>
#include <QtWidgets/QWidget>

class QGridLayout;
class QLabel;
class QTableView;

namespace Plugboard {

class NamespacesModel;
class StatsHistory;
class TimeSeriesChart;

// The overview: live counters, charts of connections and of events and bytes per second in
// and out over the last minutes, the namespaces with their socket counts, and why clients
// disconnected.
class DashboardPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardPage)

public:
    DashboardPage(StatsHistory *history, NamespacesModel *namespaces, QWidget *parent = nullptr);

    QString tileText(const QString &name) const;

private:
    QLabel *addTile(const QString &name, const QString &title, int row, int column);
    void updateStats(const ServerStats &stats);
    void addSample();
    void reload();

    StatsHistory *m_history;
    QHash<QString, QLabel *> m_tiles;
    QLabel *m_reasons;
    TimeSeriesChart *m_connections;
    TimeSeriesChart *m_events;
    TimeSeriesChart *m_bytes;
    QTableView *m_namespaces;
    QGridLayout *m_tileGrid;
};

} // namespace Plugboard
