#include "processtuning.h"

#include "eventloop/epolleventdispatcher.h"

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QtGlobal>

#include <malloc.h>

namespace Plugboard {

void tuneProcessForServing()
{
    qputenv("QT_NO_GLIB", "1");
#ifdef M_TRIM_THRESHOLD
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_TOP_PAD, 16 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
#endif
}

QAbstractEventDispatcher *createServingEventDispatcher()
{
    if (qgetenv("PLUGBOARD_EVENT_DISPATCHER") == "qt")
        return nullptr;
    auto *dispatcher = new EpollEventDispatcher;
    if (!dispatcher->isValid()) {
        delete dispatcher;
        return nullptr;
    }
    return dispatcher;
}

void useServingEventDispatcherOnMainThread()
{
    if (QAbstractEventDispatcher *dispatcher = createServingEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
}

} // namespace Plugboard
