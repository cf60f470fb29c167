#pragma once

// Inflates what a test's code under test compressed, the way a peer would read it: zlib's own
// inflate, so a test does not check the compressor against itself.

#include <QtCore/QByteArray>

#include <zlib.h>

namespace PlugboardTest {

// windowBits as for inflateInit2: 15 zlib format, 15 + 16 gzip, -15 raw deflate.
inline QByteArray zlibInflate(QByteArray data, int windowBits)
{
    z_stream stream{};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return "<inflate init failed>";
    QByteArray out(1 << 20, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(data.data());
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = inflate(&stream, windowBits < 0 ? Z_SYNC_FLUSH : Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    inflateEnd(&stream);
    const bool ok = result == Z_STREAM_END || (windowBits < 0 && result == Z_OK);
    return ok ? out : QByteArray("<inflate failed>");
}

} // namespace PlugboardTest
