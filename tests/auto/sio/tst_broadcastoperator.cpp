// BroadcastOperator over the in-memory adapter: who receives (to / except / socket
// broadcasts), one encoding for every recipient (same bytes), volatile broadcasts, and
// broadcasts with acknowledgements.

#include "rawclient.h"

#include <adapter/adapter.h>
#include <engine/enginesocket.h>
#include <engine/transport.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <functional>

using namespace Plugboard;
using namespace SioTest;

Q_DECLARE_METATYPE(SioTest::Message)

namespace {

std::unique_ptr<Server> startServer(ServerOptions options = {})
{
    auto io = std::make_unique<Server>(options);
    if (!io->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    io->of(QStringLiteral("/admin"));
    return io;
}

struct Peer
{
    Peer(Server *io, const QByteArray &nsp = "/") : client(io->serverPort())
    {
        if (!client.open())
            return;
        const QString id = client.connect(nsp);
        socket = io->existingNamespace(QString::fromUtf8(nsp))->socket(id);
    }
    RawClient client;
    QPointer<Socket> socket;
};

QStringList ids(const QList<Socket *> &sockets)
{
    QStringList out;
    for (const Socket *socket : sockets)
        out.append(socket->id());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class tst_BroadcastOperator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void recipients_data();
    void recipients();
    void sameBytesForEveryRecipient_data();
    void sameBytesForEveryRecipient();
    void volatileSkipsPeersThatCannotTakeIt();
    void emitWithAck_data();
    void emitWithAck();
    void emitWithAckRecipientDisconnects();
    void lateAnswersAreIgnoredAndForgotten();
};

void tst_BroadcastOperator::initTestCase()
{
    qRegisterMetaType<Plugboard::Socket *>();
    qRegisterMetaType<Plugboard::Namespace *>();
    qRegisterMetaType<Plugboard::BroadcastOptions>();
}

// Four sockets: a in r1; b in r1 and r2; c in r2; d in none.
void tst_BroadcastOperator::recipients_data()
{
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("expected"); // letters of the recipients

    QTest::newRow("everyone") << u"all"_qs << u"abcd"_qs;
    QTest::newRow("one room") << u"to r1"_qs << u"ab"_qs;
    QTest::newRow("two rooms, each once") << u"to r1 r2"_qs << u"abc"_qs;
    QTest::newRow("room except room") << u"to r1 except r2"_qs << u"a"_qs;
    QTest::newRow("except only") << u"except r1"_qs << u"cd"_qs;
    QTest::newRow("a socket's own room") << u"to a"_qs << u"a"_qs;
    QTest::newRow("unknown room") << u"to none"_qs << QString();
    QTest::newRow("room except itself") << u"to r1 except r1"_qs << QString();
    QTest::newRow("socket broadcast") << u"a.broadcast"_qs << u"bcd"_qs;
    QTest::newRow("socket to room") << u"a.to r1"_qs << u"b"_qs;
    QTest::newRow("socket except room") << u"a.except r2"_qs << u"d"_qs;
}

void tst_BroadcastOperator::recipients()
{
    QFETCH(QString, selector);
    QFETCH(QString, expected);

    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Peer a(io.get()), b(io.get()), c(io.get()), d(io.get());
    QVERIFY(a.socket && b.socket && c.socket && d.socket);
    a.socket->join(QStringLiteral("r1"));
    b.socket->join(QSet<QString>{u"r1"_qs, u"r2"_qs});
    c.socket->join(QStringLiteral("r2"));
    const QHash<QString, std::function<BroadcastOperator()>> selectors{
        {u"all"_qs, [&] { return nsp->all(); }},
        {u"to r1"_qs, [&] { return nsp->to(u"r1"_qs); }},
        {u"to r1 r2"_qs, [&] { return nsp->to(u"r1"_qs).to(u"r2"_qs); }},
        {u"to r1 except r2"_qs, [&] { return nsp->to(u"r1"_qs).except(u"r2"_qs); }},
        {u"except r1"_qs, [&] { return nsp->except(u"r1"_qs); }},
        {u"to a"_qs, [&] { return nsp->to(a.socket->id()); }},
        {u"to none"_qs, [&] { return nsp->to(u"none"_qs); }},
        {u"to r1 except r1"_qs, [&] { return nsp->to(u"r1"_qs).except(u"r1"_qs); }},
        {u"a.broadcast"_qs, [&] { return a.socket->broadcast(); }},
        {u"a.to r1"_qs, [&] { return a.socket->to(u"r1"_qs); }},
        {u"a.except r2"_qs, [&] { return a.socket->except(u"r2"_qs); }},
    };
    QVERIFY(selectors.contains(selector));
    const BroadcastOperator op = selectors.value(selector)();
    const QList<Peer *> peers{&a, &b, &c, &d};

    QStringList expectedIds;
    for (QChar letter : expected)
        expectedIds.append(peers.at(letter.unicode() - 'a')->socket->id());
    std::sort(expectedIds.begin(), expectedIds.end());
    QCOMPARE(ids(op.localSockets()), expectedIds);

    QSignalSpy announced(nsp->adapter(), &Adapter::eventBroadcast);
    const quint64 outBefore = io->counters().eventsOut;
    op.emitEvent(QStringLiteral("x"), {1});
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(0).toString(), u"x"_qs);
    QCOMPARE(announced.at(0).at(1).value<QCborArray>(), QCborArray{1});
    QCOMPARE(announced.at(0).at(3).toInt(), int(expected.size()));
    QCOMPARE(io->counters().eventsOut - outBefore, quint64(expected.size()));
    nsp->emitEvent(QStringLiteral("marker"));
    for (int i = 0; i < 4; ++i) {
        const bool hit = expected.contains(QChar(u'a' + i));
        if (hit)
            QCOMPARE(peers.at(i)->client.nextText(), QByteArray(R"(42["x",1])"));
        QCOMPARE(peers.at(i)->client.nextText(), QByteArray(R"(42["marker"])"));
    }
}

void tst_BroadcastOperator::sameBytesForEveryRecipient_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QCborArray>("args");
    QTest::addColumn<QList<Message>>("expected");

