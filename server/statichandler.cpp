#include "statichandler.h"

#include "httpreplies.h"

#include <http/httpconnection.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

namespace Plugboard {

namespace {

const QStringList &bundleFiles()
{
    static const QStringList files{QStringLiteral("socket.io.js"),          QStringLiteral("socket.io.js.map"),
                                   QStringLiteral("socket.io.min.js"),      QStringLiteral("socket.io.min.js.map"),
                                   QStringLiteral("socket.io.esm.min.js"),  QStringLiteral("socket.io.esm.min.js.map"),
                                   QStringLiteral("socket.io.msgpack.min.js"), QStringLiteral("socket.io.msgpack.min.js.map")};
    return files;
}

const QStringList &demoFiles()
{
    static const QStringList files{QStringLiteral("index.html"), QStringLiteral("demo.js"), QStringLiteral("demo.css")};
    return files;
}

QByteArray contentType(const QString &name)
{
    if (name.endsWith(QLatin1String(".map")))
        return "application/json; charset=utf-8";
    if (name.endsWith(QLatin1String(".js")))
        return "application/javascript; charset=utf-8";
    if (name.endsWith(QLatin1String(".css")))
        return "text/css; charset=utf-8";
    if (name.endsWith(QLatin1String(".json")))
        return "application/json; charset=utf-8";
    if (name.endsWith(QLatin1String(".svg")))
        return "image/svg+xml";
    if (name.endsWith(QLatin1String(".png")))
        return "image/png";
    if (name.endsWith(QLatin1String(".ico")))
        return "image/x-icon";
    if (name.endsWith(QLatin1String(".woff2")))
        return "font/woff2";
    if (name.endsWith(QLatin1String(".woff")))
        return "font/woff";
    if (name.endsWith(QLatin1String(".ttf")))
        return "font/ttf";
    if (name.endsWith(QLatin1String(".eot")))
        return "application/vnd.ms-fontobject";
    if (name.endsWith(QLatin1String(".txt")))
        return "text/plain; charset=utf-8";
    return "text/html; charset=utf-8";
}

HttpResponse fileResponse(const QString &name, const QByteArray &content)
{
    HttpResponse response = HttpResponse::text(200, content, contentType(name));
    const QByteArray hash = QCryptographicHash::hash(content, QCryptographicHash::Sha1).toHex().left(20);
    response.setHeader("ETag", '"' + hash + '"');
    response.setHeader("Cache-Control", "public, max-age=0");
    response.setHeader("X-Content-Type-Options", "nosniff");
    return response;
}

} // namespace

QStringList StaticHandler::searchPath(const QString &installed, const QString &npmPackageDir)
{
    // Installed: <prefix>/share/plugboard/ beside <prefix>/bin/. A development build also looks
    // where tests/e2e's npm install puts the packages; a packaged build never does.
    QStringList dirs{QCoreApplication::applicationDirPath() + QStringLiteral("/../share/plugboard/") + installed};
#ifdef PLUGBOARD_SOURCE_DIR
    dirs.append(QStringLiteral(PLUGBOARD_SOURCE_DIR "/tests/e2e/node_modules/") + npmPackageDir);
#else
    Q_UNUSED(npmPackageDir)
#endif
    for (QString &dir : dirs)
        dir = QDir::cleanPath(dir);
    return dirs;
}

QStringList StaticHandler::bundleSearchPath()
{
    return searchPath(QStringLiteral("socket.io-client"), QStringLiteral("socket.io-client/dist"));
}

QStringList StaticHandler::adminUiSearchPath()
{
    return searchPath(QStringLiteral("admin-ui"), QStringLiteral("@socket.io/admin-ui/ui/dist"));
}

QString StaticHandler::adminUiDir() const
{
    if (!m_options.adminUiDir.isEmpty())
        return m_options.adminUiDir;
    for (const QString &dir : adminUiSearchPath()) {
        if (QFileInfo::exists(dir + QStringLiteral("/index.html")))
            return dir;
    }
    return {};
}

HttpResponse StaticHandler::adminUiFile(const QString &name)
{
    const QString dir = adminUiDir();
    if (dir.isEmpty()) {
        const QString searched = m_options.adminUiDir.isEmpty() ? adminUiSearchPath().join(QStringLiteral(", "))
                                                                : m_options.adminUiDir;
        return HttpResponse::text(404, QStringLiteral("admin UI not found in %1. Install the npm package "
                                                      "@socket.io/admin-ui and set admin.uiDir to its ui/dist "
                                                      "directory.\n")
                                           .arg(searched)
                                           .toUtf8());
    }
    // Only files inside the directory: no "..", no hidden files, nothing a link leads out to.
    const QString root = QFileInfo(dir).canonicalFilePath();
    const QString wanted = QFileInfo(dir + QLatin1Char('/') + name).canonicalFilePath();
    const bool inside = !name.contains(QLatin1String("..")) && !name.contains(QLatin1Char('\\'))
        && !name.startsWith(QLatin1Char('.')) && !name.contains(QLatin1String("/."))
        && !root.isEmpty() && wanted.startsWith(root + QLatin1Char('/'));
    if (!inside || !QFileInfo(wanted).isFile())
        return jsonError(404, QStringLiteral("no such file in the admin UI"));
    // Keyed by the file, not by the spelling of its path ("js//app.js"), so that the cache holds
    // at most the directory's files.
    if (const auto it = m_adminUiCache.constFind(wanted); it != m_adminUiCache.cend())
        return *it;
    QFile file(wanted);
    if (!file.open(QIODevice::ReadOnly))
        return jsonError(404, QStringLiteral("no such file in the admin UI"));
    const HttpResponse response = fileResponse(name, file.readAll());
    m_adminUiCache.insert(wanted, response);
    return response;
}

QString StaticHandler::bundleDir() const
{
    if (!m_options.bundleDir.isEmpty())
        return m_options.bundleDir;
    for (const QString &dir : bundleSearchPath()) {
        if (QFileInfo::exists(dir + QStringLiteral("/socket.io.min.js")))
            return dir;
    }
    return {};
}

bool StaticHandler::matches(const HttpRequest &request) const
{
    const QString path = QString::fromUtf8(request.path);
    if (m_options.serveClient && path.startsWith(m_options.enginePath)
        && bundleFiles().contains(path.mid(m_options.enginePath.size())))
        return true;
    if (m_options.adminUi && (path == QLatin1String("/admin") || path.startsWith(QLatin1String("/admin/"))))
        return true;
    return m_options.demo && (path == QLatin1String("/demo") || path.startsWith(QLatin1String("/demo/")));
}

void StaticHandler::handleUpgrade(const HttpRequest &, QTcpSocket *socket)
{
    refuseUpgrade(socket, jsonError(400, QStringLiteral("no WebSocket here")));
}

void StaticHandler::handleRequest(const HttpRequest &request, HttpConnection *connection)
{
    if (request.method != "GET") {
        HttpResponse response = jsonError(405, QStringLiteral("only GET"));
        response.setHeader("Allow", "GET");
        connection->respond(response);
        return;
    }
    const QString path = QString::fromUtf8(request.path);
    HttpResponse response;
    if (path == QLatin1String("/demo")) {
        response = HttpResponse::text(301, "Moved to /demo/");
        response.setHeader("Location", "/demo/");
    } else if (path == QLatin1String("/admin")) {
        response = HttpResponse::text(301, "Moved to /admin/");
        response.setHeader("Location", "/admin/");
    } else if (path.startsWith(QLatin1String("/admin/"))) {
        const QString name = path.mid(7);
        response = adminUiFile(name.isEmpty() ? QStringLiteral("index.html") : name);
    } else if (path.startsWith(QLatin1String("/demo/"))) {
        const QString name = path.mid(6);
        response = demoFile(name.isEmpty() ? QStringLiteral("index.html") : name);
    } else {
        response = bundleFile(path.mid(m_options.enginePath.size()));
    }
    const QByteArray etag = response.header("etag");
    if (response.status == 200 && !etag.isEmpty() && request.header("if-none-match") == etag) {
        HttpResponse notModified;
        notModified.status = 304;
        notModified.setHeader("ETag", etag);
        connection->respond(notModified);
        return;
    }
    connection->respond(response);
}

HttpResponse StaticHandler::bundleFile(const QString &name)
{
    if (const auto it = m_cache.constFind(name); it != m_cache.cend())
        return *it;
    const QString dir = bundleDir();
    QFile file(dir + QLatin1Char('/') + name);
    if (dir.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        const QString searched = m_options.bundleDir.isEmpty() ? bundleSearchPath().join(QStringLiteral(", "))
                                                               : m_options.bundleDir;
        return HttpResponse::text(404, QStringLiteral("socket.io client bundle not found: %1 is not in %2. Install the npm "
                                                      "package socket.io-client and set clientBundleDir (or "
                                                      "--client-bundle-dir) to its dist/ directory.\n")
                                           .arg(name, searched)
                                           .toUtf8());
    }
    const HttpResponse response = fileResponse(name, file.readAll());
    m_cache.insert(name, response);
    return response;
}

HttpResponse StaticHandler::demoFile(const QString &name) const
{
    QFile file(QStringLiteral(":/plugboard/demo/") + name);
    if (!demoFiles().contains(name) || !file.open(QIODevice::ReadOnly))
        return HttpResponse::text(404, "Not Found");
    HttpResponse response = fileResponse(name, file.readAll());
    response.setHeader("Content-Security-Policy",
                       "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'");
    return response;
}

} // namespace Plugboard
