#pragma once

#include "namespace.h"

#include <QtCore/QRegularExpression>

namespace Plugboard {

// Namespaces created on demand (Node's ParentNamespace): a client connecting to a name the
// predicate accepts gets a child namespace that inherits the parent's middlewares; the
// parent's socketConnected covers every child, and its broadcasts reach all children.
class ParentNamespace : public Namespace
{
    Q_OBJECT

public:
    using Predicate = std::function<bool(const QString &name, const QCborMap &auth)>;

    ParentNamespace(const QString &label, Predicate predicate, Server *server);

    bool accepts(const QString &name, const QCborMap &auth) const;
    QList<Namespace *> children() const { return m_children; }
    Socket *findSocket(const QString &id) const override;

    // For Server.
    Namespace *createChild(const QString &name);
    void removeChild(Namespace *child);

Q_SIGNALS:
    void childCreated(Plugboard::Namespace *child);

private:
    Predicate m_predicate;
    QList<Namespace *> m_children;
};

} // namespace Plugboard
