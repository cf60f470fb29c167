#include "logsink.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

#include <systemd/sd-daemon.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace Plugboard {

namespace {

LogConfig::Format g_format = LogConfig::Format::Text;
bool g_journal = false;

// The journal's priority prefix (sd-daemon(3)): journald reads the level from it.
const char *journalPrefix(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return SD_DEBUG;
    case QtInfoMsg: return SD_INFO;
    case QtWarningMsg: return SD_WARNING;
    case QtCriticalMsg: return SD_ERR;
    case QtFatalMsg: return SD_CRIT;
    }
    return SD_INFO;
}

// systemd sets JOURNAL_STREAM to the device and inode of the stream it connected; stderr may
// have been redirected since, so both are compared.
bool stderrIsJournal()
{
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    const qsizetype colon = stream.indexOf(':');
    struct stat status = {};
    if (colon <= 0 || ::fstat(STDERR_FILENO, &status) != 0)
        return false;
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = stream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = stream.mid(colon + 1).toULongLong(&inodeOk);
    return deviceOk && inodeOk && device == qulonglong(status.st_dev) && inode == qulonglong(status.st_ino);
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void writeMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString category = QString::fromLatin1(context.category ? context.category : "default");
    QByteArray line;
    if (g_format == LogConfig::Format::Json) {
        line = QJsonDocument(QJsonObject{{QStringLiteral("time"), time},
                                         {QStringLiteral("level"), QLatin1String(levelName(type))},
                                         {QStringLiteral("category"), category},
                                         {QStringLiteral("message"), message}})
                   .toJson(QJsonDocument::Compact);
    } else {
        line = (QString::fromLatin1(levelName(type)).toUpper() + QLatin1Char(' ') + category + QStringLiteral(": ")
                + message)
                   .toUtf8();
        if (!g_journal) // the journal stamps each line itself
            line.prepend((time + QLatin1Char(' ')).toUtf8());
    }
    if (g_journal)
        line.prepend(journalPrefix(type));
    line.append('\n');
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

void LogSink::install(const LogConfig &config)
{
    g_format = config.format;
    g_journal = stderrIsJournal();
    // QT_LOGGING_RULES, when set, still wins over these.
    switch (config.level) {
    case QtDebugMsg:
        QLoggingCategory::setFilterRules(QStringLiteral("plugboard.*.debug=true\nplugboard.*.info=true"));
        break;
    case QtInfoMsg:
        break;
    case QtWarningMsg:
        QLoggingCategory::setFilterRules(QStringLiteral("*.info=false"));
        break;
    default:
        QLoggingCategory::setFilterRules(QStringLiteral("*.info=false\n*.warning=false"));
        break;
    }
    qInstallMessageHandler(writeMessage);
}

} // namespace Plugboard
