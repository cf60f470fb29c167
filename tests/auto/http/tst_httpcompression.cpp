// Content-coding negotiation (as Node's `accepts(req).encodings(["gzip", "deflate"])`) and
// the gzip / zlib streams, checked by inflating them back with zlib.

#include "../zlibinflate.h"
#include "http/httpcompression.h"

#include <QtTest/QTest>

using namespace Plugboard;
using Encoding = HttpCompression::Encoding;

Q_DECLARE_METATYPE(Plugboard::HttpCompression::Encoding)


class tst_HttpCompression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void negotiate_data();
    void negotiate();
    void roundTrip_data();
    void roundTrip();
};

void tst_HttpCompression::negotiate_data()
{
    QTest::addColumn<QByteArray>("acceptEncoding");
    QTest::addColumn<Encoding>("expected");
    QTest::newRow("absent") << QByteArray() << Encoding::Identity;
    QTest::newRow("gzip") << QByteArray("gzip") << Encoding::Gzip;
    QTest::newRow("deflate") << QByteArray("deflate") << Encoding::Deflate;
    QTest::newRow("browser") << QByteArray("gzip, deflate, br, zstd") << Encoding::Gzip;
    QTest::newRow("tie goes to gzip") << QByteArray("deflate, gzip") << Encoding::Gzip;
    QTest::newRow("weights") << QByteArray("gzip;q=0.4, deflate;q=0.9") << Encoding::Deflate;
    QTest::newRow("spaces and case") << QByteArray(" GZIP ; Q=0.5 ,deflate;q=0.1") << Encoding::Gzip;
    QTest::newRow("refused") << QByteArray("gzip;q=0") << Encoding::Identity;
    QTest::newRow("refused, other accepted") << QByteArray("gzip;q=0, deflate") << Encoding::Deflate;
    QTest::newRow("wildcard") << QByteArray("*") << Encoding::Gzip;
    QTest::newRow("wildcard without gzip") << QByteArray("gzip;q=0, *;q=0.5") << Encoding::Deflate;
    QTest::newRow("only br") << QByteArray("br") << Encoding::Identity;
    QTest::newRow("identity") << QByteArray("identity") << Encoding::Identity;
    QTest::newRow("bad weight counts as refused") << QByteArray("gzip;q=x") << Encoding::Identity;
    QTest::newRow("garbage") << QByteArray(",;;=,,") << Encoding::Identity;
}

void tst_HttpCompression::negotiate()
{
    QFETCH(QByteArray, acceptEncoding);
    QFETCH(Encoding, expected);
    QCOMPARE(HttpCompression::negotiate(acceptEncoding), expected);
}

void tst_HttpCompression::roundTrip_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::addColumn<int>("windowBits");
    QTest::newRow("gzip") << Encoding::Gzip << 15 + 16; // only a gzip stream inflates this way
    QTest::newRow("deflate (zlib format)") << Encoding::Deflate << 15;
}

void tst_HttpCompression::roundTrip()
{
    QFETCH(Encoding, encoding);
    QFETCH(int, windowBits);
    QByteArray payload;
    for (int i = 0; i < 2000; ++i)
        payload += "42[\"tick\"," + QByteArray::number(i) + "]\x1e";
    const QByteArray compressed = HttpCompression::compress(payload, encoding);
    QVERIFY(!compressed.isEmpty());
    QVERIFY(compressed.size() < payload.size() / 4);
    QCOMPARE(PlugboardTest::zlibInflate(compressed, windowBits), payload);
    QCOMPARE(HttpCompression::compress(QByteArray(), encoding).isEmpty(), false); // an empty stream is still a stream
    QCOMPARE(HttpCompression::compress(payload, Encoding::Identity), payload);
}

QTEST_GUILESS_MAIN(tst_HttpCompression)
#include "tst_httpcompression.moc"
