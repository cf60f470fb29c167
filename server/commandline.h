#pragma once

#include "serviceconfig.h"

#include <QtCore/QCommandLineOption>
#include <QtCore/QCommandLineParser>

#include <optional>

class QCoreApplication;

namespace Plugboard {

// The program's command line. The configuration it yields is built in layers: defaults,
// then the --config file, then the other options, then PLUGBOARD_API_KEY.
class CommandLine
{
public:
    CommandLine();

    // Handles --help, --version and unknown options like QCommandLineParser::process()
    // (printing and exiting).
    void process(const QCoreApplication &app);
    std::optional<ServiceConfig> config(QString *error) const;

    bool isHeadless() const { return m_parser.isSet(m_headless); }
    bool isCheckOnly() const { return m_parser.isSet(m_checkConfig); }
    // The console attached to a remote server: its admin namespace URL.
    QString attachUrl() const { return m_parser.value(m_attach); }

private:
    bool applyOptions(ServiceConfig &config, QString *error) const;
    bool readInt(const QCommandLineOption &option, qint64 min, qint64 max, qint64 *out, QString *error) const;
    static bool appendApiKeys(const QByteArray &text, const QString &source, ServiceConfig *config, QString *error);

    QCommandLineParser m_parser;
    QCommandLineOption m_headless;
    QCommandLineOption m_config;
    QCommandLineOption m_checkConfig;
    QCommandLineOption m_host;
    QCommandLineOption m_port;
    QCommandLineOption m_path;
    QCommandLineOption m_pingInterval;
    QCommandLineOption m_pingTimeout;
    QCommandLineOption m_maxHttpBufferSize;
    QCommandLineOption m_connectTimeout;
    QCommandLineOption m_transports;
    QCommandLineOption m_corsOrigin;
    QCommandLineOption m_corsCredentials;
    QCommandLineOption m_recovery;
    QCommandLineOption m_tlsCert;
    QCommandLineOption m_tlsKey;
    QCommandLineOption m_logLevel;
    QCommandLineOption m_logFormat;
    QCommandLineOption m_demo;
    QCommandLineOption m_clientBundleDir;
    QCommandLineOption m_redis;
    QCommandLineOption m_hashPassword;
    QCommandLineOption m_attach;
};

} // namespace Plugboard
