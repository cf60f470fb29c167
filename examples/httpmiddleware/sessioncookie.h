#pragma once

#include <engine/enginemiddleware.h>

#include <QtCore/QByteArray>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

#include <deque>
#include <memory>

namespace Plugboard::Examples {

// Sessions by id, in memory, each kept for maxAgeSeconds after it was made and at most
// maxSessions at once (the oldest go first): a client that never sends its cookie back cannot
// grow the store without bound.
class SessionStore
{
public:
    explicit SessionStore(int maxAgeSeconds = 24 * 3600, qsizetype maxSessions = 100000);

    QString create();
    bool contains(const QString &id);
    // The session's data; empty when there is no such session.
    QVariantMap data(const QString &id);
    void setData(const QString &id, const QVariantMap &data);
    qsizetype size() const { return m_sessions.size(); }
    int maxAgeSeconds() const { return m_maxAgeSeconds; }

private:
    void prune();

    struct Entry
    {
        QDeadlineTimer expiry;
        QVariantMap data;
    };
    int m_maxAgeSeconds;
    qsizetype m_maxSessions;
    QHash<QString, Entry> m_sessions;
    std::deque<QString> m_byAge; // creation order, which is expiry order
};

struct SessionCookieOptions
{
    QByteArray cookieName = QByteArrayLiteral("plugboard.sid");
    QByteArray secret; // signs the cookie (HMAC-SHA256), as express-session's secret
    bool secure = false; // the Secure attribute, for HTTPS deployments
};

// express-session for Engine.IO requests: a signed session cookie. A request with a valid
// cookie of a live session gets that session; any other gets a new one and a Set-Cookie.
// Either way request.attributes["sessionId"] names it and ["sessionIsNew"] says which, so
// Socket::request() carries the session of the handshake to the Socket.IO layer.
EngineMiddleware sessionCookie(SessionCookieOptions options, std::shared_ptr<SessionStore> store);

} // namespace Plugboard::Examples
