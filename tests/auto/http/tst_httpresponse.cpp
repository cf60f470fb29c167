// The wire form of responses: status line, headers, Content-Length and Connection; 1xx without
// a body; headers with line breaks (from applications) left out rather than splitting it.

#include "http/httpresponse.h"

#include <QtTest/QTest>

using namespace Plugboard;

class tst_HttpResponse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wireForm();
    void switchingProtocols();
    void headersWithLineBreaksAreLeftOut();
};

void tst_HttpResponse::wireForm()
{
    HttpResponse response = HttpResponse::text(200, "ok", "text/html");
    QCOMPARE(serializeResponse(response, true),
             QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n"
                        "Connection: keep-alive\r\n\r\nok"));
    QCOMPARE(serializeResponse(HttpResponse::json(413, "{}"), false),
             QByteArray("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                        "Connection: close\r\n\r\n{}"));
}

void tst_HttpResponse::switchingProtocols()
{
    HttpResponse response;
    response.status = 101;
    response.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    response.body = "ignored";
    QCOMPARE(serializeResponse(response, true),
             QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
}

void tst_HttpResponse::headersWithLineBreaksAreLeftOut()
{
    HttpResponse response = HttpResponse::text(200, "");
    response.headers.append(HttpHeader{"X-Bad", "a\r\nSet-Cookie: evil=1"});
    response.headers.append(HttpHeader{"X-Bad\nName", "b"});
    response.headers.append(HttpHeader{"X-Good", "c"});
    const QByteArray wire = serializeResponse(response, false);
    QVERIFY(!wire.contains("evil"));
    QVERIFY(!wire.contains("X-Bad"));
    QVERIFY(wire.contains("\r\nX-Good: c\r\n"));
}

QTEST_GUILESS_MAIN(tst_HttpResponse)
#include "tst_httpresponse.moc"
