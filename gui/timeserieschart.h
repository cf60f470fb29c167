#pragma once

#include <QtGui/QColor>
#include <QtWidgets/QWidget>

#include <deque>
#include <functional>

namespace Plugboard {

// A small live line chart drawn with QPainter: a few named series sharing one time axis,
// newest sample at the right, y axis scaled to the visible maximum.
class TimeSeriesChart : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)

public:
    using Formatter = std::function<QString(double)>;

    explicit TimeSeriesChart(const QString &title, QWidget *parent = nullptr);

    int addSeries(const QString &name, const QColor &color);
    void setFormatter(Formatter formatter) { m_formatter = std::move(formatter); }
    void setCapacity(int capacity) { m_capacity = qMax(2, capacity); }
    // One value per series, in the order they were added.
    void append(const QList<double> &values);
    void clear();
    int sampleCount() const { return int(m_samples.size()); }

    QSize sizeHint() const override { return {360, 180}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

    static QString formatCount(double value);
    static QString formatBytes(double value);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Series
    {
        QString name;
        QColor color;
    };
    double niceMaximum() const;

    QString m_title;
    QList<Series> m_series;
    std::deque<QList<double>> m_samples;
    int m_capacity = 600;
    Formatter m_formatter = &TimeSeriesChart::formatCount;
};

} // namespace Plugboard
