// Rendering of event arguments and parsing of the composer's JSON arguments.

#include <cborformat.h>
#include <jsonarguments.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Plugboard;

class tst_ConsoleFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compactJson_data();
    void compactJson();
    void compactJsonCutsLongOutput();
    void prettyJson();
    void toJsonIsLossless();
    void parseArguments_data();
    void parseArguments();
};

void tst_ConsoleFormat::compactJson_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty array") << QCborValue(QCborArray()) << QStringLiteral("[]");
    QTest::newRow("scalars") << QCborValue(QCborArray{1, 2.5, true, false, nullptr, QStringLiteral("a")})
                             << QStringLiteral(R"([1,2.5,true,false,null,"a"])");
    QTest::newRow("escapes") << QCborValue(QStringLiteral("q\"b\\n\nt\t\x01"))
                             << QStringLiteral(R"("q\"b\\n\nt\t\u0001")");
    QTest::newRow("map keeps order") << QCborValue(QCborMap{{QStringLiteral("z"), 1}, {QStringLiteral("a"), QCborArray{}}})
                                     << QStringLiteral(R"({"z":1,"a":[]})");
    QTest::newRow("binary short") << QCborValue(QByteArray::fromHex("0102ff")) << QStringLiteral("<3 bytes: 0102ff>");
    QTest::newRow("binary empty") << QCborValue(QByteArray()) << QStringLiteral("<0 bytes>");
    QTest::newRow("binary long") << QCborValue(QByteArray(20, '\x0a'))
                                 << QStringLiteral("<20 bytes: 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a…>");
    QTest::newRow("nested binary") << QCborValue(QCborArray{QCborMap{{QStringLiteral("img"), QByteArray("AB")}}})
                                   << QStringLiteral(R"([{"img":<2 bytes: 4142>}])");
    QTest::newRow("unicode") << QCborValue(QStringLiteral("héllo ✓")) << QStringLiteral("\"héllo ✓\"");
    QTest::newRow("large integer") << QCborValue(qint64(9007199254740993)) << QStringLiteral("9007199254740993");
    QTest::newRow("undefined") << QCborValue() << QStringLiteral("null");
}

void tst_ConsoleFormat::compactJson()
{
    QFETCH(QCborValue, value);
    QFETCH(QString, expected);
    QCOMPARE(CborFormat::compactJson(value), expected);
}

void tst_ConsoleFormat::compactJsonCutsLongOutput()
{
    QCborArray big;
    for (int i = 0; i < 1000; ++i)
        big.append(QStringLiteral("item %1").arg(i));
    const QString text = CborFormat::compactJson(big, 50);
    QCOMPARE(text.size(), 51);
    QVERIFY(text.endsWith(QChar(0x2026)));
    QVERIFY(text.startsWith(QLatin1String(R"(["item 0","item 1")")));
}

void tst_ConsoleFormat::prettyJson()
{
    const QCborArray value{QCborMap{{QStringLiteral("a"), 1}}, QByteArray("x")};
    QCOMPARE(CborFormat::prettyJson(value), QStringLiteral("[\n  {\n    \"a\": 1\n  },\n  <1 bytes: 78>\n]"));
}

void tst_ConsoleFormat::toJsonIsLossless()
{
    const QCborArray value{QStringLiteral("a"), QByteArray::fromHex("ff00"), QCborMap{{QStringLiteral("n"), 2}}};
    const QJsonValue json = CborFormat::toJson(value);
    QCOMPARE(json.toArray().at(1).toObject().value(QStringLiteral("$base64")).toString(), QStringLiteral("/wA="));
    // What the export writes, the composer reads back.
    const JsonArguments back = JsonArguments::parse(QString::fromUtf8(QJsonDocument(json.toArray()).toJson()));
    QVERIFY(back.ok);
    QCOMPARE(back.arguments, value);
}

void tst_ConsoleFormat::parseArguments_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QCborArray>("expected");
    QTest::addColumn<int>("errorOffset");
    QTest::newRow("nothing") << QString() << true << QCborArray() << -1;
    QTest::newRow("blank") << QStringLiteral("  \n ") << true << QCborArray() << -1;
    QTest::newRow("empty array") << QStringLiteral("[]") << true << QCborArray() << -1;
    QTest::newRow("values") << QStringLiteral(R"(["a", 1, 2.5, true, null, {"k": [1]}])") << true
                            << QCborArray{QStringLiteral("a"), 1, 2.5, true, nullptr,
                                          QCborMap{{QStringLiteral("k"), QCborArray{1}}}}
                            << -1;
    QTest::newRow("hex") << QStringLiteral(R"([{"$hex": "00FFa0"}])") << true << QCborArray{QByteArray::fromHex("00ffa0")} << -1;
    QTest::newRow("base64") << QStringLiteral(R"([{"$base64": "AQI="}])") << true << QCborArray{QByteArray("\x01\x02")} << -1;
    QTest::newRow("nested hex") << QStringLiteral(R"([{"file": {"$hex": "61"}}])") << true
                                << QCborArray{QCborMap{{QStringLiteral("file"), QByteArray("a")}}} << -1;
    QTest::newRow("two keys are no marker") << QStringLiteral(R"([{"$hex": "61", "x": 1}])") << true
                                            << QCborArray{QCborMap{{QStringLiteral("$hex"), QStringLiteral("61")},
                                                                   {QStringLiteral("x"), 1}}}
                                            << -1;
    QTest::newRow("object") << QStringLiteral(R"({"a": 1})") << false << QCborArray() << -1;
    QTest::newRow("number") << QStringLiteral("42") << false << QCborArray() << -1;
    QTest::newRow("unterminated") << QStringLiteral(R"(["a", )") << false << QCborArray() << 6;
    QTest::newRow("trailing comma") << QStringLiteral("[1,]") << false << QCborArray() << 4;
    QTest::newRow("garbage after") << QStringLiteral("[1] x") << false << QCborArray() << 4;
    QTest::newRow("bad hex digits") << QStringLiteral(R"([{"$hex": "zz"}])") << false << QCborArray() << -1;
    QTest::newRow("odd hex") << QStringLiteral(R"([{"$hex": "abc"}])") << false << QCborArray() << -1;
    QTest::newRow("hex not a string") << QStringLiteral(R"([{"$hex": 12}])") << false << QCborArray() << -1;
    QTest::newRow("bad base64") << QStringLiteral(R"([{"$base64": "!!"}])") << false << QCborArray() << -1;
}

void tst_ConsoleFormat::parseArguments()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QCborArray, expected);
    QFETCH(int, errorOffset);
    const JsonArguments parsed = JsonArguments::parse(text);
    QCOMPARE(parsed.ok, ok);
    QCOMPARE(parsed.error.isEmpty(), ok);
    if (ok)
        QCOMPARE(parsed.arguments, expected);
    if (errorOffset >= 0)
        QCOMPARE(parsed.offset, errorOffset);
}

QTEST_APPLESS_MAIN(tst_ConsoleFormat)
#include "tst_consoleformat.moc"
