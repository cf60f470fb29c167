#pragma once

#include <plugboard_core_export.h>

class QAbstractEventDispatcher;

namespace Plugboard {

// Process-wide settings that a server program should apply first thing in main(), before the
// QCoreApplication exists:
// - Qt's own UNIX event dispatcher instead of glib's, which searches every socket notifier
//   linearly whenever one is switched (most of the CPU at fan-out to thousands of sockets);
// - malloc keeps freed memory instead of trimming the heap after every large message
//   (64 KiB binary messages otherwise spend a third of their time in brk() and page faults).
PLUGBOARD_CORE_EXPORT void tuneProcessForServing();

// The event dispatcher for threads that serve sockets (EpollEventDispatcher), or nullptr when
// PLUGBOARD_EVENT_DISPATCHER=qt asks for Qt's own or epoll is unavailable. For
// QThread::setEventDispatcher() before the thread starts.
PLUGBOARD_CORE_EXPORT QAbstractEventDispatcher *createServingEventDispatcher();

// Makes the main thread use createServingEventDispatcher()'s dispatcher. Call before the
// QCoreApplication exists, and only in programs without a GUI on the main thread.
PLUGBOARD_CORE_EXPORT void useServingEventDispatcherOnMainThread();

} // namespace Plugboard
