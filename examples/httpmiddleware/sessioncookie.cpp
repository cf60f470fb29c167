#include "sessioncookie.h"

#include <constanttime.h>
#include <http/httpcookies.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QMessageAuthenticationCode>
#include <QtCore/QRandomGenerator>

namespace Plugboard::Examples {

namespace {

constexpr auto base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray signatureOf(const QByteArray &id, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(id, secret, QCryptographicHash::Sha256).toBase64(base64Url);
}

// "s:<id>.<signature>", express-session's signed form; the id when the signature holds.
QString verifiedId(const QByteArray &cookie, const QByteArray &secret)
{
    if (!cookie.startsWith("s:"))
        return {};
    const qsizetype dot = cookie.lastIndexOf('.');
    if (dot < 2)
        return {};
    const QByteArray id = cookie.sliced(2, dot - 2);
    if (!constantTimeEquals(cookie.sliced(dot + 1), signatureOf(id, secret)))
        return {};
    return QString::fromLatin1(id);
}

} // namespace

SessionStore::SessionStore(int maxAgeSeconds, qsizetype maxSessions)
    : m_maxAgeSeconds(maxAgeSeconds)
    , m_maxSessions(maxSessions)
{
}

QString SessionStore::create()
{
    prune();
    while (m_sessions.size() >= m_maxSessions && !m_byAge.empty()) {
        m_sessions.remove(m_byAge.front());
        m_byAge.pop_front();
    }
    quint32 random[6];
    QRandomGenerator::system()->fillRange(random);
    const QString id = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(random), sizeof random).toBase64(base64Url));
    m_sessions.insert(id, {QDeadlineTimer(std::chrono::seconds(m_maxAgeSeconds)), {}});
    m_byAge.push_back(id);
    return id;
}

bool SessionStore::contains(const QString &id)
{
    prune();
    return m_sessions.contains(id);
}

QVariantMap SessionStore::data(const QString &id)
{
    return contains(id) ? m_sessions.value(id).data : QVariantMap();
}

void SessionStore::setData(const QString &id, const QVariantMap &data)
{
    const auto it = m_sessions.find(id);
    if (it != m_sessions.end())
        it->data = data;
}

void SessionStore::prune()
{
    while (!m_byAge.empty()) {
        const auto it = m_sessions.constFind(m_byAge.front());
        if (it != m_sessions.cend() && !it->expiry.hasExpired())
            break;
        if (it != m_sessions.cend())
            m_sessions.erase(it);
        m_byAge.pop_front();
    }
}

EngineMiddleware sessionCookie(SessionCookieOptions options, std::shared_ptr<SessionStore> store)
{
    return [options = std::move(options), store = std::move(store)](HttpRequest &request, HttpResponse &response,
                                                                    const EngineNext &next) {
        const std::optional<QByteArray> cookie = HttpCookies::value(request, options.cookieName);
        QString id = cookie ? verifiedId(*cookie, options.secret) : QString();
        const bool isNew = id.isEmpty() || !store->contains(id);
        if (isNew) {
            id = store->create();
            HttpCookies::SetCookie setCookie;
            setCookie.name = options.cookieName;
            setCookie.value = "s:" + id.toLatin1() + '.' + signatureOf(id.toLatin1(), options.secret);
            setCookie.maxAgeSeconds = store->maxAgeSeconds();
            setCookie.secure = options.secure;
            response.headers.append({QByteArrayLiteral("Set-Cookie"), HttpCookies::serialize(setCookie)});
        }
        request.attributes.insert(QStringLiteral("sessionId"), id);
        request.attributes.insert(QStringLiteral("sessionIsNew"), isNew);
        next(std::nullopt);
    };
}

} // namespace Plugboard::Examples
