#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QCborValue>
#include <QtCore/QString>

#include <optional>

namespace Plugboard {

// MessagePack as notepack.io 3 writes and reads it (the codec of Node's Redis adapter and
// emitter, and of socket.io-msgpack-parser): maps with string keys in insertion order, the
// smallest integer form, doubles as float64 unless integral, strings as str, QByteArray as bin
// (binary stays binary), undefined map values left out and undefined elsewhere as nil.
// Pure: no I/O.
PLUGBOARD_CORE_EXPORT QByteArray encodeMsgpack(const QCborValue &value);

struct PLUGBOARD_CORE_EXPORT MsgpackLimits
{
    int maxDepth = 64;
    qsizetype maxBytes = 64 * 1024 * 1024;
};

// Reads exactly one value that fills the whole input. Also reads what other encoders write
// (float32, notepack 2's fixext undefined, timestamps, integer keys). Array and map sizes are
// checked against the bytes left before anything is allocated, so a hostile header cannot
// claim more memory than the message is long.
PLUGBOARD_CORE_EXPORT std::optional<QCborValue> decodeMsgpack(QByteArrayView bytes, QString *error = nullptr,
                                        const MsgpackLimits &limits = {});

} // namespace Plugboard
