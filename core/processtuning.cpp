#include "processtuning.h"

#include <QtCore/QByteArray>
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

} // namespace Plugboard
