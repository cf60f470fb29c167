#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

namespace Plugboard::HttpCompression {

enum class Encoding { Identity, Gzip, Deflate };

// The content coding to answer with, from a request's Accept-Encoding: the acceptable one
// (q > 0) of highest weight among gzip and deflate, gzip first on a tie, "*" standing for
// those not named (as Node's `accepts(req).encodings(["gzip", "deflate"])`). Identity when
// neither is acceptable.
Encoding negotiate(QByteArrayView acceptEncoding);

// The Content-Encoding value: "gzip" or "deflate" (empty for Identity).
QByteArray name(Encoding encoding);

// zlib at its default level: the gzip format, or the zlib format for "deflate" (what Node's
// zlib.createDeflate writes). Identity returns the data unchanged.
QByteArray compress(QByteArrayView data, Encoding encoding);

} // namespace Plugboard::HttpCompression
