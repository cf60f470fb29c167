// HttpResponseParser: the client side's incremental HTTP/1.1 response parsing, whatever the
// split of the bytes, with bounded heads and bodies and nothing read past a response.

#include "http/httpresponseparser.h"

#include <QtTest/QTest>

using namespace Plugboard;
using Status = HttpResponseParser::Status;

namespace {

struct Outcome
{
    Status status = Status::NeedMore;
    qsizetype consumed = 0;
    QByteArray error;
    HttpResponseHead response;
};

// Feeds data in pieces of chunk bytes (0: all at once) until the parser has an answer.
Outcome feedInChunks(HttpResponseParser &parser, QByteArrayView data, qsizetype chunk)
{
    Outcome outcome;
    qsizetype offset = 0;
    while (offset < data.size()) {
        const qsizetype size =
            chunk > 0 ? std::min(chunk, data.size() - offset) : data.size() - offset;
        const HttpResponseParser::Result result = parser.feed(data.sliced(offset, size));
        outcome.status = result.status;
        outcome.consumed += result.consumed;
        outcome.error = result.error;
        if (result.status != Status::NeedMore) {
            if (result.status == Status::Complete)
                outcome.response = parser.takeResponse();
            return outcome;
        }
        if (result.consumed != size) { // NeedMore consumes everything
            outcome.status = Status::Error;
            outcome.error = "NeedMore left bytes unconsumed";
            return outcome;
        }
        offset += size;
    }
    return outcome;
}

QByteArrayList formatHeaders(const QList<HttpHeader> &headers)
{
    QByteArrayList lines;
    for (const HttpHeader &h : headers)
        lines.append(h.name + ": " + h.value);
    return lines;
}

const QList<qsizetype> chunkSizes{0, 1, 2, 7};

} // namespace

class tst_HttpResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void responses_data();
    void responses();
    void bodyUntilEndOfStream_data();
    void bodyUntilEndOfStream();
    void finishWithoutCompleteResponse_data();
    void finishWithoutCompleteResponse();
    void byteByByte();
    void pipelined();
    void pipelinedAfterChunked();
    void switchingProtocolsKeepsFrameBytes_data();
    void switchingProtocolsKeepsFrameBytes();
    void bodyTooLarge_data();
    void bodyTooLarge();
    void headersTooLarge_data();
    void headersTooLarge();
    void garbage_data();
    void garbage();
    void headerLookup();
    void repeatedSetCookie();
    void headResponse_data();
    void headResponse();
    void headResponseThenGet();
    void noBodyStatusesIgnoreContentLength_data();
    void noBodyStatusesIgnoreContentLength();
    void inResponse();
    void emptyFeed_data();
    void emptyFeed();
};

