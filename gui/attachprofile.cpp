#include "attachprofile.h"

#include <QtCore/QSettings>

namespace Plugboard {

AttachProfile AttachProfile::fromUrl(const QUrl &url, QString *error)
{
    AttachProfile profile;
    profile.username = url.userName();
    profile.password = url.password();
    QUrl server = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    profile.serverUrl = server;
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/"))
        profile.adminNamespace = path.endsWith(QLatin1Char('/')) ? path.chopped(1) : path;
    profile.isValid(error);
    return profile;
}

bool AttachProfile::isValid(QString *error) const
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const QString scheme = serverUrl.scheme();
    if (!serverUrl.isValid() || serverUrl.host().isEmpty())
        return fail(QStringLiteral("the server address is not a URL (expected http://host:port)"));
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https") && scheme != QLatin1String("ws")
        && scheme != QLatin1String("wss"))
        return fail(QStringLiteral("the server address must start with http://, https://, ws:// or wss://"));
    if (!adminNamespace.startsWith(QLatin1Char('/')) || adminNamespace == QLatin1String("/"))
        return fail(QStringLiteral("the admin namespace must start with / and not be / itself (e.g. /admin)"));
    if (!path.startsWith(QLatin1Char('/')))
        return fail(QStringLiteral("the Socket.IO path must start with /"));
    return true;
}

QUrl AttachProfile::adminUrl() const
{
    QUrl url = serverUrl;
    url.setPath(adminNamespace);
    return url;
}

QString AttachProfile::label() const
{
    return adminUrl().toString();
}

QList<AttachProfile> AttachProfile::loadSaved(QSettings &settings)
{
    QList<AttachProfile> profiles;
    const int count = settings.beginReadArray(QStringLiteral("attachProfiles"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        AttachProfile profile;
        profile.serverUrl = QUrl(settings.value(QStringLiteral("serverUrl")).toString());
        profile.path = settings.value(QStringLiteral("path"), profile.path).toString();
        profile.adminNamespace = settings.value(QStringLiteral("adminNamespace"), profile.adminNamespace).toString();
        profile.username = settings.value(QStringLiteral("username")).toString();
        profile.webSocketOnly = settings.value(QStringLiteral("webSocketOnly")).toBool();
        profile.insecureTls = settings.value(QStringLiteral("insecureTls")).toBool();
        if (profile.isValid(nullptr))
            profiles.append(profile);
    }
    settings.endArray();
    return profiles;
}

void AttachProfile::save(QSettings &settings, const AttachProfile &profile, int maxProfiles)
{
    QList<AttachProfile> profiles = loadSaved(settings);
    profiles.removeIf([&](const AttachProfile &saved) { return saved.label() == profile.label(); });
    profiles.prepend(profile);
    while (profiles.size() > maxProfiles)
        profiles.removeLast();
    settings.remove(QStringLiteral("attachProfiles"));
    settings.beginWriteArray(QStringLiteral("attachProfiles"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        settings.setArrayIndex(i);
        const AttachProfile &saved = profiles.at(i);
        settings.setValue(QStringLiteral("serverUrl"), saved.serverUrl.toString());
        settings.setValue(QStringLiteral("path"), saved.path);
        settings.setValue(QStringLiteral("adminNamespace"), saved.adminNamespace);
        settings.setValue(QStringLiteral("username"), saved.username);
        settings.setValue(QStringLiteral("webSocketOnly"), saved.webSocketOnly);
        settings.setValue(QStringLiteral("insecureTls"), saved.insecureTls);
    }
    settings.endArray();
}

} // namespace Plugboard
