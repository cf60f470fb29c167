#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>

class QSettings;

namespace Plugboard {

// Where and how the console attaches to a remote server's admin namespace. Saved profiles
// keep everything but the password.
struct AttachProfile
{
    QUrl serverUrl;                                   // http(s)://host:port
    QString path = QStringLiteral("/socket.io");      // the server's Socket.IO path
    QString adminNamespace = QStringLiteral("/admin");
    QString username;
    QString password;
    bool webSocketOnly = false;
    bool insecureTls = false;                         // accept any certificate (a test server)

    // "http://user:pass@host:3000/admin": the URL's path is the namespace ("/admin" if none).
    static AttachProfile fromUrl(const QUrl &url, QString *error);
    // The admin namespace's URL, without credentials.
    QUrl adminUrl() const;
    QString label() const;
    bool isValid(QString *error) const;

    static QList<AttachProfile> loadSaved(QSettings &settings);
    // Remembers the profile first in the list (replacing one for the same server and namespace).
    static void save(QSettings &settings, const AttachProfile &profile, int maxProfiles = 20);
};

} // namespace Plugboard