void tst_HttpResponseParser::responses_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Length: 11\r\n\r\n4hello\x1e"
                      "4bye")
        << 200 << QByteArrayList{"content-type: text/plain; charset=UTF-8", "content-length: 11"}
        << QByteArray("4hello\x1e"
                      "4bye")
        << true;
    QTest::newRow("Content-Length: 0")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << 200
        << QByteArrayList{"content-length: 0"} << QByteArray() << true;
    QTest::newRow("binary body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\x00\x01\r\n", 42) << 200
        << QByteArrayList{"content-length: 4"} << QByteArray("\x00\x01\r\n", 4) << true;
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                             << 200 << QByteArrayList{"transfer-encoding: chunked"}
                             << QByteArray("hello world") << true;
    QTest::newRow("chunked, hex sizes, extension and trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "A;name=value\r\n0123456789\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                      "0\r\nX-Trailer: t\r\n\r\n")
        << 200 << QByteArrayList{"transfer-encoding: chunked"}
        << QByteArray("0123456789abcdefghijklmnopqrstuvwxyz") << true;
    QTest::newRow("chunked, no chunks")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 200
        << QByteArrayList{"transfer-encoding: chunked"} << QByteArray() << true;
    QTest::newRow("Connection: close")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok") << 200
        << QByteArrayList{"connection: close", "content-length: 2"} << QByteArray("ok") << false;
    QTest::newRow("Connection: Close, any case")
        << QByteArray("HTTP/1.1 200 OK\r\nCONNECTION: Close\r\nContent-Length: 2\r\n\r\nok") << 200
        << QByteArrayList{"connection: Close", "content-length: 2"} << QByteArray("ok") << false;
    QTest::newRow("Connection: keep-alive on HTTP/1.1")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
        << 200 << QByteArrayList{"connection: keep-alive", "content-length: 2"} << QByteArray("ok")
        << true;
    QTest::newRow("HTTP/1.0 closes")
        << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") << 200
        << QByteArrayList{"content-length: 2"} << QByteArray("ok") << false;
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
        << 200 << QByteArrayList{"connection: keep-alive", "content-length: 2"} << QByteArray("ok")
        << true;
    QTest::newRow("204 without Content-Length")
        << QByteArray("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n") << 204
        << QByteArrayList{"access-control-allow-origin: *"} << QByteArray() << true;
    QTest::newRow("304 without Content-Length")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n") << 304
        << QByteArrayList{"etag: \"x\""} << QByteArray() << true;
    QTest::newRow("400 with a body")
        << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                      "Content-Length: 40\r\n\r\n{\"code\":0,\"message\":\"Transport unknown\"}")
        << 400 << QByteArrayList{"content-type: application/json", "content-length: 40"}
        << QByteArray("{\"code\":0,\"message\":\"Transport unknown\"}") << true;
    QTest::newRow("names lower-cased, values trimmed")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Custom:   spaced value \t\r\nContent-LENGTH:0\r\n"
                      "Sec-WebSocket-Accept:\ts3pPLMBiTxaQ9kYGzzhZRbK+xOo=  \r\n\r\n")
        << 200
        << QByteArrayList{"x-custom: spaced value", "content-length: 0",
                          "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}
        << QByteArray() << true;
    QTest::newRow("empty header value between others")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Next: v\r\nX-Blank:   \r\n"
                      "Content-Length: 0\r\n\r\n")
        << 200 << QByteArrayList{"x-empty: ", "x-next: v", "x-blank: ", "content-length: 0"}
        << QByteArray() << true;
    QTest::newRow("reason phrase missing")
        << QByteArray("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx") << 200
        << QByteArrayList{"content-length: 1"} << QByteArray("x") << true;
}

void tst_HttpResponseParser::responses()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(QByteArrayList, headers);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);

    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser;
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY2(outcome.status == Status::Complete,
                 QByteArray(where + ": " + outcome.error).constData());
        QVERIFY2(outcome.error.isEmpty(), where.constData());
        QCOMPARE(outcome.consumed, raw.size());
        QCOMPARE(outcome.response.status, status);
        QCOMPARE(formatHeaders(outcome.response.headers), headers);
        QCOMPARE(outcome.response.body, body);
        QCOMPARE(outcome.response.keepAlive, keepAlive);
        QVERIFY2(!parser.inResponse(), where.constData());
    }
}

void tst_HttpResponseParser::bodyUntilEndOfStream_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("HTTP/1.1 without length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello, world") << 200
        << QByteArray("hello, world");
    QTest::newRow("HTTP/1.1 Connection: close without length")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n1:a2:bc") << 200
        << QByteArray("1:a2:bc");
    QTest::newRow("HTTP/1.0 without length")
        << QByteArray("HTTP/1.0 500 Internal Server Error\r\n\r\noops") << 500
        << QByteArray("oops");
    QTest::newRow("empty body") << QByteArray("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n") << 200
                                << QByteArray();
}

void tst_HttpResponseParser::bodyUntilEndOfStream()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser;
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY2(outcome.status == Status::NeedMore, where.constData());
        QCOMPARE(outcome.consumed, raw.size());
        QVERIFY2(parser.inResponse(), where.constData());

        const HttpResponseParser::Result finished = parser.finish();
        QVERIFY2(finished.status == Status::Complete,
                 QByteArray(where + ": " + finished.error).constData());
        QVERIFY(!parser.inResponse());
        const HttpResponseHead response = parser.takeResponse();
        QCOMPARE(response.status, status);
        QCOMPARE(response.body, body);
        QVERIFY2(!response.keepAlive, where.constData()); // the end of the stream ended it
    }
}

