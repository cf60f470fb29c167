#include "parentnamespace.h"

#include "parentbroadcastadapter.h"
#include "server.h"
#include "socket.h"

namespace Plugboard {

ParentNamespace::ParentNamespace(const QString &label, Predicate predicate, Server *server)
    : Namespace(label, server, NoAdapter{}), m_predicate(std::move(predicate))
{
    setAdapter(new ParentBroadcastAdapter(this));
}

bool ParentNamespace::accepts(const QString &name, const QCborMap &auth) const
{
    return m_predicate && m_predicate(name, auth);
}

Socket *ParentNamespace::findSocket(const QString &id) const
{
    for (const Namespace *child : m_children) {
        if (Socket *socket = child->socket(id))
            return socket;
    }
    return nullptr;
}

Namespace *ParentNamespace::createChild(const QString &name)
{
    auto *child = new Namespace(name, server());
    for (const Middleware &middleware : middlewares())
        child->use(middleware);
    connect(child, &Namespace::socketConnected, this, &Namespace::socketConnected);
    connect(child, &Namespace::socketDisconnected, this, &Namespace::socketDisconnected);
    m_children.append(child);
    Q_EMIT childCreated(child);
    return child;
}

void ParentNamespace::removeChild(Namespace *child)
{
    m_children.removeAll(child);
}

} // namespace Plugboard
