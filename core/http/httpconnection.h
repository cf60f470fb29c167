#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QTcpSocket;

namespace Plugboard {

class HttpServer;

// One HTTP/1.1 keep-alive connection: parses requests one at a time and writes responses.
// Owned by the HttpServer; deletes itself when the peer goes away.
class HttpConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    // Answers the request in progress. Ignored when the connection is gone.
    void respond(const HttpResponse &response);
    bool isOpen() const;
    bool hasPendingRequest() const { return m_pendingRequest; }
    // Closes the connection unless a request is being read or answered (the server closing).
    void closeIfIdle();
    QTcpSocket *socket() const { return m_socket; }

Q_SIGNALS:
    // The peer closed or reset the connection; a pending request will never be answered.
    void aborted();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onReadyRead();
    void processBuffer();
    void fail(int status, const QByteArray &message);
    void closeConnection();
    void onDisconnected();

    HttpServer *m_server;
    QTcpSocket *m_socket;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    bool m_inTransaction = false;
    bool m_lingering = false; // answered with an error: input is dropped until the peer hangs up
    static constexpr int LingerMs = 2000;
    qint64 m_transactionBytes = 0;
    bool m_pendingRequest = false;
    bool m_keepAlive = true;
    bool m_handedOff = false;
    QBasicTimer m_idleTimer;
};

} // namespace Plugboard