void tst_HttpResponseParser::finishWithoutCompleteResponse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("error");

    QTest::newRow("nothing received")
        << QByteArray() << QByteArray("connection closed before a response");
    QTest::newRow("in the status line")
        << QByteArray("HTTP/1.1 20") << QByteArray("connection closed in the middle of a response");
    QTest::newRow("in the headers") << QByteArray("HTTP/1.1 200 OK\r\nContent-Len")
                                    << QByteArray("connection closed in the middle of a response");
    QTest::newRow("short Content-Length body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234")
        << QByteArray("connection closed in the middle of a response");
    QTest::newRow("unfinished chunked body")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        << QByteArray("connection closed in the middle of a response");
}

void tst_HttpResponseParser::finishWithoutCompleteResponse()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, error);

    HttpResponseParser parser;
    const HttpResponseParser::Result fed = parser.feed(raw);
    QVERIFY(fed.status == Status::NeedMore);
    QCOMPARE(fed.consumed, raw.size());
    const HttpResponseParser::Result finished = parser.finish();
    QVERIFY(finished.status == Status::Error);
    QCOMPARE(finished.error, error);
}

void tst_HttpResponseParser::byteByByte()
{
    const QByteArray raw("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    HttpResponseParser parser;
    for (qsizetype i = 0; i + 1 < raw.size(); ++i) {
        const HttpResponseParser::Result result = parser.feed(raw.sliced(i, 1));
        QVERIFY2(result.status == Status::NeedMore, QByteArray::number(i).constData());
        QCOMPARE(result.consumed, 1);
        QVERIFY(parser.inResponse());
    }
    const HttpResponseParser::Result last = parser.feed(raw.sliced(raw.size() - 1));
    QVERIFY(last.status == Status::Complete);
    QCOMPARE(last.consumed, 1);
    const HttpResponseHead response = parser.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-type"), QByteArray("application/octet-stream"));
    QCOMPARE(response.body, QByteArray("abcde"));
    QVERIFY(response.keepAlive);
}

void tst_HttpResponseParser::pipelined()
{
    const QByteArray first("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    const QByteArray second("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n"
                            "\r\nnot found");
    const QByteArray both = first + second;

    HttpResponseParser parser;
    const HttpResponseParser::Result one = parser.feed(both);
    QVERIFY(one.status == Status::Complete);
    QCOMPARE(one.consumed, first.size());
    // Until the response is taken, nothing more is read.
    const HttpResponseParser::Result again = parser.feed(QByteArrayView(both).sliced(one.consumed));
    QVERIFY(again.status == Status::Complete);
    QCOMPARE(again.consumed, 0);

    const HttpResponseHead firstResponse = parser.takeResponse();
    QCOMPARE(firstResponse.status, 200);
    QCOMPARE(firstResponse.body, QByteArray("ok"));
    QVERIFY(firstResponse.keepAlive);
    QVERIFY(!parser.inResponse());

    const HttpResponseParser::Result two = parser.feed(QByteArrayView(both).sliced(one.consumed));
    QVERIFY(two.status == Status::Complete);
    QCOMPARE(two.consumed, second.size());
    const HttpResponseHead secondResponse = parser.takeResponse();
    QCOMPARE(secondResponse.status, 404);
    QCOMPARE(formatHeaders(secondResponse.headers),
             QByteArrayList({"content-length: 9", "connection: close"}));
    QCOMPARE(secondResponse.body, QByteArray("not found"));
    QVERIFY(!secondResponse.keepAlive);
}

void tst_HttpResponseParser::pipelinedAfterChunked()
{
    const QByteArray first("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-First: 1\r\n\r\n"
                           "2\r\nab\r\n0\r\n\r\n");
    const QByteArray second("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz");

    HttpResponseParser parser;
    const HttpResponseParser::Result one = parser.feed(QByteArray(first + second));
    QVERIFY(one.status == Status::Complete);
    QCOMPARE(one.consumed, first.size());
    const HttpResponseHead firstResponse = parser.takeResponse();
    QCOMPARE(firstResponse.body, QByteArray("ab"));

    // Nothing of the first response leaks into the second.
    const HttpResponseParser::Result two = parser.feed(second);
    QVERIFY(two.status == Status::Complete);
    QCOMPARE(two.consumed, second.size());
    const HttpResponseHead secondResponse = parser.takeResponse();
    QCOMPARE(formatHeaders(secondResponse.headers), QByteArrayList{"content-length: 3"});
    QCOMPARE(secondResponse.header("x-first"), QByteArray());
    QCOMPARE(secondResponse.body, QByteArray("xyz"));
}

void tst_HttpResponseParser::switchingProtocolsKeepsFrameBytes_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("rest");

    const QByteArray head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    // The engine.io open packet in an unmasked text frame, then the start of another frame.
    QTest::newRow("frame after the head") << head
                                          << QByteArray("\x81\x05"
                                                        "0{\"a\""
                                                        "\x81\x01"
                                                        "3");
    QTest::newRow("bytes that look like HTTP") << head << QByteArray("HTTP/1.1 200 OK\r\n\r\n");
    QTest::newRow("a single byte") << head << QByteArray("\x88", 1);
    QTest::newRow("nothing after the head") << head << QByteArray();
    QTest::newRow("Connection with several tokens")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: keep-alive, Upgrade\r\n"
                      "Upgrade: websocket\r\n\r\n")
        << QByteArray("\x81\x00", 2);
}

