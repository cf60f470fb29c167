#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <memory>
#include <optional>

namespace Plugboard::PerMessageDeflate {

// permessage-deflate (RFC 7692) as the server side agrees it: the server always takes
// server_no_context_takeover, so each outgoing message is compressed on its own and a
// broadcast is compressed once for every recipient; the client keeps its context unless it
// offers otherwise, so one inflate stream per connection reads what it sends.
struct Agreement
{
    int serverMaxWindowBits = 15; // what our deflate may use
    bool clientNoContextTakeover = false;
    // The Sec-WebSocket-Extensions value of the 101.
    QByteArray responseHeader() const;
};

// The first acceptable permessage-deflate offer of a Sec-WebSocket-Extensions value (several
// headers joined with ","), or nothing: no offer, or none whose parameters are valid.
std::optional<Agreement> negotiate(QByteArrayView extensionsHeader);

// One message, compressed on its own (no context carried over), without the final
// 00 00 ff ff of the sync flush, as RFC 7692 §7.2.1 sends it. Empty on a zlib failure.
QByteArray compressMessage(QByteArrayView message, int windowBits = 15);

// Appends a data frame: compressed (RSV1) when its payload has at least `threshold` bytes.
void appendFrame(QByteArray &out, quint8 opcode, QByteArrayView payload, qint64 threshold, int windowBits = 15);

// The client's messages, in one stream (its context carries over unless it said otherwise).
class Inflater
{
public:
    explicit Inflater(bool resetAfterEachMessage = false);
    ~Inflater();
    Inflater(const Inflater &) = delete;
    Inflater &operator=(const Inflater &) = delete;

    // The message, or nothing when the data is not valid deflate or inflates beyond maxSize
    // (a small message must not expand into gigabytes).
    std::optional<QByteArray> inflate(QByteArrayView compressed, qint64 maxSize);

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    bool m_reset;
};

} // namespace Plugboard::PerMessageDeflate
