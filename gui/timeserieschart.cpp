#include "timeserieschart.h"

#include <QtCore/QLocale>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <cmath>

namespace Plugboard {

namespace {

constexpr int MinimumSpan = 60;

} // namespace

TimeSeriesChart::TimeSeriesChart(const QString &title, QWidget *parent) : QWidget(parent), m_title(title)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

int TimeSeriesChart::addSeries(const QString &name, const QColor &color)
{
    m_series.append({name, color});
    return int(m_series.size()) - 1;
}

void TimeSeriesChart::append(const QList<double> &values)
{
    m_samples.push_back(values);
    while (m_samples.size() > size_t(m_capacity))
        m_samples.pop_front();
    update();
}

void TimeSeriesChart::clear()
{
    m_samples.clear();
    update();
}

QString TimeSeriesChart::formatCount(double value)
{
    if (value >= 10 || value == std::floor(value))
        return QLocale().toString(qint64(std::llround(value)));
    return QLocale().toString(value, 'f', 1);
}

QString TimeSeriesChart::formatBytes(double value)
{
    return QLocale().formattedDataSize(qint64(std::llround(value)), 1, QLocale::DataSizeTraditionalFormat);
}

double TimeSeriesChart::niceMaximum() const
{
    double maximum = 0;
    for (const QList<double> &sample : m_samples) {
        for (const double value : sample)
            maximum = qMax(maximum, value);
    }
    if (maximum <= 0)
        return 1;
    // 1, 2 or 5 times a power of ten, at or above the maximum.
    const double magnitude = std::pow(10.0, std::floor(std::log10(maximum)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= maximum)
            return step * magnitude;
    }
    return 10 * magnitude;
}

void TimeSeriesChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.base());

    const QFontMetrics metrics = fontMetrics();
    const int lineHeight = metrics.height();
    const double maximum = niceMaximum();
    const int axisWidth = metrics.horizontalAdvance(m_formatter(maximum)) + 8;
    const QRect plot = rect().adjusted(axisWidth + 4, lineHeight * 2 + lineHeight / 2 + 8, -8, -lineHeight / 2 - 2);

    // Title, then the legend with each series' latest value.
    QFont titleFont = font();
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(pal.color(QPalette::Text));
    painter.drawText(QRect(8, 2, width() - 16, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    painter.setFont(font());
    int x = 8;
    for (int i = 0; i < m_series.size(); ++i) {
        const QString value = m_samples.empty() ? QStringLiteral("–") : m_formatter(m_samples.back().value(i));
        const QString text = m_series.at(i).name + QStringLiteral(": ") + value;
        painter.fillRect(QRect(x, 4 + lineHeight + lineHeight / 2 - 3, 10, 6), m_series.at(i).color);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(x + 14, 4 + lineHeight, width(), lineHeight), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += 14 + metrics.horizontalAdvance(text) + 16;
    }

    if (plot.width() < 10 || plot.height() < 10)
        return;
    // Grid and y labels.
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    for (int step = 0; step <= 4; ++step) {
        const int y = plot.bottom() - plot.height() * step / 4;
        painter.setPen(grid);
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, y - lineHeight / 2, axisWidth, lineHeight), Qt::AlignRight | Qt::AlignVCenter,
                         m_formatter(maximum * step / 4));
    }
    if (m_samples.size() < 2)
        return;
    // A young series fills a minute-wide window first, then the window grows to capacity.
    const int span = qBound(MinimumSpan, int(m_samples.size()), m_capacity);
    const double dx = double(plot.width()) / double(span - 1);
    const double firstX = plot.right() - dx * double(m_samples.size() - 1);
    for (int i = 0; i < m_series.size(); ++i) {
        QPainterPath path;
        for (size_t n = 0; n < m_samples.size(); ++n) {
            const double value = m_samples[n].value(i);
            const QPointF point(firstX + dx * double(n), plot.bottom() - value / maximum * plot.height());
            if (n == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(m_series.at(i).color, 1.6));
        painter.drawPath(path);
    }
}

} // namespace Plugboard
