#pragma once

#include "httprequest.h"

#include <QtCore/QByteArrayView>

#include <memory>

namespace Plugboard {

struct HttpParserLimits
{
    qsizetype maxHeaderBytes = 16 * 1024; // Node's --max-http-header-size
    qsizetype maxBodyBytes = 1000000;
};

// Incremental HTTP/1.1 request parser over Debian's libhttp-parser (the parser Node used).
// Pure: bytes in, requests out; no sockets, no logging.
class HttpRequestParser
{
public:
    using Limits = HttpParserLimits;
    enum class Status {
        NeedMore, // everything consumed, request incomplete
        Complete, // a request is ready (takeRequest); bytes after it were not consumed
        Upgrade,  // an Upgrade request head is complete; the rest belongs to the new protocol
        Error,
    };

    struct Result
    {
        Status status = Status::NeedMore;
        qsizetype consumed = 0;
        int httpStatus = 0; // for Error: 400, 413 or 431
        QByteArray error;
    };

    explicit HttpRequestParser(Limits limits = Limits());
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    Result feed(QByteArrayView data);
    HttpRequest takeRequest();
    // Ready for a new request (after Complete).
    void reset();
    void setLimits(Limits limits) { m_limits = limits; }
    Limits limits() const { return m_limits; }
    // True while some bytes of a request have been seen.
    bool inRequest() const;
    // True once, when the head of a request with "Expect: 100-continue" is complete and its
    // body has not arrived: the connection should answer "100 Continue" (as Node does).
    bool takeContinueRequest();

    struct State;

private:
    Limits m_limits;
    std::unique_ptr<State> m_state;
};

// Splits "a=1&b=%20x" into decoded pairs ('+' as space, like Node's querystring).
QList<QPair<QString, QString>> parseQuery(QByteArrayView query);

} // namespace Plugboard