    const QByteArray b1("\x00\x01", 2);
    const QByteArray b2("\xff\x1e\x00", 3);
    QTest::newRow("text") << QByteArray("/") << QCborArray{1, u"é\x1e"_qs, QCborMap{{u"k"_qs, true}}}
                          << QList<Message>{{false, "42[\"ev\",1,\"\xc3\xa9\\u001e\",{\"k\":true}]"}};
    QTest::newRow("binary") << QByteArray("/") << QCborArray{b1, QCborMap{{u"n"_qs, QCborArray{b2}}}}
                            << QList<Message>{{false, R"(452-["ev",{"_placeholder":true,"num":0},{"n":[{"_placeholder":true,"num":1}]}])"},
                                              {true, b1},
                                              {true, b2}};
    QTest::newRow("namespace, binary") << QByteArray("/admin") << QCborArray{QByteArray()}
                                       << QList<Message>{{false, R"(451-/admin,["ev",{"_placeholder":true,"num":0}])"}, {true, {}}};
}

void tst_BroadcastOperator::sameBytesForEveryRecipient()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QCborArray, args);
    QFETCH(QList<Message>, expected);

    auto io = startServer();
    QVERIFY(io);
    Namespace *ns = io->existingNamespace(QString::fromUtf8(nsp));
    Peer a(io.get(), nsp), b(io.get(), nsp), c(io.get(), nsp), outsider(io.get(), nsp);
    for (Peer *p : {&a, &b, &c})
        p->socket->join(QStringLiteral("r"));
    QVERIFY(outsider.socket);

    ns->to(QStringLiteral("r")).emitEvent(QStringLiteral("ev"), args);
    QList<QList<Message>> received;
    for (Peer *p : {&a, &b, &c}) {
        QList<Message> frames;
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const std::optional<Message> m = p->client.next();
            QVERIFY(m);
            frames.append(*m);
        }
        received.append(frames);
    }
    QCOMPARE(received.at(0), expected);
    QCOMPARE(received.at(1), received.at(0));
    QCOMPARE(received.at(2), received.at(0));
    ns->emitEvent(QStringLiteral("marker"));
    QCOMPARE(outsider.client.nextText(), QByteArray(nsp == "/" ? QByteArray(R"(42["marker"])")
                                                                 : QByteArray("42" + nsp + R"(,["marker"])")));
}

