#pragma once

#include "../http/httpresponseparser.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QSslConfiguration>

class QTcpSocket;

namespace Plugboard::Io {

// The head of a client's HTTP/1.1 request: request line, Host (with the port unless it is the
// scheme's default) and the given headers, up to and including the blank line.
QByteArray requestHead(QByteArrayView method, QByteArrayView target, const QString &host, quint16 port, bool secure,
                       const QList<HttpHeader> &headers);

// One keep-alive HTTP/1.1 connection of the client, one request at a time. Qt's
// QNetworkAccessManager is not used: it allows six connections per host and runs a thread per
// manager, and a process with a thousand long-polling clients needs two connections each.
class HttpClientConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClientConnection)

public:
    struct Endpoint
    {
        QString host;
        quint16 port = 80;
        bool secure = false;
        QSslConfiguration ssl;
        bool rejectUnauthorized = true;
    };

    HttpClientConnection(Endpoint endpoint, qint64 maxBodyBytes, QObject *parent = nullptr);
    ~HttpClientConnection() override;

    void request(const QByteArray &method, const QByteArray &target, const QList<HttpHeader> &headers,
                 const QByteArray &body = {});
    bool isBusy() const { return m_busy; }
    // Drops the connection and any request in flight, without a signal.
    void abort();

Q_SIGNALS:
    void responseReceived(const Plugboard::HttpResponseHead &response);
    void failed(const QString &error);

private:
    void connectSocket();
    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    void fail(const QString &error);

    Endpoint m_endpoint;
    QPointer<QTcpSocket> m_socket;
    HttpResponseParser m_parser;
    QByteArray m_pending; // the request being sent
    bool m_busy = false;
    bool m_reused = false;   // the request went on a connection that served one before
    bool m_retried = false;
    bool m_connected = false;
};

} // namespace Plugboard::Io
