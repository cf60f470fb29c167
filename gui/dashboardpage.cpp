#include "dashboardpage.h"

#include "namespacesmodel.h"
#include "statshistory.h"
#include "timeserieschart.h"

#include <QtCore/QLocale>
#include <QtWidgets/QFrame>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace Plugboard {

namespace {

QString duration(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? QObject::tr("%1 d %2").arg(days).arg(clock) : clock;
}

} // namespace

DashboardPage::DashboardPage(StatsHistory *history, NamespacesModel *namespaces, QWidget *parent)
    : QWidget(parent),
      m_history(history),
      m_reasons(new QLabel(this)),
      m_connections(new TimeSeriesChart(tr("Connections"), this)),
      m_events(new TimeSeriesChart(tr("Events per second"), this)),
      m_bytes(new TimeSeriesChart(tr("Bytes per second"), this)),
      m_namespaces(new QTableView(this)),
      m_tileGrid(new QGridLayout)
{
    m_connections->setObjectName(QStringLiteral("connectionsChart"));
    m_connections->addSeries(tr("sockets"), QColor(0x1f, 0x77, 0xb4));
    m_connections->addSeries(tr("clients"), QColor(0x2c, 0xa0, 0x2c));
    m_events->setObjectName(QStringLiteral("eventsChart"));
    m_events->addSeries(tr("in"), QColor(0xd6, 0x27, 0x28));
    m_events->addSeries(tr("out"), QColor(0x94, 0x67, 0xbd));
    m_bytes->setObjectName(QStringLiteral("bytesChart"));
    m_bytes->addSeries(tr("in"), QColor(0xff, 0x7f, 0x0e));
    m_bytes->addSeries(tr("out"), QColor(0x17, 0xbe, 0xcf));
    m_bytes->setFormatter(&TimeSeriesChart::formatBytes);
    for (TimeSeriesChart *chart : {m_connections, m_events, m_bytes})
        chart->setCapacity(history->capacity());

    addTile(QStringLiteral("clients"), tr("Clients"), 0, 0);
    addTile(QStringLiteral("sockets"), tr("Sockets"), 0, 1);
    addTile(QStringLiteral("rooms"), tr("Rooms"), 0, 2);
    addTile(QStringLiteral("events"), tr("Events in / out"), 0, 3);
    addTile(QStringLiteral("connections"), tr("Connections total"), 1, 0);
    addTile(QStringLiteral("errors"), tr("Refused connections"), 1, 1);
    addTile(QStringLiteral("memory"), tr("Memory"), 1, 2);
    addTile(QStringLiteral("uptime"), tr("Uptime"), 1, 3);
    addTile(QStringLiteral("cluster"), tr("Cluster"), 2, 0);

    m_namespaces->setObjectName(QStringLiteral("namespacesView"));
    m_namespaces->setModel(namespaces);
    m_namespaces->verticalHeader()->hide();
    m_namespaces->horizontalHeader()->setStretchLastSection(true);
    m_namespaces->setSelectionMode(QAbstractItemView::NoSelection);
    m_namespaces->setMaximumWidth(320);
    m_reasons->setObjectName(QStringLiteral("disconnectReasons"));
    m_reasons->setWordWrap(true);
    m_reasons->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_reasons->setTextFormat(Qt::PlainText);

    auto *side = new QVBoxLayout;
    side->addWidget(new QLabel(tr("Namespaces"), this));
    side->addWidget(m_namespaces, 2);
    side->addWidget(new QLabel(tr("Disconnections by reason"), this));
    side->addWidget(m_reasons, 1);

    auto *charts = new QVBoxLayout;
    charts->addWidget(m_connections);
    charts->addWidget(m_events);
    charts->addWidget(m_bytes);

    auto *body = new QHBoxLayout;
    body->addLayout(charts, 3);
    body->addLayout(side, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_tileGrid);
    layout->addLayout(body, 1);

    connect(history, &StatsHistory::statsUpdated, this, &DashboardPage::updateStats);
    connect(history, &StatsHistory::sampleAdded, this, &DashboardPage::addSample);
    connect(history, &StatsHistory::cleared, this, &DashboardPage::reload);
    reload();
}

