#pragma once

#include <plugboard_core_export.h>

#include "ack.h"

#include <QtCore/QCborArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <functional>

class QObject;

namespace Plugboard {

// The listeners of one socket, as Node's EventEmitter keeps them, for the server's Socket and
// the client's alike: several per event, called in the order they were added, once-listeners,
// and the catch-all lists of onAny/prependAny and onAnyOutgoing.
class PLUGBOARD_CORE_EXPORT EventListeners
{
public:
    using Id = quint64;
    using EventHandler = std::function<void(const QCborArray &args, const Ack &ack)>;
    using AnyHandler = std::function<void(const QString &event, const QCborArray &args)>;

    Id add(const QString &event, EventHandler handler, bool once);
    void remove(Id listener);
    void remove(const QString &event);
    void clear() { m_listeners.clear(); }
    qsizetype count(const QString &event) const;

    // Calls the event's listeners. owner is the object these listeners belong to: when a
    // listener deletes it, the round stops there (this list is gone with it).
    void dispatch(const QString &event, const QCborArray &args, const Ack &ack, QObject *owner);

    enum class Direction { Incoming, Outgoing };
    Id addAny(Direction direction, AnyHandler handler, bool prepend);
    // With 0: every catch-all listener of that direction.
    void removeAny(Direction direction, Id listener);
    bool hasAny(Direction direction) const { return !anyList(direction).isEmpty(); }
    void runAny(Direction direction, const QString &event, const QCborArray &args) const;

private:
    struct Listener
    {
        Id id = 0;
        QString event;
        EventHandler handler;
        bool once = false;
    };
    struct AnyListener
    {
        Id id = 0;
        AnyHandler handler;
    };
    QList<AnyListener> &anyList(Direction direction)
    {
        return direction == Direction::Incoming ? m_any : m_anyOutgoing;
    }
    const QList<AnyListener> &anyList(Direction direction) const
    {
        return direction == Direction::Incoming ? m_any : m_anyOutgoing;
    }

    // One flat list: a socket has a few listeners, and a map per socket costs a hash span.
    QList<Listener> m_listeners;
    QList<AnyListener> m_any;
    QList<AnyListener> m_anyOutgoing;
    Id m_nextId = 1;
};

// The listener API of a socket, the same on the server's Socket and the client's: Node's
// EventEmitter calls (on, once, off, removeAllListeners, listenerCount) and socket.io's
// catch-all ones (onAny, prependAny, offAny and their outgoing twins). Each call that adds a
// listener returns a handle for off(handle).
class PLUGBOARD_CORE_EXPORT EventEmitter
{
public:
    using EventHandler = EventListeners::EventHandler;
    using AnyHandler = EventListeners::AnyHandler;
    using ListenerId = EventListeners::Id;

    ListenerId on(const QString &event, EventHandler handler);
    // Called at most once, then removed.
    ListenerId once(const QString &event, EventHandler handler);
    void off(ListenerId listener) { m_listeners.remove(listener); }
    // Removes every listener of the event.
    void off(const QString &event) { m_listeners.remove(event); }
    void removeAllListeners() { m_listeners.clear(); }
    // How many listeners the event has (Node's listeners(event).length).
    qsizetype listenerCount(const QString &event) const { return m_listeners.count(event); }
    ListenerId onAny(AnyHandler handler);
    ListenerId prependAny(AnyHandler handler);
    // With no handle: every catch-all listener.
    void offAny(ListenerId listener = 0);
    ListenerId onAnyOutgoing(AnyHandler handler);
    ListenerId prependAnyOutgoing(AnyHandler handler);
    void offAnyOutgoing(ListenerId listener = 0);

protected:
    ~EventEmitter() = default;
    // False refuses the listener: on() and once() return handle 0.
    virtual bool acceptsListener(const QString &event) const { return !event.isNull(); }

    EventListeners m_listeners;
};

} // namespace Plugboard
