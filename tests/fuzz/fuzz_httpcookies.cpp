// The Cookie headers of requests (the session cookie of the admin UI, the sticky-session
// cookie), read as Node's `cookie` package does: never a crash, the first cookie of that name
// wins, and what serialize() writes is read back to the same value whatever its bytes.
#include "fuzzcheck.h"

#include <http/httpcookies.h>

#include <QtCore/QList>

using namespace Plugboard;

namespace {

bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const quint8 u = quint8(c);
        if (u <= 0x20 || u >= 0x7f || QByteArrayView("()<>@,;:\\\"/[]?={}").contains(c))
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The name to look up, a newline, then Cookie headers one a line.
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QList<QByteArray> lines = input.split('\n');
    const QByteArray name = lines.takeFirst();
    HttpRequest request;
    for (const QByteArray &line : std::as_const(lines))
        request.headers.append(HttpHeader{"cookie", line});
    const std::optional<QByteArray> found = HttpCookies::value(request, name);
    // Percent-decoding only shortens.
    if (found)
        FUZZ_CHECK(found->size() <= input.size());

    if (!isToken(name))
        return 0;
    // The same value in a Set-Cookie the server wrote, sent back by a browser between others.
    HttpCookies::SetCookie cookie;
    cookie.name = name;
    cookie.value = lines.isEmpty() ? QByteArray() : lines.first();
    const QByteArray header = HttpCookies::serialize(cookie);
    FUZZ_CHECK(header.startsWith(QByteArray(name + '=')) && !header.contains('\r') && !header.contains('\n'));
    const QByteArray pair = header.first(header.indexOf(';'));
    FUZZ_CHECK(!pair.sliced(name.size() + 1).contains(' ') && !pair.sliced(name.size() + 1).contains('"'));
    HttpRequest back;
    back.headers.append(HttpHeader{"user-agent", "x"});
    back.headers.append(HttpHeader{"cookie", QByteArray(pair + "; other=1; " + name + "=second")});
    const std::optional<QByteArray> roundTrip = HttpCookies::value(back, name);
    FUZZ_CHECK(roundTrip && *roundTrip == cookie.value);
    return 0;
}
