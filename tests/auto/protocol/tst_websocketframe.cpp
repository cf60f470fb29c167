// Server-to-client WebSocket frames (RFC 6455 §5.2): FIN set, unmasked, 7/16/64-bit lengths.

#include "protocol/websocketframe.h"

#include <QtTest/QTest>

using namespace Plugboard;

class tst_WebSocketFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void append_data();
    void append();
    void appendText_data();
    void appendText();
    void appendKeepsExistingBytes();
};

namespace {

QByteArray payloadOf(qsizetype size)
{
    QByteArray payload(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        payload[i] = char('a' + i % 26);
    return payload;
}

} // namespace

void tst_WebSocketFrame::append_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("header");

    // The lengths at each side of the 7-bit / 16-bit / 64-bit boundaries.
    QTest::newRow("text, 0 bytes") << int(WebSocketFrame::Text) << 0 << QByteArray("\x81\x00", 2);
    QTest::newRow("text, 1 byte") << int(WebSocketFrame::Text) << 1 << QByteArray("\x81\x01");
    QTest::newRow("text, 125 bytes") << int(WebSocketFrame::Text) << 125 << QByteArray("\x81\x7d");
    QTest::newRow("text, 126 bytes")
        << int(WebSocketFrame::Text) << 126 << QByteArray("\x81\x7e\x00\x7e", 4);
    QTest::newRow("text, 127 bytes")
        << int(WebSocketFrame::Text) << 127 << QByteArray("\x81\x7e\x00\x7f", 4);
    QTest::newRow("text, 256 bytes")
        << int(WebSocketFrame::Text) << 256 << QByteArray("\x81\x7e\x01\x00", 4);
    QTest::newRow("text, 65535 bytes")
        << int(WebSocketFrame::Text) << 65535 << QByteArray("\x81\x7e\xff\xff");
    QTest::newRow("text, 65536 bytes")
        << int(WebSocketFrame::Text) << 65536
        << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    QTest::newRow("binary, 0 bytes")
        << int(WebSocketFrame::Binary) << 0 << QByteArray("\x82\x00", 2);
    QTest::newRow("binary, 125 bytes")
        << int(WebSocketFrame::Binary) << 125 << QByteArray("\x82\x7d");
    QTest::newRow("binary, 126 bytes")
        << int(WebSocketFrame::Binary) << 126 << QByteArray("\x82\x7e\x00\x7e", 4);
    QTest::newRow("binary, 65535 bytes")
        << int(WebSocketFrame::Binary) << 65535 << QByteArray("\x82\x7e\xff\xff");
    QTest::newRow("binary, 65536 bytes")
        << int(WebSocketFrame::Binary) << 65536
        << QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    QTest::newRow("binary, 1 MiB + 1")
        << int(WebSocketFrame::Binary) << (1 << 20) + 1
        << QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x10\x00\x01", 10);
    QTest::newRow("close, 2 bytes") << int(WebSocketFrame::Close) << 2 << QByteArray("\x88\x02");
}

void tst_WebSocketFrame::append()
{
    QFETCH(int, opcode);
    QFETCH(int, size);
    QFETCH(QByteArray, header);

    const QByteArray payload = payloadOf(size);
    QByteArray out;
    WebSocketFrame::append(out, WebSocketFrame::Opcode(opcode), payload);
    QCOMPARE(out.size(), header.size() + size);
    QCOMPARE(out.left(header.size()).toHex(' '), header.toHex(' '));
    QVERIFY(out.sliced(header.size()) == payload);
    QCOMPARE(out.at(1) & 0x80, 0); // never masked
}

void tst_WebSocketFrame::appendText_data()
{
    QTest::addColumn<char>("prefix");
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("header");

    // The prefix counts in the length: 124 + 1 still fits in 7 bits, 125 + 1 does not.
    QTest::newRow("prefix only") << '2' << 0 << QByteArray("\x81\x01");
    QTest::newRow("124 + 1") << '4' << 124 << QByteArray("\x81\x7d");
    QTest::newRow("125 + 1") << '4' << 125 << QByteArray("\x81\x7e\x00\x7e", 4);
    QTest::newRow("65534 + 1") << '4' << 65534 << QByteArray("\x81\x7e\xff\xff");
    QTest::newRow("65535 + 1") << '4' << 65535
                               << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    QTest::newRow("open packet") << '0' << 20 << QByteArray("\x81\x15");
}

void tst_WebSocketFrame::appendText()
{
    QFETCH(char, prefix);
    QFETCH(int, size);
    QFETCH(QByteArray, header);

    const QByteArray payload = payloadOf(size);
    QByteArray out;
    WebSocketFrame::appendText(out, prefix, payload);
    QCOMPARE(out.size(), header.size() + 1 + size);
    QCOMPARE(out.left(header.size()).toHex(' '), header.toHex(' '));
    QCOMPARE(out.at(header.size()), prefix);
    QVERIFY(out.sliced(header.size() + 1) == payload);

    // Same bytes as building the joined payload first.
    QByteArray joined;
    WebSocketFrame::append(joined, WebSocketFrame::Text,
                           QByteArray(QByteArray(1, prefix) + payload));
    QVERIFY(out == joined);
}

void tst_WebSocketFrame::appendKeepsExistingBytes()
{
    QByteArray out("\x81\x01"
                   "2");
    WebSocketFrame::appendText(out, '4', "hello");
    WebSocketFrame::append(out, WebSocketFrame::Binary, QByteArray("\x01\x02", 2));
    QCOMPARE(out.toHex(' '), QByteArray("\x81\x01"
                                        "2"
                                        "\x81\x06"
                                        "4hello"
                                        "\x82\x02\x01\x02")
                                 .toHex(' '));
}

QTEST_GUILESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