void tst_HttpResponseParser::switchingProtocolsKeepsFrameBytes()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, rest);

    const QByteArray raw = head + rest;
    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser;
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY2(outcome.status == Status::Complete,
                 QByteArray(where + ": " + outcome.error).constData());
        QCOMPARE(outcome.consumed, head.size());
        QCOMPARE(raw.sliced(outcome.consumed), rest);
        QCOMPARE(outcome.response.status, 101);
        QCOMPARE(outcome.response.header("upgrade"), QByteArray("websocket"));
        QVERIFY(outcome.response.body.isEmpty());
    }
}

void tst_HttpResponseParser::bodyTooLarge_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("maxBody");
    QTest::addColumn<bool>("finish"); // the body ends with the stream

    QTest::newRow("Content-Length over the limit")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n") << qint64(10) << false;
    QTest::newRow("huge Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9007199254740993\r\n\r\n")
        << qint64(64 * 1024 * 1024) << false;
    QTest::newRow("one chunk over the limit")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n0123456789a\r\n")
        << qint64(10) << false;
    QTest::newRow("chunks adding up over the limit")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4\r\n0123\r\n4\r\n4567\r\n4\r\n89ab\r\n0\r\n\r\n")
        << qint64(10) << false;
    QTest::newRow("body until end of stream over the limit")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789a") << qint64(10)
        << true;
}

void tst_HttpResponseParser::bodyTooLarge()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, maxBody);
    QFETCH(bool, finish);

    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser(maxBody);
        Outcome outcome = feedInChunks(parser, raw, chunk);
        if (finish && outcome.status == Status::NeedMore) {
            const HttpResponseParser::Result finished = parser.finish();
            outcome.status = finished.status;
            outcome.error = finished.error;
        }
        QVERIFY2(outcome.status == Status::Error, where.constData());
        QCOMPARE(outcome.error, QByteArray("response body too large"));
    }
}

void tst_HttpResponseParser::headersTooLarge_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("maxHeader");

    QTest::newRow("one long value")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Long: " + QByteArray(200, 'v') + "\r\n\r\n")
        << qint64(100);
    QTest::newRow("one long name")
        << QByteArray("HTTP/1.1 200 OK\r\nX-" + QByteArray(200, 'n') + ": v\r\n\r\n")
        << qint64(100);
    QByteArray many("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 20; ++i)
        many += "Set-Cookie: c" + QByteArray::number(i) + "=0123456789\r\n";
    many += "\r\n";
    QTest::newRow("many short headers") << many << qint64(100);
    QTest::newRow("default limit")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Long: " + QByteArray(70 * 1024, 'v') + "\r\n\r\n")
        << qint64(64 * 1024);
}

void tst_HttpResponseParser::headersTooLarge()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, maxHeader);

    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser(64 * 1024 * 1024, maxHeader);
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY2(outcome.status == Status::Error, where.constData());
        QCOMPARE(outcome.error, QByteArray("response headers too large"));
    }

    // The same head fits under a limit large enough for it.
    HttpResponseParser roomy(64 * 1024 * 1024, raw.size());
    const Outcome outcome = feedInChunks(roomy, raw, 0);
    QVERIFY2(outcome.status == Status::NeedMore, outcome.error.constData()); // body until the end
    QCOMPARE(outcome.consumed, raw.size());
}

