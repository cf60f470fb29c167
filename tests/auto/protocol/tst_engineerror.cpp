// Engine.IO request errors: Node's codes, messages, HTTP status and JSON bodies.

#include "protocol/engineerror.h"

#include <QtTest/QTest>

using namespace Plugboard;
using EngineIO::RequestError;

class tst_EngineError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errors_data();
    void errors();
};

void tst_EngineError::errors_data()
{
    QTest::addColumn<RequestError>("error");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("status");

    QTest::newRow("unknown transport")
        << RequestError::UnknownTransport << 0 << QByteArray("Transport unknown") << 400;
    QTest::newRow("unknown sid") << RequestError::UnknownSid << 1
                                 << QByteArray("Session ID unknown") << 400;
    QTest::newRow("bad handshake method")
        << RequestError::BadHandshakeMethod << 2 << QByteArray("Bad handshake method") << 400;
    QTest::newRow("bad request") << RequestError::BadRequest << 3 << QByteArray("Bad request")
                                 << 400;
    QTest::newRow("forbidden") << RequestError::Forbidden << 4 << QByteArray("Forbidden") << 403;
    QTest::newRow("unsupported protocol version")
        << RequestError::UnsupportedProtocolVersion << 5
        << QByteArray("Unsupported protocol version") << 400;
}

void tst_EngineError::errors()
{
    QFETCH(RequestError, error);
    QFETCH(int, code);
    QFETCH(QByteArray, message);
    QFETCH(int, status);

    QCOMPARE(int(error), code);
    QCOMPARE(QByteArray(EngineIO::errorMessage(error)), message);
    QCOMPARE(EngineIO::httpStatus(error), status);
    QCOMPARE(EngineIO::errorBody(error),
             "{\"code\":" + QByteArray::number(code) + ",\"message\":\"" + message + "\"}");
}

QTEST_GUILESS_MAIN(tst_EngineError)
#include "tst_engineerror.moc"
