#include "eventlisteners.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <algorithm>

namespace Plugboard {

EventListeners::Id EventListeners::add(const QString &event, EventHandler handler, bool once)
{
    const Id id = m_nextId++;
    m_listeners.append({id, event, std::move(handler), once});
    return id;
}

void EventListeners::remove(Id listener)
{
    m_listeners.removeIf([listener](const Listener &l) { return l.id == listener; });
}

void EventListeners::remove(const QString &event)
{
    m_listeners.removeIf([&event](const Listener &l) { return l.event == event; });
}

qsizetype EventListeners::count(const QString &event) const
{
    return std::count_if(m_listeners.cbegin(), m_listeners.cend(), [&event](const Listener &l) { return l.event == event; });
}

void EventListeners::dispatch(const QString &event, const QCborArray &args, const Ack &ack, QObject *owner)
{
    QList<Listener> matching;
    for (const Listener &listener : std::as_const(m_listeners)) {
        if (listener.event == event)
            matching.append(listener);
    }
    if (matching.isEmpty())
        return;
    // once-listeners go before they run, so that one calling emit re-entrantly is not run twice.
    m_listeners.removeIf([&event](const Listener &l) { return l.once && l.event == event; });
    QPointer<QObject> alive(owner);
    for (const Listener &listener : std::as_const(matching)) {
        // A listener removed by an earlier one in this round is not called (Node calls it: its
        // array was copied first; here off() means off at once).
        if (!listener.once && !std::any_of(m_listeners.cbegin(), m_listeners.cend(),
                                           [&listener](const Listener &l) { return l.id == listener.id; }))
            continue;
        listener.handler(args, ack);
        if (!alive)
            return;
    }
}

EventListeners::Id EventListeners::addAny(Direction direction, AnyHandler handler, bool prepend)
{
    const Id id = m_nextId++;
    QList<AnyListener> &list = anyList(direction);
    if (prepend)
        list.prepend({id, std::move(handler)});
    else
        list.append({id, std::move(handler)});
    return id;
}

void EventListeners::removeAny(Direction direction, Id listener)
{
    QList<AnyListener> &list = anyList(direction);
    if (listener == 0)
        list.clear();
    else
        list.removeIf([listener](const AnyListener &l) { return l.id == listener; });
}

void EventListeners::runAny(Direction direction, const QString &event, const QCborArray &args) const
{
    const QList<AnyListener> copy = anyList(direction); // a handler may add or remove others
    for (const AnyListener &listener : copy)
        listener.handler(event, args);
}

EventEmitter::ListenerId EventEmitter::on(const QString &event, EventHandler handler)
{
    return acceptsListener(event) ? m_listeners.add(event, std::move(handler), false) : 0;
}

EventEmitter::ListenerId EventEmitter::once(const QString &event, EventHandler handler)
{
    return acceptsListener(event) ? m_listeners.add(event, std::move(handler), true) : 0;
}

EventEmitter::ListenerId EventEmitter::onAny(AnyHandler handler)
{
    return m_listeners.addAny(EventListeners::Direction::Incoming, std::move(handler), false);
}

EventEmitter::ListenerId EventEmitter::prependAny(AnyHandler handler)
{
    return m_listeners.addAny(EventListeners::Direction::Incoming, std::move(handler), true);
}

void EventEmitter::offAny(ListenerId listener)
{
    m_listeners.removeAny(EventListeners::Direction::Incoming, listener);
}

EventEmitter::ListenerId EventEmitter::onAnyOutgoing(AnyHandler handler)
{
    return m_listeners.addAny(EventListeners::Direction::Outgoing, std::move(handler), false);
}

EventEmitter::ListenerId EventEmitter::prependAnyOutgoing(AnyHandler handler)
{
    return m_listeners.addAny(EventListeners::Direction::Outgoing, std::move(handler), true);
}

void EventEmitter::offAnyOutgoing(ListenerId listener)
{
    m_listeners.removeAny(EventListeners::Direction::Outgoing, listener);
}

} // namespace Plugboard
