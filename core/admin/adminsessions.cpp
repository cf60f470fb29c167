#include "adminsessions.h"

#include <QtCore/QRandomGenerator>

namespace Plugboard {

QString AdminSessions::create(qint64 nowMs)
{
    while (!m_order.isEmpty() && (m_expiry.size() >= m_max || m_expiry.value(m_order.first()) <= nowMs)) {
        m_expiry.remove(m_order.first());
        m_order.removeFirst();
    }
    QString id;
    do {
        const quint64 random = QRandomGenerator::system()->generate64();
        id = QStringLiteral("%1").arg(random, 16, 16, QLatin1Char('0'));
    } while (m_expiry.contains(id));
    m_expiry.insert(id, nowMs + m_durationMs);
    m_order.append(id);
    return id;
}

bool AdminSessions::isValid(const QString &id, qint64 nowMs)
{
    const auto it = m_expiry.constFind(id);
    if (it == m_expiry.cend())
        return false;
    if (it.value() > nowMs)
        return true;
    m_expiry.remove(id);
    m_order.removeOne(id);
    return false;
}

} // namespace Plugboard
