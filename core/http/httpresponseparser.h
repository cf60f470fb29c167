#pragma once

#include <plugboard_core_export.h>

#include "httprequest.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>

#include <memory>

namespace Plugboard {

struct PLUGBOARD_CORE_EXPORT HttpResponseHead
{
    int status = 0;
    QList<HttpHeader> headers; // names in lower case
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const;
};

// Incremental HTTP/1.1 response parser over libhttp-parser, for the client side. Pure: bytes
// in, responses out. Bodies beyond maxBodyBytes fail instead of growing without bound.
class PLUGBOARD_CORE_EXPORT HttpResponseParser
{
public:
    enum class Status { NeedMore, Complete, Error };
    struct Result
    {
        Status status = Status::NeedMore;
        qsizetype consumed = 0;
        QByteArray error;
    };

    explicit HttpResponseParser(qint64 maxBodyBytes = 64 * 1024 * 1024, qint64 maxHeaderBytes = 64 * 1024);
    ~HttpResponseParser();
    HttpResponseParser(const HttpResponseParser &) = delete;
    HttpResponseParser &operator=(const HttpResponseParser &) = delete;

    // The response to a HEAD request has no body whatever its headers say.
    void expectResponseTo(QByteArrayView method);
    Result feed(QByteArrayView data);
    // The peer closed the connection: completes a body delimited by the end of the stream.
    Result finish();
    HttpResponseHead takeResponse();
    bool inResponse() const;

    struct State;

private:
    std::unique_ptr<State> m_state;
};

} // namespace Plugboard
