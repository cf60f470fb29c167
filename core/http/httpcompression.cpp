#include "httpcompression.h"

#include <QtCore/QList>

#include <algorithm>

#include <zlib.h>

namespace Plugboard::HttpCompression {

namespace {

// The weight Accept-Encoding gives a coding: its own entry, else "*", else -1 (not named).
double weightOf(QByteArrayView acceptEncoding, QByteArrayView coding)
{
    double own = -1;
    double wildcard = -1;
    const QList<QByteArray> entries = acceptEncoding.toByteArray().split(',');
    for (QByteArrayView entry : entries) {
        const qsizetype semicolon = entry.indexOf(';');
        const QByteArrayView token = (semicolon < 0 ? entry : entry.first(semicolon)).trimmed();
        double q = 1;
        if (semicolon >= 0) {
            const QList<QByteArray> params = entry.sliced(semicolon + 1).toByteArray().split(';');
            for (QByteArrayView param : params) {
                param = param.trimmed();
                if (param.startsWith("q=") || param.startsWith("Q=")) {
                    bool ok = false;
                    q = param.sliced(2).toDouble(&ok);
                    if (!ok)
                        q = 0;
                }
            }
        }
        if (token.compare(coding, Qt::CaseInsensitive) == 0)
            own = std::max(own, q);
        else if (token == "*")
            wildcard = std::max(wildcard, q);
    }
    return own >= 0 ? own : wildcard;
}

} // namespace

Encoding negotiate(QByteArrayView acceptEncoding)
{
    if (acceptEncoding.trimmed().isEmpty())
        return Encoding::Identity;
    const double gzip = weightOf(acceptEncoding, "gzip");
    const double deflate = weightOf(acceptEncoding, "deflate");
    if (gzip > 0 && gzip >= deflate)
        return Encoding::Gzip;
    if (deflate > 0)
        return Encoding::Deflate;
    return Encoding::Identity;
}

QByteArray name(Encoding encoding)
{
    switch (encoding) {
    case Encoding::Gzip: return QByteArrayLiteral("gzip");
    case Encoding::Deflate: return QByteArrayLiteral("deflate");
    case Encoding::Identity: break;
    }
    return {};
}

QByteArray compress(QByteArrayView data, Encoding encoding)
{
    if (encoding == Encoding::Identity)
        return data.toByteArray();
    z_stream stream{};
    // windowBits 15 is the zlib format; +16 asks zlib for a gzip header and trailer.
    const int windowBits = encoding == Encoding::Gzip ? 15 + 16 : 15;
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(data.size()))));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return result == Z_STREAM_END ? out : QByteArray();
}

} // namespace Plugboard::HttpCompression
