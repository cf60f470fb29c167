#pragma once

#include <sio/serveroptions.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <memory>
#include <optional>

namespace Plugboard {

class HttpServer;
class Server;

// Everything the plugboard program is configured with (command line over config file).
struct ServiceConfig
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 3000;
    ServerOptions server;
};

// The plugboard service: an HTTP front, the Socket.IO server on it and the program's own
// behaviour. Used by `plugboard --headless` and, in a worker thread, by the console.
class Service : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Service)

public:
    explicit Service(const ServiceConfig &config, QObject *parent = nullptr);
    ~Service() override;

    const ServiceConfig &config() const { return m_config; }
    // Starts listening; false with a message (e.g. the port is in use) otherwise.
    bool start(QString *error);
    // Closes every client ("server shutting down") and stops listening; stopped() follows.
    void stop();
    bool isRunning() const;
    quint16 port() const;

    Server *io() const { return m_io; }
    HttpServer *http() const { return m_http; }

Q_SIGNALS:
    void stopped();

private:
    ServiceConfig m_config;
    HttpServer *m_http;
    Server *m_io;
};

} // namespace Plugboard
