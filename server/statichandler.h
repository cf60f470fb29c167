#pragma once

#include <http/httphandler.h>
#include <http/httpresponse.h>

#include <QtCore/QHash>
#include <QtCore/QStringList>

namespace Plugboard {

// Files the program serves itself: the browser client bundle at <path>socket.io.js (Node's
// serveClient; from the npm socket.io-client package, found on disk) and the demo page at
// /demo/ (built into the program), and the official admin UI at /admin/ (from the npm
// @socket.io/admin-ui package's ui/dist, found on disk).
class StaticHandler : public HttpHandler
{
public:
    struct Options
    {
        QString enginePath = QStringLiteral("/socket.io/");
        bool serveClient = true;
        QString bundleDir; // empty: search bundleSearchPath()
        bool demo = false;
        bool adminUi = false;
        QString adminUiDir; // empty: search adminUiSearchPath()
    };

    explicit StaticHandler(Options options) : m_options(std::move(options)) {}

    // Where the client bundle is looked for when no directory is configured.
    static QStringList bundleSearchPath();
    static QStringList adminUiSearchPath();
    // Where a program installed under a prefix keeps `installed`, then a development tree's
    // npm packages.
    static QStringList searchPath(const QString &installed, const QString &npmPackageDir);

    bool matches(const HttpRequest &request) const override;
    void handleRequest(const HttpRequest &request, HttpConnection *connection) override;
    void handleUpgrade(const HttpRequest &request, QTcpSocket *socket) override;
    qsizetype maxBodySize() const override { return 0; }

private:
    HttpResponse bundleFile(const QString &name);
    HttpResponse demoFile(const QString &name) const;
    QString bundleDir() const;
    HttpResponse adminUiFile(const QString &name);
    QString adminUiDir() const;

    Options m_options;
    QHash<QString, HttpResponse> m_cache; // the bundle's few files, read once
    QHash<QString, HttpResponse> m_adminUiCache; // the UI's files (a few dozen), read once
};

} // namespace Plugboard