// A volatile broadcast goes to a WebSocket peer, not to a polling peer without a pending GET;
// a regular broadcast reaches both.
void tst_BroadcastOperator::volatileSkipsPeersThatCannotTakeIt()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Peer ws(io.get());
    QVERIFY(ws.socket);
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    PollingClient polling(io->serverPort());
    QVERIFY(polling.handshake());
    QVERIFY(polling.post("40"));
    QVERIFY(polling.get().startsWith("40{"));
    QCOMPARE(connected.size(), 1);
    Socket *pollingSocket = connected.at(0).at(0).value<Socket *>();
    QVERIFY(!pollingSocket->conn()->transport()->isWritable());

    QSignalSpy announced(nsp->adapter(), &Adapter::eventBroadcast);
    nsp->asVolatile().emitEvent(QStringLiteral("v"), {1});
    nsp->emitEvent(QStringLiteral("n"), {2});
    QCOMPARE(ws.client.nextText(), QByteArray(R"(42["v",1])"));
    QCOMPARE(ws.client.nextText(), QByteArray(R"(42["n",2])"));
    QCOMPARE(polling.get(), QByteArray(R"(42["n",2])"));
    QCOMPARE(announced.size(), 2);
    QVERIFY(announced.at(0).at(2).value<BroadcastOptions>().flags.isVolatile);
}

void tst_BroadcastOperator::emitWithAck_data()
{
    QTest::addColumn<int>("recipients");  // sockets in room "r" (of three)
    QTest::addColumn<QStringList>("answers"); // per recipient: text args, "binary", or "" (silent)
    QTest::addColumn<int>("timeout");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("responses");

    QTest::newRow("all answer") << 3 << QStringList{u"[1]"_qs, u"[\"b\"]"_qs, u"[]"_qs} << 2000 << true << 3;
    QTest::newRow("binary answer") << 2 << QStringList{u"binary"_qs, u"[null]"_qs} << 2000 << true << 2;
    QTest::newRow("one recipient") << 1 << QStringList{u"[{\"a\":1}]"_qs} << 2000 << true << 1;
    QTest::newRow("no recipient") << 0 << QStringList{} << 2000 << true << 0;
    QTest::newRow("silent recipient") << 1 << QStringList{QString()} << 20 << false << 0;
    QTest::newRow("all silent") << 3 << QStringList{QString(), QString(), QString()} << 20 << false << 0;
}

void tst_BroadcastOperator::emitWithAck()
{
    QFETCH(int, recipients);
    QFETCH(QStringList, answers);
    QFETCH(int, timeout);
    QFETCH(bool, ok);
    QFETCH(int, responses);

    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Peer peers[3]{Peer(io.get()), Peer(io.get()), Peer(io.get())};
    for (int i = 0; i < recipients; ++i)
        peers[i].socket->join(QStringLiteral("r"));

    QList<BroadcastAckResult> results;
    nsp->to(QStringLiteral("r")).timeout(timeout).emitWithAck(QStringLiteral("q"), {u"?"_qs},
                                                             [&](const BroadcastAckResult &r) { results.append(r); });
    if (recipients == 0) {
        QCOMPARE(results.size(), 1); // at once
    } else {
        QByteArray first;
        QMap<QString, QCborArray> expected;
        for (int i = 0; i < recipients; ++i) {
            const QByteArray frame = peers[i].client.nextText();
            if (i == 0)
                first = frame;
            QCOMPARE(frame, first); // the same packet, same ack id, for everyone
            const QRegularExpressionMatch m = QRegularExpression(QStringLiteral(R"(^42(\d+)\["q","\?"\]$)"))
                                                  .match(QString::fromUtf8(frame));
            QVERIFY2(m.hasMatch(), frame.constData());
            const QByteArray id = m.captured(1).toLatin1();
            const QString answer = answers.at(i);
            if (answer.isEmpty())
                continue;
            if (answer == u"binary") {
                peers[i].client.send("461-" + id + R"([{"_placeholder":true,"num":0}])");
                peers[i].client.sendBinary("\x07");
                expected.insert(peers[i].socket->id(), QCborArray{QByteArray("\x07")});
            } else {
                peers[i].client.send("43" + id + answer.toUtf8());
                expected.insert(peers[i].socket->id(), QCborArray::fromJsonArray(QJsonDocument::fromJson(answer.toUtf8()).array()));
            }
        }
        QTRY_COMPARE(results.size(), 1);
        QList<AckResponse> got = results.first().responses;
        std::sort(got.begin(), got.end(), [](const AckResponse &x, const AckResponse &y) { return x.socketId < y.socketId; });
        QCOMPARE(got.size(), expected.size());
        int i = 0;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it, ++i) {
            QCOMPARE(got.at(i).socketId, it.key());
            QCOMPARE(got.at(i).args, it.value());
        }
    }
    QCOMPARE(results.first().ok, ok);
    QCOMPARE(results.first().error, ok ? QString() : u"operation has timed out"_qs);
    QCOMPARE(int(results.first().responses.size()), responses);
    // The non-recipient was not asked.
    nsp->emitEvent(QStringLiteral("marker"));
    QCOMPARE(peers[2].client.nextText(), QByteArray(R"(42["marker"])"));
    QVERIFY(peers[2].client.queue.isEmpty());
    QCOMPARE(results.size(), 1); // once
}

