#pragma once

#include <wslay/wslay.h>

#include <QtCore/QtGlobal>

namespace Plugboard::WslayIo {

// libwslay's receive and send callbacks for a transport T with readInto(buffer, size) and
// writeFrom(data, size) (bytes moved, 0 for "nothing now", -1 on failure); the server's and
// the client's native WebSocket transports both use them.
template<typename T>
ssize_t receive(wslay_event_context_ptr context, uint8_t *buffer, size_t length, int, void *userData)
{
    const qint64 read = static_cast<T *>(userData)->readInto(buffer, qint64(length));
    if (read > 0)
        return ssize_t(read);
    wslay_event_set_error(context, read == 0 ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

template<typename T>
ssize_t transmit(wslay_event_context_ptr context, const uint8_t *data, size_t length, int, void *userData)
{
    const qint64 written = static_cast<T *>(userData)->writeFrom(data, qint64(length));
    if (written >= 0)
        return ssize_t(written);
    wslay_event_set_error(context, WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

} // namespace Plugboard::WslayIo
