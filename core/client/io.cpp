#include "io.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtCore/QPointer>

namespace Plugboard::Io {

static QString managerKey(const QUrl &url)
{
    const bool secure = url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("wss");
    return (secure ? QStringLiteral("https://") : QStringLiteral("http://")) + url.host() + QLatin1Char(':')
        + QString::number(url.port(secure ? 443 : 80));
}

Socket *connect(const QUrl &url, const ConnectOptions &options, QObject *parent)
{
    // One cache per thread: a Manager lives in the thread that made it.
    thread_local QHash<QString, QPointer<Manager>> managers;
    const QString nsp = url.path().isEmpty() ? QStringLiteral("/") : url.path();
    const QString key = managerKey(url);
    QPointer<Manager> &cached = managers[key];
    const bool newConnection = options.forceNew || !options.multiplex || !cached || cached->hasSocket(nsp);
    Manager *manager = cached;
    if (newConnection) {
        manager = new Manager(url, options.manager, parent ? parent : QCoreApplication::instance());
        if (!cached && !options.forceNew && options.multiplex)
            cached = manager;
    }
    return manager->socket(nsp, options.socket);
}

} // namespace Plugboard::Io
