#include "logsink.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

#include <cstdio>

namespace Plugboard {

namespace {

LogConfig::Format g_format = LogConfig::Format::Text;

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
        line = (time + QLatin1Char(' ') + QString::fromLatin1(levelName(type)).toUpper() + QLatin1Char(' ')
                + category + QStringLiteral(": ") + message)
                   .toUtf8();
    }
    line.append('\n');
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

void LogSink::install(const LogConfig &config)
{
    g_format = config.format;
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
