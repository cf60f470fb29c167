#include "enginetransport.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>

namespace Plugboard::Io {

// engine.io-client's randomString(): a short base-36 token for the "t" parameter.
static QString timestampToken()
{
    return QString::number(QRandomGenerator::global()->generate64() % 2176782336ULL, 36);
}

// Cookies belong to the HTTP origin, which WebSocket URLs share.
static QUrl cookieUrl(QUrl url)
{
    const bool secure = url.scheme() == QLatin1String("wss") || url.scheme() == QLatin1String("https");
    url.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    return url;
}

QUrl EngineTransport::uri(bool webSocket) const
{
    const EngineClientOptions &options = m_context.options;
    QUrl url = m_context.url;
    const bool secure = url.scheme() == QLatin1String("https");
    if (webSocket)
        url.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString path = options.path;
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    if (options.addTrailingSlash && !path.endsWith(QLatin1Char('/')))
        path.append(QLatin1Char('/'));
    url.setPath(path);
    QUrlQuery query;
    for (const auto &[key, value] : options.query)
        query.addQueryItem(QString(key).replace(QLatin1Char('+'), QStringLiteral("%2B")),
                           QString(value).replace(QLatin1Char('+'), QStringLiteral("%2B")));
    query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    query.addQueryItem(QStringLiteral("transport"), name());
    if (!m_sid.isEmpty())
        query.addQueryItem(QStringLiteral("sid"), m_sid);
    if (!webSocket && options.timestampRequests)
        query.addQueryItem(options.timestampParam, timestampToken());
    url.setQuery(query);
    return url;
}

QList<HttpHeader> EngineTransport::requestHeaders(const QUrl &url) const
{
    QList<HttpHeader> headers;
    for (const auto &[name, value] : m_context.options.extraHeaders)
        headers.append(HttpHeader{name, value});
    if (m_context.cookies) {
        const QList<QNetworkCookie> cookies = m_context.cookies->cookiesForUrl(cookieUrl(url));
        if (!cookies.isEmpty()) {
            QByteArray value;
            for (const QNetworkCookie &cookie : cookies) {
                if (!value.isEmpty())
                    value += "; ";
                value += cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
            }
            headers.append(HttpHeader{"cookie", value});
        }
    }
    return headers;
}

void EngineTransport::storeCookies(const QList<QByteArray> &setCookieHeaders, const QUrl &url) const
{
    if (!m_context.cookies || setCookieHeaders.isEmpty())
        return;
    QList<QNetworkCookie> cookies;
    for (const QByteArray &header : setCookieHeaders)
        cookies += QNetworkCookie::parseCookies(header);
    m_context.cookies->setCookiesFromUrl(cookies, cookieUrl(url));
}

} // namespace Plugboard::Io
