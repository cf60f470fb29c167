#include "httpresponse.h"

namespace Plugboard {

HttpResponse &HttpResponse::setHeader(QByteArray name, QByteArray value)
{
    for (HttpHeader &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0) {
            h.value = std::move(value);
            return *this;
        }
    }
    headers.append(HttpHeader{std::move(name), std::move(value)});
    return *this;
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (QByteArrayView(h.name).compare(name, Qt::CaseInsensitive) == 0)
            return h.value;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, QByteArray body)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers.append(HttpHeader{"Content-Type", "application/json"});
    return response;
}

HttpResponse HttpResponse::text(int status, QByteArray body, QByteArray contentType)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers.append(HttpHeader{"Content-Type", std::move(contentType)});
    return response;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "Unknown";
}

QByteArray serializeResponse(const HttpResponse &response, bool keepAlive)
{
    QByteArray out;
    out.reserve(160 + response.body.size());
    out.append("HTTP/1.1 ");
    out.append(QByteArray::number(response.status));
    out.append(' ');
    out.append(reasonPhrase(response.status));
    out.append("\r\n");
    for (const HttpHeader &h : response.headers) {
        // Headers come from applications too (Engine.IO middleware, the hooks): one with a line
        // break would split the response, so it is left out.
        if (h.name.contains('\r') || h.name.contains('\n') || h.value.contains('\r') || h.value.contains('\n'))
            continue;
        out.append(h.name);
        out.append(": ");
        out.append(h.value);
        out.append("\r\n");
    }
    if (response.status < 200) {
        // 1xx: no body, no Content-Length; the headers say what the connection becomes.
        out.append("\r\n");
        return out;
    }
    if (response.status != 204 && response.status != 304) {
        out.append("Content-Length: ");
        out.append(QByteArray::number(response.body.size()));
        out.append("\r\n");
    }
    out.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    if (response.status != 204 && response.status != 304)
        out.append(response.body);
    return out;
}

} // namespace Plugboard
