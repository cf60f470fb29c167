// WebSocket frames (RFC 6455 §5.2): FIN set, 7/16/64-bit lengths; the server's unmasked, the
// client's masked (§5.3).

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
    void appendMasked_data();
    void appendMasked();
    void appendMaskedWithZeroKey();
    void appendMaskedKeepsExistingBytes();
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

void tst_WebSocketFrame::appendMasked_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<char>("prefix"); // 0: none
    QTest::addColumn<int>("size");
    QTest::addColumn<quint32>("maskKey");
    QTest::addColumn<QByteArray>("header"); // up to the mask key, MASK bit included

    const int text = WebSocketFrame::Text;
    const int binary = WebSocketFrame::Binary;
    // A key with four different bytes, so that a wrong byte order or a mask index off by one
    // changes the result.
    const quint32 key = 0x37fa213d;
    QTest::newRow("0 bytes") << text << char(0) << 0 << key << QByteArray("\x81\x80");
    QTest::newRow("1 byte") << text << char(0) << 1 << key << QByteArray("\x81\x81");
    QTest::newRow("125 bytes") << text << char(0) << 125 << key << QByteArray("\x81\xfd");
    QTest::newRow("126 bytes") << text << char(0) << 126 << key
                               << QByteArray("\x81\xfe\x00\x7e", 4);
    QTest::newRow("65535 bytes") << text << char(0) << 65535 << key
                                 << QByteArray("\x81\xfe\xff\xff");
    QTest::newRow("65536 bytes") << text << char(0) << 65536 << key
                                 << QByteArray("\x81\xff\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    QTest::newRow("70000 bytes") << text << char(0) << 70000 << key
                                 << QByteArray("\x81\xff\x00\x00\x00\x00\x00\x01\x11\x70", 10);

    // The prefix counts in the length: 125 + 1 no longer fits in 7 bits, 65535 + 1 not in 16.
    QTest::newRow("prefix + 0") << text << '2' << 0 << key << QByteArray("\x81\x81");
    QTest::newRow("prefix + 1") << text << '4' << 1 << key << QByteArray("\x81\x82");
    QTest::newRow("prefix + 124") << text << '4' << 124 << key << QByteArray("\x81\xfd");
    QTest::newRow("prefix + 125") << text << '4' << 125 << key << QByteArray("\x81\xfe\x00\x7e", 4);
    QTest::newRow("prefix + 126") << text << '4' << 126 << key << QByteArray("\x81\xfe\x00\x7f", 4);
    QTest::newRow("prefix + 65535") << text << '4' << 65535 << key
                                    << QByteArray("\x81\xff\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    QTest::newRow("prefix + 65536") << text << '4' << 65536 << key
                                    << QByteArray("\x81\xff\x00\x00\x00\x00\x00\x01\x00\x01", 10);
    QTest::newRow("prefix + 70000") << text << '4' << 70000 << key
                                    << QByteArray("\x81\xff\x00\x00\x00\x00\x00\x01\x11\x71", 10);

    QTest::newRow("binary, 0 bytes") << binary << char(0) << 0 << key << QByteArray("\x82\x80");
    QTest::newRow("binary, 126 bytes")
        << binary << char(0) << 126 << key << QByteArray("\x82\xfe\x00\x7e", 4);
    QTest::newRow("binary, 70000 bytes")
        << binary << char(0) << 70000 << key
        << QByteArray("\x82\xff\x00\x00\x00\x00\x00\x01\x11\x70", 10);
    QTest::newRow("close, 2 bytes")
        << int(WebSocketFrame::Close) << char(0) << 2 << key << QByteArray("\x88\x82");
    QTest::newRow("key with high bits")
        << text << '4' << 7 << quint32(0xff80fe01) << QByteArray("\x81\x88");
}

void tst_WebSocketFrame::appendMasked()
{
    QFETCH(int, opcode);
    QFETCH(char, prefix);
    QFETCH(int, size);
    QFETCH(quint32, maskKey);
    QFETCH(QByteArray, header);

    const QByteArray payload = payloadOf(size);
    const QByteArray expected = prefix ? QByteArray(QByteArray(1, prefix) + payload) : payload;
    QByteArray out;
    WebSocketFrame::appendMasked(out, WebSocketFrame::Opcode(opcode), payload, maskKey, prefix);
    QCOMPARE(out.size(), header.size() + 4 + expected.size());
    QCOMPARE(out.left(header.size()).toHex(' '), header.toHex(' '));
    QCOMPARE(quint8(out.at(0)), quint8(0x80 | opcode)); // FIN, no RSV bits
    QVERIFY(out.at(1) & 0x80);

    const QByteArray mask = out.sliced(header.size(), 4);
    const char keyBytes[4] = {char(maskKey >> 24), char(maskKey >> 16), char(maskKey >> 8),
                              char(maskKey)};
    QCOMPARE(mask.toHex(' '), QByteArray(keyBytes, 4).toHex(' '));

    QByteArray unmasked = out.sliced(header.size() + 4);
    for (qsizetype i = 0; i < unmasked.size(); ++i)
        unmasked[i] = char(unmasked.at(i) ^ mask.at(i % 4));
    QVERIFY(unmasked == expected);

    // Unmasked and without its key, the frame is the server's frame of the same payload.
    QByteArray plain;
    WebSocketFrame::append(plain, WebSocketFrame::Opcode(opcode), expected);
    QByteArray stripped = QByteArray(out.left(header.size()) + unmasked);
    stripped[1] = char(stripped.at(1) & 0x7f);
    QVERIFY(stripped == plain);
}

void tst_WebSocketFrame::appendMaskedWithZeroKey()
{
    // XOR with 0 leaves the payload as it is; the key is still written.
    QByteArray out;
    WebSocketFrame::appendMasked(out, WebSocketFrame::Text, "hello", 0, '4');
    QCOMPARE(out.toHex(' '), QByteArray("\x81\x86\x00\x00\x00\x00"
                                        "4hello",
                                        12)
                                 .toHex(' '));
}

void tst_WebSocketFrame::appendMaskedKeepsExistingBytes()
{
    QByteArray out("\x81\x01"
                   "2");
    WebSocketFrame::appendMasked(out, WebSocketFrame::Text, "ab", 0x01020304, '4');
    WebSocketFrame::appendMasked(out, WebSocketFrame::Binary, QByteArray("\xff", 1), 0x80000000);
    // '4' ^ 01, 'a' ^ 02, 'b' ^ 03; then 0xff ^ 0x80.
    QCOMPARE(out.toHex(' '), QByteArray("\x81\x01"
                                        "2"
                                        "\x81\x83\x01\x02\x03\x04\x35\x63\x61"
                                        "\x82\x81\x80\x00\x00\x00\x7f",
                                        19)
                                 .toHex(' '));
}

QTEST_GUILESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