// Node keeps waiting for the timeout when a recipient leaves without answering, then reports
// the replies received. Here the state (callback + timer) is owned only by the per-socket ack
// callbacks: once those are gone (answered, failed by the disconnect), it is freed with its
// timer and the callback never runs.
void tst_BroadcastOperator::emitWithAckRecipientDisconnects()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Peer answering(io.get()), leaving(io.get());
    answering.socket->join(QStringLiteral("r"));
    leaving.socket->join(QStringLiteral("r"));
    const QString answeringId = answering.socket->id();

    QList<BroadcastAckResult> results;
    nsp->to(QStringLiteral("r")).timeout(200).emitWithAck(QStringLiteral("q"), {},
                                                         [&](const BroadcastAckResult &r) { results.append(r); });
    const QByteArray frame = answering.client.nextText();
    QCOMPARE(leaving.client.nextText(), frame);
    const QByteArray id = frame.mid(2, frame.indexOf('[') - 2);
    answering.client.send("43" + id + "[1]");
    QTRY_VERIFY(nsp->socket(answeringId)); // still there; its reply is in
    leaving.client.send("41");
    QTRY_VERIFY(!leaving.socket);

    (void)QTest::qWaitFor([&] { return !results.isEmpty(); }, 1000); // the timeout is 200 ms
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().ok, false);
    QCOMPARE(results.first().error, u"operation has timed out"_qs);
    QCOMPARE(results.first().responses.size(), 1);
    QCOMPARE(results.first().responses.first().socketId, answeringId);
}

// A broadcast keeps one timer for all its recipients; a reply after it has fired changes
// nothing, and the recipients' expired entries go at their next acknowledgement.
void tst_BroadcastOperator::lateAnswersAreIgnoredAndForgotten()
{
    auto io = startServer();
    QVERIFY(io);
    Namespace *nsp = io->mainNamespace();
    Peer peer(io.get());
    QList<BroadcastAckResult> results;
    nsp->timeout(50).emitWithAck(QStringLiteral("q"), {}, [&](const BroadcastAckResult &r) { results.append(r); });
    const QByteArray frame = peer.client.nextText();
    const QByteArray id = frame.mid(2, frame.indexOf('[') - 2);
    QCOMPARE(peer.socket->pendingAckCount(), 1);
    QTRY_COMPARE(results.size(), 1);
    QCOMPARE(results.first().ok, false);

    peer.client.send("43" + id + "[\"late\"]");
    QTRY_COMPARE(peer.socket->pendingAckCount(), 0); // read and dropped
    QCOMPARE(results.size(), 1);

    // Unanswered entries do not pile up: an expired one is dropped when the next is added.
    nsp->timeout(50).emitWithAck(QStringLiteral("q"), {}, [&](const BroadcastAckResult &r) { results.append(r); });
    QVERIFY(!peer.client.nextText().isEmpty());
    QTRY_COMPARE(results.size(), 2);
    nsp->timeout(5000).emitWithAck(QStringLiteral("q"), {}, [&](const BroadcastAckResult &r) { results.append(r); });
    QCOMPARE(peer.socket->pendingAckCount(), 1);
}

QTEST_MAIN(tst_BroadcastOperator)
#include "tst_broadcastoperator.moc"
