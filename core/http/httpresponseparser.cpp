#include "httpresponseparser.h"

#include <http_parser.h>

namespace Plugboard {

QByteArray HttpResponseHead::header(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (h.name == name)
            return h.value;
    }
    return {};
}

QList<QByteArray> HttpResponseHead::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const HttpHeader &h : headers) {
        if (h.name == name)
            values.append(h.value);
    }
    return values;
}

struct HttpResponseParser::State
{
    http_parser parser;
    http_parser_settings settings;
    HttpResponseHead response;
    QByteArray field;
    QByteArray value;
    bool lastWasValue = false;
    bool started = false;
    bool complete = false;
    bool headRequest = false;
    qint64 headerBytes = 0;
    qint64 maxBodyBytes;
    qint64 maxHeaderBytes;
    QByteArray failure;

    void flushHeader()
    {
        if (!field.isEmpty())
            response.headers.append(HttpHeader{field.toLower(), value.trimmed()});
        field.clear();
        value.clear();
    }
    bool countHeader(size_t length)
    {
        headerBytes += qint64(length);
        if (headerBytes <= maxHeaderBytes)
            return true;
        failure = "response headers too large";
        return false;
    }
    void init()
    {
        http_parser_init(&parser, HTTP_RESPONSE);
        parser.data = this;
        response = {};
        field.clear();
        value.clear();
        lastWasValue = false;
        started = false;
        complete = false;
        headerBytes = 0;
    }
};

static HttpResponseParser::State *stateOf(http_parser *parser)
{
    return static_cast<HttpResponseParser::State *>(parser->data);
}

HttpResponseParser::HttpResponseParser(qint64 maxBodyBytes, qint64 maxHeaderBytes)
    : m_state(std::make_unique<State>())
{
    State &s = *m_state;
    s.maxBodyBytes = maxBodyBytes;
    s.maxHeaderBytes = maxHeaderBytes;
    http_parser_settings_init(&s.settings);
    s.settings.on_message_begin = [](http_parser *p) {
        stateOf(p)->started = true;
        return 0;
    };
    s.settings.on_header_field = [](http_parser *p, const char *at, size_t length) {
        State &st = *stateOf(p);
        if (!st.countHeader(length))
            return 1;
        if (st.lastWasValue)
            st.flushHeader();
        st.lastWasValue = false;
        st.field.append(at, qsizetype(length));
        return 0;
    };
    s.settings.on_header_value = [](http_parser *p, const char *at, size_t length) {
        State &st = *stateOf(p);
        if (!st.countHeader(length))
            return 1;
        st.lastWasValue = true;
        st.value.append(at, qsizetype(length));
        return 0;
    };
    s.settings.on_headers_complete = [](http_parser *p) {
        State &st = *stateOf(p);
        st.flushHeader();
        st.response.status = int(p->status_code);
        // 1: no body, whatever Content-Length says: the answer to HEAD, 1xx, 204 and 304
        // (RFC 9112 §6.3; libhttp-parser would read a 204's or 304's Content-Length as a body).
        const int status = st.response.status;
        if (st.headRequest || (status >= 100 && status < 200 && status != 101) || status == 204 || status == 304)
            return 1;
        if (p->content_length != ULLONG_MAX && qint64(p->content_length) > st.maxBodyBytes) {
            st.failure = "response body too large";
            return -1;
        }
        return 0;
    };
    s.settings.on_body = [](http_parser *p, const char *at, size_t length) {
        State &st = *stateOf(p);
        if (st.response.body.size() + qint64(length) > st.maxBodyBytes) {
            st.failure = "response body too large";
            return 1;
        }
        st.response.body.append(at, qsizetype(length));
        return 0;
    };
    s.settings.on_message_complete = [](http_parser *p) {
        State &st = *stateOf(p);
        st.response.keepAlive = http_should_keep_alive(p) != 0;
        st.complete = true;
        http_parser_pause(p, 1);
        return 0;
    };
    s.init();
}

HttpResponseParser::~HttpResponseParser() = default;

void HttpResponseParser::expectResponseTo(QByteArrayView method)
{
    m_state->headRequest = method == "HEAD";
}

HttpResponseParser::Result HttpResponseParser::feed(QByteArrayView data)
{
    State &s = *m_state;
    if (s.complete)
        return {Status::Complete, 0, {}};
    // libhttp-parser reads zero bytes as the end of the stream, which is finish()'s to say.
    if (data.isEmpty())
        return {Status::NeedMore, 0, {}};
    const size_t parsed = http_parser_execute(&s.parser, &s.settings, data.data(), size_t(data.size()));
    const http_errno error = HTTP_PARSER_ERRNO(&s.parser);
    if (s.complete) {
        if (error == HPE_PAUSED)
            http_parser_pause(&s.parser, 0);
        return {Status::Complete, qsizetype(parsed), {}};
    }
    if (error != HPE_OK) {
        QByteArray reason = s.failure.isEmpty() ? QByteArray(http_errno_description(error)) : s.failure;
        return {Status::Error, qsizetype(parsed), reason};
    }
    return {Status::NeedMore, qsizetype(parsed), {}};
}

HttpResponseParser::Result HttpResponseParser::finish()
{
    State &s = *m_state;
    if (s.complete)
        return {Status::Complete, 0, {}};
    if (!s.started)
        return {Status::Error, 0, "connection closed before a response"};
    http_parser_execute(&s.parser, &s.settings, nullptr, 0);
    if (s.complete)
        return {Status::Complete, 0, {}};
    return {Status::Error, 0, "connection closed in the middle of a response"};
}

HttpResponseHead HttpResponseParser::takeResponse()
{
    HttpResponseHead response = std::move(m_state->response);
    m_state->init();
    return response;
}

bool HttpResponseParser::inResponse() const
{
    return m_state->started && !m_state->complete;
}

} // namespace Plugboard
