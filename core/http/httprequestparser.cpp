#include "httprequestparser.h"

#include <QtCore/QUrl>

#include <http_parser.h>

#include <algorithm>
#include <cstring>

namespace Plugboard {

struct HttpRequestParser::State
{
    http_parser parser;
    http_parser_settings settings;
    HttpRequest request;
    QByteArray currentField;
    QByteArray currentValue;
    bool lastWasValue = false;
    bool started = false;
    bool headersComplete = false;
    bool messageComplete = false;
    bool continueAnswered = false;
    qsizetype headerBytes = 0;
    int failStatus = 0;
    QByteArray failReason;
    Limits *limits = nullptr;

    // RFC 9110 token characters; Node refuses anything else in a header name.
    static bool isTokenChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    }

    bool validFieldName() const
    {
        return !currentField.isEmpty()
            && std::all_of(currentField.cbegin(), currentField.cend(), [](char c) { return c != 0 && isTokenChar(c); });
    }

    void flushHeader()
    {
        if (!currentField.isEmpty())
            request.headers.append(HttpHeader{currentField.toLower(), currentValue.trimmed()});
        currentField.clear();
        currentValue.clear();
    }

    bool countHeaderBytes(size_t length)
    {
        headerBytes += qsizetype(length);
        if (headerBytes > limits->maxHeaderBytes) {
            failStatus = 431;
            failReason = "Request Header Fields Too Large";
            return false;
        }
        return true;
    }
};

namespace {

HttpRequestParser::State *stateOf(http_parser *parser)
{
    return static_cast<HttpRequestParser::State *>(parser->data);
}

int onMessageBegin(http_parser *parser)
{
    stateOf(parser)->started = true;
    return 0;
}

int onUrl(http_parser *parser, const char *at, size_t length)
{
    auto *state = stateOf(parser);
    if (!state->countHeaderBytes(length))
        return 1;
    state->request.target.append(at, qsizetype(length));
    return 0;
}

int onHeaderField(http_parser *parser, const char *at, size_t length)
{
    auto *state = stateOf(parser);
    if (!state->countHeaderBytes(length))
        return 1;
    if (state->lastWasValue) {
        if (!state->headersComplete && !state->validFieldName()) {
            state->failStatus = 400;
            state->failReason = "Invalid header name";
            return 1;
        }
        state->flushHeader();
        state->lastWasValue = false;
    }
    state->currentField.append(at, qsizetype(length));
    return 0;
}

int onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    auto *state = stateOf(parser);
    if (!state->countHeaderBytes(length))
        return 1;
    state->lastWasValue = true;
    state->currentValue.append(at, qsizetype(length));
    return 0;
}

int onHeadersComplete(http_parser *parser)
{
    auto *state = stateOf(parser);
    if (!state->currentField.isEmpty() && !state->validFieldName()) {
        state->failStatus = 400;
        state->failReason = "Invalid header name";
        return -1;
    }
    state->flushHeader();
    state->lastWasValue = false; // chunked trailers may follow; they are read and dropped
    HttpRequest &request = state->request;
    request.method = http_method_str(http_method(parser->method));
    request.versionMajor = parser->http_major;
    request.versionMinor = parser->http_minor;
    request.keepAlive = http_should_keep_alive(parser) != 0;
    request.upgrade = parser->upgrade != 0;

    const qsizetype queryStart = request.target.indexOf('?');
    const QByteArray rawPath = queryStart < 0 ? request.target : request.target.left(queryStart);
    request.path = QByteArray::fromPercentEncoding(rawPath);
    if (queryStart >= 0)
        request.query = parseQuery(QByteArrayView(request.target).sliced(queryStart + 1));

    if (parser->content_length != ULLONG_MAX
        && parser->content_length > quint64(state->limits->maxBodyBytes)) {
        state->failStatus = 413;
        state->failReason = "Payload Too Large";
        return -1;
    }
    state->headersComplete = true;
    return 0;
}

