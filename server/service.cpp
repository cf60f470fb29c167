#include "service.h"

#include <http/httpserver.h>
#include <sio/server.h>

#include <QtCore/QTimer>

namespace Plugboard {

Service::Service(const ServiceConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_http(new HttpServer(this)), m_io(new Server(config.server, this))
{
    m_io->attach(m_http);
}

Service::~Service() = default;

bool Service::start(QString *error)
{
    if (m_http->listen(m_config.host, m_config.port))
        return true;
    if (error)
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.host.toString())
                     .arg(m_config.port)
                     .arg(m_http->errorString());
    return false;
}

void Service::stop()
{
    m_io->close();
    m_http->close();
    // Close frames and final poll answers leave before stopped() lets the owner quit.
    QTimer::singleShot(200, this, &Service::stopped);
}

bool Service::isRunning() const
{
    return m_http->isListening();
}

quint16 Service::port() const
{
    return m_http->serverPort();
}

} // namespace Plugboard
