// permessage-deflate (RFC 7692): negotiation of Sec-WebSocket-Extensions offers, messages
// compressed on their own (checked by inflating them with zlib as a client would), the
// persistent inflate stream for what clients send and its size guard; and the WebSocket
// handshake's accept key and checks (RFC 6455 §4.2.2).

#include "protocol/permessagedeflate.h"
#include "protocol/websockethandshake.h"

#include <QtTest/QTest>

#include "../zlibinflate.h"

#include <zlib.h>

using namespace Plugboard;

namespace {

// A client's view: raw inflate of a message with the sync-flush tail put back.
QByteArray inflateAsClient(const QByteArray &message)
{
    return PlugboardTest::zlibInflate(message + QByteArray("\x00\x00\xff\xff", 4), -15);
}

// A client with context takeover: one deflate stream, each message sync-flushed.
class ClientDeflater
{
public:
    ClientDeflater() { deflateInit2(&m_stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY); }
    ~ClientDeflater() { deflateEnd(&m_stream); }
    QByteArray compress(const QByteArray &message)
    {
        QByteArray out(message.size() + 64, Qt::Uninitialized);
        m_stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.data()));
        m_stream.avail_in = uInt(message.size());
        m_stream.next_out = reinterpret_cast<Bytef *>(out.data());
        m_stream.avail_out = uInt(out.size());
        deflate(&m_stream, Z_SYNC_FLUSH);
        out.resize(out.size() - qsizetype(m_stream.avail_out) - 4);
        return out;
    }

private:
    z_stream m_stream{};
};

} // namespace

class tst_PerMessageDeflate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void negotiate_data();
    void negotiate();
    void compressedMessagesInflate();
    void inflaterKeepsTheClientsContext();
    void inflaterRefusesBombsAndGarbage();
    void handshake();
};

void tst_PerMessageDeflate::negotiate_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QByteArray>("response");
    const QByteArray plain("permessage-deflate; server_no_context_takeover");
    QTest::newRow("none") << QByteArray() << false << QByteArray();
    QTest::newRow("other extension") << QByteArray("x-webkit-deflate-frame") << false << QByteArray();
    QTest::newRow("bare") << QByteArray("permessage-deflate") << true << plain;
    QTest::newRow("browser") << QByteArray("permessage-deflate; client_max_window_bits") << true << plain;
    QTest::newRow("ws (Node)") << QByteArray("permessage-deflate; client_max_window_bits=15") << true << plain;
    QTest::newRow("client no context takeover")
        << QByteArray("permessage-deflate; client_no_context_takeover") << true
        << plain + "; client_no_context_takeover";
    QTest::newRow("smaller server window") << QByteArray("permessage-deflate; server_max_window_bits=10") << true
                                           << plain + "; server_max_window_bits=10";
    QTest::newRow("window 8 declined, next offer taken")
        << QByteArray("permessage-deflate; server_max_window_bits=8, permessage-deflate") << true << plain;
    QTest::newRow("unknown parameter") << QByteArray("permessage-deflate; level=9") << false << QByteArray();
    QTest::newRow("duplicate parameter")
        << QByteArray("permessage-deflate; server_no_context_takeover; server_no_context_takeover") << false
        << QByteArray();
    QTest::newRow("value where none belongs") << QByteArray("permessage-deflate; server_no_context_takeover=1")
                                              << false << QByteArray();
    QTest::newRow("bad window") << QByteArray("permessage-deflate; client_max_window_bits=16") << false << QByteArray();
    QTest::newRow("after another extension") << QByteArray("foo, permessage-deflate") << true << plain;
}

void tst_PerMessageDeflate::negotiate()
{
    QFETCH(QByteArray, offers);
    QFETCH(bool, accepted);
    QFETCH(QByteArray, response);
    const auto agreement = PerMessageDeflate::negotiate(offers);
    QCOMPARE(agreement.has_value(), accepted);
    if (accepted)
        QCOMPARE(agreement->responseHeader(), response);
}