int onBody(http_parser *parser, const char *at, size_t length)
{
    auto *state = stateOf(parser);
    if (state->request.body.size() + qsizetype(length) > state->limits->maxBodyBytes) {
        state->failStatus = 413;
        state->failReason = "Payload Too Large";
        return 1;
    }
    state->request.body.append(at, qsizetype(length));
    return 0;
}

int onMessageComplete(http_parser *parser)
{
    stateOf(parser)->messageComplete = true;
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace

HttpRequestParser::HttpRequestParser(Limits limits)
    : m_limits(limits), m_state(std::make_unique<State>())
{
    http_parser_settings_init(&m_state->settings);
    m_state->settings.on_message_begin = onMessageBegin;
    m_state->settings.on_url = onUrl;
    m_state->settings.on_header_field = onHeaderField;
    m_state->settings.on_header_value = onHeaderValue;
    m_state->settings.on_headers_complete = onHeadersComplete;
    m_state->settings.on_body = onBody;
    m_state->settings.on_message_complete = onMessageComplete;
    reset();
}

HttpRequestParser::~HttpRequestParser() = default;

void HttpRequestParser::reset()
{
    State &s = *m_state;
    http_parser_init(&s.parser, HTTP_REQUEST);
    s.parser.data = &s;
    s.request = HttpRequest();
    s.currentField.clear();
    s.currentValue.clear();
    s.lastWasValue = false;
    s.started = false;
    s.headersComplete = false;
    s.messageComplete = false;
    s.continueAnswered = false;
    s.headerBytes = 0;
    s.failStatus = 0;
    s.failReason.clear();
    s.limits = &m_limits;
}

bool HttpRequestParser::inRequest() const
{
    return m_state->started;
}

bool HttpRequestParser::takeContinueRequest()
{
    State &s = *m_state;
    if (!s.headersComplete || s.messageComplete || s.continueAnswered)
        return false;
    if (s.request.header("expect").toLower() != "100-continue")
        return false;
    s.continueAnswered = true;
    return true;
}

HttpRequestParser::Result HttpRequestParser::feed(QByteArrayView data)
{
    State &s = *m_state;
    Result result;
    s.limits = &m_limits;
    const size_t parsed = http_parser_execute(&s.parser, &s.settings, data.data(), size_t(data.size()));
    result.consumed = qsizetype(parsed);
    const http_errno error = HTTP_PARSER_ERRNO(&s.parser);

    if (s.failStatus) {
        result.status = Status::Error;
        result.httpStatus = s.failStatus;
        result.error = s.failReason;
        return result;
    }
    if (error != HPE_OK && error != HPE_PAUSED) {
        result.status = Status::Error;
        result.httpStatus = error == HPE_HEADER_OVERFLOW ? 431 : 400;
        result.error = http_errno_description(error);
        return result;
    }
    if (s.parser.upgrade && s.headersComplete) {
        result.status = Status::Upgrade;
        return result;
    }
    if (s.messageComplete) {
        http_parser_pause(&s.parser, 0);
        result.status = Status::Complete;
        return result;
    }
    return result;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_state->request);
    reset();
    return request;
}

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// '+' is a space; "%XX" with two hex digits is a byte; any other '%' stays as it is.
QString decodeQueryComponent(QByteArrayView raw)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%' && i + 2 < raw.size() && hexValue(raw.at(i + 1)) >= 0
                   && hexValue(raw.at(i + 2)) >= 0) {
            bytes.append(char(hexValue(raw.at(i + 1)) * 16 + hexValue(raw.at(i + 2))));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    return QString::fromUtf8(bytes);
}

} // namespace

QList<QPair<QString, QString>> parseQuery(QByteArrayView query)
{
    QList<QPair<QString, QString>> items;
    for (QByteArrayView part : QByteArray(query.toByteArray()).split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArrayView key = eq < 0 ? part : part.first(eq);
        const QByteArrayView value = eq < 0 ? QByteArrayView() : part.sliced(eq + 1);
        items.append({decodeQueryComponent(key), decodeQueryComponent(value)});
    }
    return items;
}

} // namespace Plugboard