QLabel *DashboardPage::addTile(const QString &name, const QString &title, int row, int column)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *caption = new QLabel(title, frame);
    caption->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    auto *value = new QLabel(QStringLiteral("–"), frame);
    value->setObjectName(name + QStringLiteral("Tile"));
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    value->setFont(font);
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(caption);
    layout->addWidget(value);
    m_tileGrid->addWidget(frame, row, column);
    m_tiles.insert(name, value);
    return value;
}

QString DashboardPage::tileText(const QString &name) const
{
    const QLabel *label = m_tiles.value(name);
    return label ? label->text() : QString();
}

void DashboardPage::updateStats(const ServerStats &stats)
{
    const QLocale locale;
    m_tiles.value(QStringLiteral("clients"))->setText(
        tr("%1  (%2 ws, %3 polling)").arg(stats.clients).arg(stats.webSocketClients).arg(stats.pollingClients));
    m_tiles.value(QStringLiteral("sockets"))->setText(locale.toString(stats.sockets));
    m_tiles.value(QStringLiteral("rooms"))->setText(locale.toString(stats.rooms));
    m_tiles.value(QStringLiteral("events"))->setText(
        QStringLiteral("%1 / %2").arg(locale.toString(stats.eventsIn), locale.toString(stats.eventsOut)));
    m_tiles.value(QStringLiteral("connections"))->setText(locale.toString(stats.connectionsTotal));
    m_tiles.value(QStringLiteral("errors"))->setText(locale.toString(stats.connectErrors));
    m_tiles.value(QStringLiteral("memory"))->setText(
        locale.formattedDataSize(stats.residentBytes, 1, QLocale::DataSizeTraditionalFormat));
    const AdapterStatus &adapter = stats.adapter;
    QLabel *cluster = m_tiles.value(QStringLiteral("cluster"));
    if (adapter.type == QLatin1String("memory"))
        cluster->setText(tr("this server only"));
    else if (adapter.connected)
        cluster->setText(tr("%1: %n server(s)", nullptr, adapter.servers).arg(adapter.type));
    else
        cluster->setText(tr("%1 unreachable: this server only").arg(adapter.type));
    cluster->setToolTip(adapter.endpoint);
    m_tiles.value(QStringLiteral("uptime"))->setText(
        stats.startedAt.isValid() ? duration(stats.startedAt.secsTo(stats.sampledAt)) : QStringLiteral("–"));

    QList<QPair<QString, quint64>> reasons;
    for (auto it = stats.disconnectsByReason.cbegin(); it != stats.disconnectsByReason.cend(); ++it)
        reasons.append({it.key(), it.value()});
    std::sort(reasons.begin(), reasons.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QStringList lines;
    for (const auto &reason : std::as_const(reasons))
        lines.append(QStringLiteral("%1  %2").arg(locale.toString(reason.second), reason.first));
    m_reasons->setText(lines.isEmpty() ? tr("none yet") : lines.join(QLatin1Char('\n')));
}

void DashboardPage::addSample()
{
    const StatsHistory::Sample &sample = m_history->samples().back();
    m_connections->append({double(sample.sockets), double(sample.clients)});
    m_events->append({sample.eventsInPerSecond, sample.eventsOutPerSecond});
    m_bytes->append({sample.bytesInPerSecond, sample.bytesOutPerSecond});
}

void DashboardPage::reload()
{
    for (TimeSeriesChart *chart : {m_connections, m_events, m_bytes})
        chart->clear();
    for (const StatsHistory::Sample &sample : m_history->samples()) {
        m_connections->append({double(sample.sockets), double(sample.clients)});
        m_events->append({sample.eventsInPerSecond, sample.eventsOutPerSecond});
        m_bytes->append({sample.bytesInPerSecond, sample.bytesOutPerSecond});
    }
    if (m_history->samples().empty()) {
        for (QLabel *tile : std::as_const(m_tiles))
            tile->setText(QStringLiteral("–"));
        m_reasons->setText(tr("none yet"));
    }
}

} // namespace Plugboard