void tst_HttpResponseParser::garbage_data()
{
    QTest::addColumn<QByteArray>("raw");

    QTest::newRow("text") << QByteArray("hello world\r\n\r\n");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\r\n\r\n", 8);
    QTest::newRow("a request") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QTest::newRow("status not a number") << QByteArray("HTTP/1.1 abc OK\r\n\r\n");
    QTest::newRow("status too long") << QByteArray("HTTP/1.1 20000 OK\r\n\r\n");
    QTest::newRow("bad version") << QByteArray("HTTP/x.1 200 OK\r\n\r\n");
    QTest::newRow("Content-Length not a number")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n");
    QTest::newRow("two Content-Lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    QTest::newRow("chunk size not hex")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n");
    QTest::newRow("chunk longer than its size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
}

void tst_HttpResponseParser::garbage()
{
    QFETCH(QByteArray, raw);

    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser;
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY2(outcome.status == Status::Error, where.constData());
        QVERIFY2(!outcome.error.isEmpty(), where.constData());
        // An error sticks: more bytes do not revive the parser.
        const HttpResponseParser::Result more =
            parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        QVERIFY2(more.status == Status::Error, where.constData());
    }
}

void tst_HttpResponseParser::headerLookup()
{
    HttpResponseParser parser;
    const QByteArray raw("HTTP/1.1 200 OK\r\nContent-Type:  text/html \r\nX-Empty:\r\n"
                         "Content-Length: 0\r\n\r\n");
    QVERIFY(parser.feed(raw).status == Status::Complete);
    const HttpResponseHead response = parser.takeResponse();
    QCOMPARE(response.header("content-type"), QByteArray("text/html"));
    QCOMPARE(response.headerValues("content-type"), QList<QByteArray>{"text/html"});
    // Lookups take the lower-case name, as the headers are stored.
    QCOMPARE(response.header("Content-Type"), QByteArray());
    QVERIFY(response.header("x-missing").isNull());
    QVERIFY(response.headerValues("x-missing").isEmpty());
    QVERIFY(response.header("x-empty").isEmpty());
    QCOMPARE(response.headerValues("x-empty").size(), 1);
}

void tst_HttpResponseParser::repeatedSetCookie()
{
    const QByteArray raw("HTTP/1.1 200 OK\r\n"
                         "Set-Cookie: io=abc; Path=/; HttpOnly; SameSite=Lax\r\n"
                         "Content-Length: 0\r\n"
                         "set-cookie: lb=node2; Max-Age=60\r\n"
                         "SET-COOKIE:   third=3  \r\n\r\n");
    for (qsizetype chunk : chunkSizes) {
        HttpResponseParser parser;
        const Outcome outcome = feedInChunks(parser, raw, chunk);
        QVERIFY(outcome.status == Status::Complete);
        QCOMPARE(outcome.response.headerValues("set-cookie"),
                 QList<QByteArray>({"io=abc; Path=/; HttpOnly; SameSite=Lax",
                                    "lb=node2; Max-Age=60", "third=3"}));
        QCOMPARE(outcome.response.header("set-cookie"),
                 QByteArray("io=abc; Path=/; HttpOnly; SameSite=Lax"));
        QCOMPARE(outcome.response.headers.size(), 4);
    }
}

void tst_HttpResponseParser::headResponse_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<qint64>("maxBody");

    QTest::newRow("Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1234\r\n\r\n")
        << qint64(64 * 1024 * 1024);
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << qint64(64 * 1024 * 1024);
    QTest::newRow("Content-Length over maxBodyBytes")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n") << qint64(10);
}

void tst_HttpResponseParser::headResponse()
{
    QFETCH(QByteArray, head);
    QFETCH(qint64, maxBody);

    // The bytes after the head are the next response, not a body.
    const QByteArray next("HTTP/1.1 204 No Content\r\n\r\n");
    for (qsizetype chunk : chunkSizes) {
        const QByteArray where = "chunk size " + QByteArray::number(chunk);
        HttpResponseParser parser(maxBody);
        parser.expectResponseTo("HEAD");
        const Outcome outcome = feedInChunks(parser, QByteArray(head + next), chunk);
        QVERIFY2(outcome.status == Status::Complete,
                 QByteArray(where + ": " + outcome.error).constData());
        QCOMPARE(outcome.consumed, head.size());
        QCOMPARE(outcome.response.status, 200);
        QVERIFY(outcome.response.body.isEmpty());
        QVERIFY(outcome.response.keepAlive);

        const Outcome second = feedInChunks(parser, next, chunk);
        QVERIFY2(second.status == Status::Complete,
                 QByteArray(where + ": " + second.error).constData());
        QCOMPARE(second.consumed, next.size());
        QCOMPARE(second.response.status, 204);
    }
}