void tst_PerMessageDeflate::compressedMessagesInflate()
{
    const QByteArray message = QByteArray("42[\"tick\",") + QByteArray(5000, 'z') + "]";
    const QByteArray compressed = PerMessageDeflate::compressMessage(message);
    QVERIFY(!compressed.isEmpty());
    QVERIFY(compressed.size() < 100);
    QVERIFY(!compressed.endsWith(QByteArray("\x00\x00\xff\xff", 4)));
    // Every message stands alone (server_no_context_takeover): a fresh inflater reads each.
    QCOMPARE(inflateAsClient(compressed), message);
    QCOMPARE(inflateAsClient(PerMessageDeflate::compressMessage(message)), message);
    QCOMPARE(inflateAsClient(PerMessageDeflate::compressMessage(message, 9)), message);
    QCOMPARE(inflateAsClient(PerMessageDeflate::compressMessage(QByteArray())), QByteArray());

    QByteArray frames;
    PerMessageDeflate::appendFrame(frames, 0x1, "small", 1024);
    QCOMPARE(frames, QByteArray("\x81\x05small"));
    frames.clear();
    PerMessageDeflate::appendFrame(frames, 0x2, message, 1024);
    QCOMPARE(quint8(frames.at(0)), quint8(0xc2)); // FIN, RSV1, binary
    QCOMPARE(frames.size(), 2 + compressed.size());
}

void tst_PerMessageDeflate::inflaterKeepsTheClientsContext()
{
    ClientDeflater client;
    PerMessageDeflate::Inflater inflater;
    const QByteArray first = QByteArray("42[\"say\",\"") + QByteArray(300, 'a') + "\"]";
    const QByteArray second = first; // compresses to a back-reference into the first
    const QByteArray c1 = client.compress(first);
    const QByteArray c2 = client.compress(second);
    QVERIFY(c2.size() < c1.size());
    QCOMPARE(inflater.inflate(c1, 1 << 20), std::optional<QByteArray>(first));
    QCOMPARE(inflater.inflate(c2, 1 << 20), std::optional<QByteArray>(second));
}

void tst_PerMessageDeflate::inflaterRefusesBombsAndGarbage()
{
    PerMessageDeflate::Inflater inflater;
    const QByteArray bomb = PerMessageDeflate::compressMessage(QByteArray(10 << 20, '\0'));
    QVERIFY(bomb.size() < 20000);
    QVERIFY(!inflater.inflate(bomb, 1000000));
    QVERIFY(!inflater.inflate(QByteArray("\xff\xff\xff\xff garbage"), 1000000));
    // The stream is usable again after a refusal.
    PerMessageDeflate::Inflater fresh(true);
    const QByteArray ok = PerMessageDeflate::compressMessage("4hello");
    QCOMPARE(fresh.inflate(ok, 100), std::optional<QByteArray>("4hello"));
    QCOMPARE(fresh.inflate(ok, 100), std::optional<QByteArray>("4hello"));
}

void tst_PerMessageDeflate::handshake()
{
    QCOMPARE(WebSocketHandshake::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(WebSocketHandshake::isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
    QVERIFY(!WebSocketHandshake::isValidKey("dGhlIHNhbXBsZSBub25jZQ")); // not 24 characters
    QVERIFY(!WebSocketHandshake::isValidKey("dGhlIHNhbXBsZSBub25jZSE=")); // 17 bytes, not 16
    QVERIFY(!WebSocketHandshake::isValidKey("****************AAAAAA=="));
    QVERIFY(!WebSocketHandshake::isValidKey(""));
    QVERIFY(WebSocketHandshake::isSupportedVersion("13"));
    QVERIFY(WebSocketHandshake::isSupportedVersion("8"));
    QVERIFY(!WebSocketHandshake::isSupportedVersion("12"));
    QVERIFY(!WebSocketHandshake::isSupportedVersion(""));
}

QTEST_GUILESS_MAIN(tst_PerMessageDeflate)
#include "tst_permessagedeflate.moc"