void tst_HttpResponseParser::headResponseThenGet()
{
    HttpResponseParser parser;
    parser.expectResponseTo("HEAD");
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").status == Status::Complete);
    QVERIFY(parser.takeResponse().body.isEmpty());

    // The next request is a GET: its response's body is read again.
    parser.expectResponseTo("GET");
    const QByteArray raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    const HttpResponseParser::Result result = parser.feed(raw);
    QVERIFY(result.status == Status::Complete);
    QCOMPARE(result.consumed, raw.size());
    QCOMPARE(parser.takeResponse().body, QByteArray("hello"));
}

void tst_HttpResponseParser::noBodyStatusesIgnoreContentLength_data()
{
    QTest::addColumn<QByteArray>("head");

    // RFC 9110 §6.4.1: 204 and 304 never have a body; a 304's Content-Length is the size a 200
    // would have had.
    QTest::newRow("204 with Content-Length")
        << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
    QTest::newRow("304 with Content-Length")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 5\r\n\r\n");
}

void tst_HttpResponseParser::noBodyStatusesIgnoreContentLength()
{
    QFETCH(QByteArray, head);

    const QByteArray next("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    HttpResponseParser parser;
    const HttpResponseParser::Result result = parser.feed(QByteArray(head + next));
    QVERIFY(result.status == Status::Complete);
    QCOMPARE(result.consumed, head.size());
    QVERIFY(parser.takeResponse().body.isEmpty());
}

void tst_HttpResponseParser::inResponse()
{
    HttpResponseParser parser;
    QVERIFY(!parser.inResponse());
    QVERIFY(parser.feed("HTTP/1.1 2").status == Status::NeedMore);
    QVERIFY(parser.inResponse());
    QVERIFY(parser.feed("00 OK\r\nContent-Length: 1\r\n\r\n").status == Status::NeedMore);
    QVERIFY(parser.inResponse());
    QVERIFY(parser.feed("x").status == Status::Complete);
    QVERIFY(!parser.inResponse());
    QCOMPARE(parser.takeResponse().body, QByteArray("x"));
    QVERIFY(!parser.inResponse());
    // After a response is taken, a closed connection is not a truncated response.
    QCOMPARE(parser.finish().error, QByteArray("connection closed before a response"));
}

void tst_HttpResponseParser::emptyFeed_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<QByteArray>("body");

    // No bytes are not the end of the stream (libhttp-parser's reading of a zero length; found
    // by tests/fuzz/fuzz_httpresponseparser): only finish() says the peer closed.
    QTest::newRow("before a response") << QByteArray() << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                                       << QByteArray("ok");
    QTest::newRow("in the status line") << QByteArray("HTTP/1.1 20") << QByteArray("0 OK\r\nContent-Length: 2\r\n\r\nok")
                                        << QByteArray("ok");
    QTest::newRow("in a body until the end of the stream")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nab") << QByteArray("cd") << QByteArray("abcd");
}

void tst_HttpResponseParser::emptyFeed()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(QByteArray, body);

    HttpResponseParser parser;
    QVERIFY(parser.feed(before).status == Status::NeedMore);
    const HttpResponseParser::Result empty = parser.feed(QByteArrayView());
    QVERIFY(empty.status == Status::NeedMore);
    QCOMPARE(empty.consumed, 0);
    QVERIFY(empty.error.isEmpty());
    const HttpResponseParser::Result rest = parser.feed(after);
    QCOMPARE(rest.consumed, after.size());
    if (rest.status == Status::NeedMore)
        QVERIFY(parser.finish().status == Status::Complete);
    else
        QVERIFY(rest.status == Status::Complete);
    QCOMPARE(parser.takeResponse().body, body);
}

QTEST_GUILESS_MAIN(tst_HttpResponseParser)
#include "tst_httpresponseparser.moc"
