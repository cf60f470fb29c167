// ServerControl: operator actions carried out through the server's API and answered with
// finished(ControlResult): emits (with acknowledgements), disconnects, joins and leaves, with
// their error cases; driven against raw clients on 127.0.0.1.

#include "rawclient.h"

#include <monitor/servercontrol.h>
#include <sio/namespace.h>
#include <sio/server.h>
#include <sio/socket.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Plugboard;
using namespace SioTest;

namespace {

// A server with three clients on "/": a and b in room "r", c alone.
struct Fixture
{
    Fixture() : io(std::make_unique<Server>())
    {
        if (!io->listen(QHostAddress::LocalHost, 0))
            return;
        for (auto &client : clients) {
            client = std::make_unique<RawClient>(io->serverPort());
            if (!client->open())
                return;
            const QString id = client->connect();
            if (id.isEmpty())
                return;
            ids.append(id);
        }
        nsp()->socket(ids.at(0))->join(QStringLiteral("r"));
        nsp()->socket(ids.at(1))->join(QStringLiteral("r"));
        ready = true;
    }
    Namespace *nsp() const { return io->mainNamespace(); }
    RawClient &client(int i) { return *clients[i]; }
    // The letters of the clients whose socket ids are listed.
    QString letters(const QStringList &socketIds) const
    {
        QString out;
        for (int i = 0; i < 3; ++i) {
            if (socketIds.contains(ids.at(i)))
                out += QChar(u'a' + i);
        }
        return out;
    }

    std::unique_ptr<Server> io;
    std::unique_ptr<RawClient> clients[3];
    QStringList ids;
    bool ready = false;
};

ControlResult waitResult(QSignalSpy &spy, quint64 id)
{
    if (!QTest::qWaitFor([&] { return !spy.isEmpty(); }, WaitMs))
        return {};
    const ControlResult result = spy.takeFirst().at(0).value<ControlResult>();
    return result.requestId == id ? result : ControlResult{};
}

} // namespace

class tst_ServerControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void emitEvent_data();
    void emitEvent();
    void emitWithAck_data();
    void emitWithAck();
    void disconnectRoom_data();
    void disconnectRoom();
    void disconnectSocket_data();
    void disconnectSocket();
    void joinAndLeave();
    void fromAnotherThread();
};

void tst_ServerControl::initTestCase()
{
    qRegisterMetaType<Plugboard::ControlResult>();
}

void tst_ServerControl::emitEvent_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<int>("target");
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QString>("sockets"); // letters
    QTest::addColumn<QString>("event");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("recipients"); // letters

    const int ns = int(EmitRequest::Target::Namespace), rooms = int(EmitRequest::Target::Rooms),
              sockets = int(EmitRequest::Target::Sockets);
    QTest::newRow("namespace") << u"/"_qs << ns << QStringList() << QString() << u"ev"_qs << true << u"sent to 3 socket(s)"_qs << u"abc"_qs;
    QTest::newRow("room") << u"/"_qs << rooms << QStringList{u"r"_qs} << QString() << u"ev"_qs << true << u"sent to 2 socket(s)"_qs << u"ab"_qs;
    QTest::newRow("rooms, one empty") << u"/"_qs << rooms << QStringList{u"r"_qs, u"none"_qs} << QString() << u"ev"_qs << true
                                      << u"sent to 2 socket(s)"_qs << u"ab"_qs;
    QTest::newRow("sockets") << u"/"_qs << sockets << QStringList() << u"ac"_qs << u"ev"_qs << true << u"sent to 2 socket(s)"_qs << u"ac"_qs;
    QTest::newRow("empty room") << u"/"_qs << rooms << QStringList{u"none"_qs} << QString() << u"ev"_qs << true
                                << u"sent to 0 socket(s)"_qs << QString();

    QTest::newRow("unknown namespace") << u"/nope"_qs << ns << QStringList() << QString() << u"ev"_qs << false
                                       << u"unknown namespace /nope"_qs << QString();
    QTest::newRow("no event name") << u"/"_qs << ns << QStringList() << QString() << QString() << false
                                   << u"the event name is empty"_qs << QString();
    QTest::newRow("no room chosen") << u"/"_qs << rooms << QStringList() << QString() << u"ev"_qs << false << u"no room chosen"_qs << QString();
    QTest::newRow("no socket chosen") << u"/"_qs << sockets << QStringList() << QString() << u"ev"_qs << false
                                      << u"no socket chosen"_qs << QString();
}

void tst_ServerControl::emitEvent()
{
    QFETCH(QString, nsp);
    QFETCH(int, target);
    QFETCH(QStringList, rooms);
    QFETCH(QString, sockets);
    QFETCH(QString, event);
    QFETCH(bool, ok);
    QFETCH(QString, message);
    QFETCH(QString, recipients);

    Fixture f;
    QVERIFY(f.ready);
    ServerControl control(f.io.get());
    QSignalSpy finished(&control, &ServerControl::finished);
    EmitRequest request;
    request.nsp = nsp;
    request.target = EmitRequest::Target(target);
    request.rooms = rooms;
    for (QChar letter : sockets)
        request.socketIds.append(f.ids.at(letter.unicode() - 'a'));
    request.event = event;
    request.args = {1, u"x"_qs};

    const quint64 id = control.emitEvent(request);
    QCOMPARE(finished.size(), 0); // always answered later, from the event loop
    const ControlResult result = waitResult(finished, id);
    QCOMPARE(result.requestId, id);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.message, message);
    QCOMPARE(result.recipients, int(recipients.size()));
    QVERIFY(!result.timedOut);
    QVERIFY(result.responses.isEmpty());

    f.nsp()->emitEvent(QStringLiteral("marker"));
    for (int i = 0; i < 3; ++i) {
        if (recipients.contains(QChar(u'a' + i)))
            QCOMPARE(f.client(i).nextText(), QByteArray(R"(42["ev",1,"x"])"));
        QCOMPARE(f.client(i).nextText(), QByteArray(R"(42["marker"])"));
    }
}

void tst_ServerControl::emitWithAck_data()
{
    QTest::addColumn<QString>("sockets"); // targets
    QTest::addColumn<QString>("answering");
    QTest::addColumn<int>("timeout");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");

    QTest::newRow("all answer") << u"abc"_qs << u"abc"_qs << 2000 << true << u"3 of 3 replied"_qs;
    QTest::newRow("one target") << u"b"_qs << u"b"_qs << 2000 << true << u"1 of 1 replied"_qs;
    // 20 ms: see tst_BroadcastOperator::emitWithAck (the broadcast's own timer fires first).
    QTest::newRow("silent target") << u"c"_qs << QString() << 20 << false << u"timed out: 0 of 1 replied"_qs;
}

void tst_ServerControl::emitWithAck()
{
    QFETCH(QString, sockets);
    QFETCH(QString, answering);
    QFETCH(int, timeout);
    QFETCH(bool, ok);
    QFETCH(QString, message);

    Fixture f;
    QVERIFY(f.ready);
    ServerControl control(f.io.get());
    QSignalSpy finished(&control, &ServerControl::finished);
    EmitRequest request;
    request.target = EmitRequest::Target::Sockets;
    for (QChar letter : sockets)
        request.socketIds.append(f.ids.at(letter.unicode() - 'a'));
    request.event = QStringLiteral("question");
    request.args = {u"?"_qs};
    request.ackTimeoutMs = timeout;
    const quint64 id = control.emitEvent(request);

    QStringList expectedIds;
    for (QChar letter : sockets) {
        const int i = letter.unicode() - 'a';
        const QByteArray frame = f.client(i).nextText();
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral(R"(^42(\d+)\["question","\?"\]$)")).match(QString::fromUtf8(frame));
        QVERIFY2(m.hasMatch(), frame.constData());
        if (answering.contains(letter)) {
            f.client(i).send("43" + m.captured(1).toLatin1() + "[\"" + QByteArray(1, char(letter.unicode())) + "\"]");
            expectedIds.append(f.ids.at(i));
        }
    }
    const ControlResult result = waitResult(finished, id);
    QCOMPARE(result.requestId, id);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.timedOut, !ok);
    QCOMPARE(result.message, message);
    QCOMPARE(result.recipients, int(sockets.size()));
    QList<AckResponse> responses = result.responses;
    std::sort(responses.begin(), responses.end(), [](const AckResponse &x, const AckResponse &y) { return x.socketId < y.socketId; });
    std::sort(expectedIds.begin(), expectedIds.end());
    QCOMPARE(responses.size(), expectedIds.size());
    for (qsizetype i = 0; i < responses.size(); ++i) {
        QCOMPARE(responses.at(i).socketId, expectedIds.at(i));
        QCOMPARE(responses.at(i).args, QCborArray{QString(f.letters({expectedIds.at(i)}))});
    }
}

void tst_ServerControl::disconnectRoom_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("room");
    QTest::addColumn<bool>("close");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("hit");

    QTest::newRow("room") << u"/"_qs << u"r"_qs << false << true << u"2 socket(s) disconnected"_qs << u"ab"_qs;
    QTest::newRow("room, close") << u"/"_qs << u"r"_qs << true << true << u"2 socket(s) disconnected"_qs << u"ab"_qs;
    QTest::newRow("a socket's own room") << u"/"_qs << u"#c"_qs << false << true << u"1 socket(s) disconnected"_qs << u"c"_qs;
    QTest::newRow("empty room") << u"/"_qs << u"none"_qs << false << true << u"0 socket(s) disconnected"_qs << QString();
    QTest::newRow("unknown namespace") << u"/nope"_qs << u"r"_qs << false << false << u"unknown namespace /nope"_qs << QString();
    QTest::newRow("no room") << u"/"_qs << QString() << true << false << u"no socket or room chosen"_qs << QString();
}

void tst_ServerControl::disconnectRoom()
{
    QFETCH(QString, nsp);
    QFETCH(QString, room);
    QFETCH(bool, close);
    QFETCH(bool, ok);
    QFETCH(QString, message);
    QFETCH(QString, hit);

    Fixture f;
    QVERIFY(f.ready);
    if (room == u"#c")
        room = f.ids.at(2);
    QList<std::shared_ptr<QSignalSpy>> spies;
    for (const QString &id : std::as_const(f.ids))
        spies.append(std::make_shared<QSignalSpy>(f.nsp()->socket(id), &Socket::disconnected));
    ServerControl control(f.io.get());
    QSignalSpy finished(&control, &ServerControl::finished);
    const quint64 id = control.disconnectRoom(nsp, room, close);
    const ControlResult result = waitResult(finished, id);
    QCOMPARE(result.requestId, id);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.message, message);
    QCOMPARE(result.recipients, int(hit.size()));

    for (int i = 0; i < 3; ++i) {
        if (hit.contains(QChar(u'a' + i))) {
            QCOMPARE(f.client(i).nextText(), QByteArray("41"));
            QTRY_COMPARE(spies.at(i)->size(), 1);
            QCOMPARE(spies.at(i)->at(0).at(0).toString(), u"server namespace disconnect"_qs);
            QCOMPARE(f.client(i).waitClosed(close ? WaitMs : 0), close);
        } else {
            QCOMPARE(spies.at(i)->size(), 0);
            QVERIFY(!f.client(i).isClosed());
        }
    }
    QCOMPARE(f.nsp()->sockets().size(), 3 - hit.size());
}

void tst_ServerControl::disconnectSocket_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<bool>("known");
    QTest::addColumn<bool>("close");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");

    QTest::newRow("socket") << u"/"_qs << true << false << true << u"socket disconnected"_qs;
    QTest::newRow("socket, close") << u"/"_qs << true << true << true << u"connection closed"_qs;
    QTest::newRow("unknown socket") << u"/"_qs << false << false << false << u"no socket nope in /"_qs;
    QTest::newRow("unknown namespace") << u"/x"_qs << true << false << false << u"no socket #b in /x"_qs;
}

void tst_ServerControl::disconnectSocket()
{
    QFETCH(QString, nsp);
    QFETCH(bool, known);
    QFETCH(bool, close);
    QFETCH(bool, ok);
    QFETCH(QString, message);

    Fixture f;
    QVERIFY(f.ready);
    const QString target = known ? f.ids.at(1) : u"nope"_qs;
    message.replace(u"#b"_qs, f.ids.at(1));
    ServerControl control(f.io.get());
    QSignalSpy finished(&control, &ServerControl::finished);
    const quint64 id = control.disconnectSocket(nsp, target, close);
    const ControlResult result = waitResult(finished, id);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.message, message);
    QCOMPARE(result.recipients, ok ? 1 : 0);
    if (ok) {
        QCOMPARE(f.client(1).nextText(), QByteArray("41"));
        QCOMPARE(f.client(1).waitClosed(close ? WaitMs : 0), close);
        QTRY_COMPARE(f.nsp()->sockets().size(), 2);
    } else {
        QCOMPARE(f.nsp()->sockets().size(), 3);
    }
    QVERIFY(!f.client(0).isClosed() && !f.client(2).isClosed());
}

void tst_ServerControl::joinAndLeave()
{
    Fixture f;
    QVERIFY(f.ready);
    ServerControl control(f.io.get());
    QSignalSpy finished(&control, &ServerControl::finished);
    const QString a = f.ids.at(0), c = f.ids.at(2);

    quint64 id = control.joinRoom(u"/"_qs, {a, c, u"unknown"_qs}, u"vip"_qs);
    ControlResult result = waitResult(finished, id);
    QVERIFY(result.ok);
    QCOMPARE(result.recipients, 2);
    QCOMPARE(result.message, u"2 socket(s) joined"_qs);
    QStringList members;
    for (const Socket *s : f.nsp()->to(u"vip"_qs).localSockets())
        members.append(s->id());
    QCOMPARE(f.letters(members), u"ac"_qs);

    id = control.leaveRoom(u"/"_qs, {a}, u"vip"_qs);
    result = waitResult(finished, id);
    QVERIFY(result.ok);
    QCOMPARE(result.recipients, 1);
    QCOMPARE(result.message, u"1 socket(s) left"_qs);
    QCOMPARE(f.nsp()->socket(a)->rooms(), (QSet<QString>{a, u"r"_qs}));
    QVERIFY(f.nsp()->socket(c)->rooms().contains(u"vip"_qs));

    // Error cases.
    const struct { QString nsp; QStringList ids; QString room; QString message; } bad[] = {
        {u"/nope"_qs, {a}, u"vip"_qs, u"unknown namespace /nope"_qs},
        {u"/"_qs, {}, u"vip"_qs, u"no socket or room chosen"_qs},
        {u"/"_qs, {a}, QString(), u"the room name is empty"_qs},
    };
    for (const auto &b : bad) {
        result = waitResult(finished, control.joinRoom(b.nsp, b.ids, b.room));
        QVERIFY(!result.ok);
        QCOMPARE(result.message, b.message);
        result = waitResult(finished, control.leaveRoom(b.nsp, b.ids, b.room));
        QVERIFY(!result.ok);
        QCOMPARE(result.message, b.message);
    }
    // A selection of the whole namespace is explicit; an empty room list selects nobody.
    result = waitResult(finished, control.joinRoom(SocketSelection::everyone(u"/"_qs), u"all"_qs));
    QVERIFY(result.ok);
    QCOMPARE(f.nsp()->socket(a)->rooms().contains(u"all"_qs), true);
    result = waitResult(finished, control.leaveRoom(SocketSelection::inRooms(u"/"_qs, {}), u"all"_qs));
    QVERIFY(!result.ok);
    result = waitResult(finished, control.leaveRoom(SocketSelection::inRooms(u"/"_qs, {u"all"_qs}), u"all"_qs));
    QVERIFY(result.ok);
    QCOMPARE(f.nsp()->socket(a)->rooms(), (QSet<QString>{a, u"r"_qs}));
}

// Requests may come from any thread; they run (and are answered) in the server's thread.
void tst_ServerControl::fromAnotherThread()
{
    Fixture f;
    QVERIFY(f.ready);
    ServerControl control(f.io.get());
    QThread *resultThread = nullptr;
    QList<ControlResult> results;
    QObject::connect(&control, &ServerControl::finished, this, [&](const ControlResult &r) {
        resultThread = QThread::currentThread();
        results.append(r);
    });
    quint64 id = 0;
    std::unique_ptr<QThread> caller(QThread::create([&] {
        EmitRequest request;
        request.target = EmitRequest::Target::Rooms;
        request.rooms = {u"r"_qs};
        request.event = QStringLiteral("from-thread");
        id = control.emitEvent(request);
    }));
    caller->start();
    QVERIFY(caller->wait(WaitMs));
    QCOMPARE(f.client(0).nextText(), QByteArray(R"(42["from-thread"])"));
    QCOMPARE(f.client(1).nextText(), QByteArray(R"(42["from-thread"])"));
    QTRY_COMPARE(results.size(), 1);
    QCOMPARE(results.first().requestId, id);
    QCOMPARE(results.first().recipients, 2);
    QCOMPARE(resultThread, QThread::currentThread());
}

QTEST_MAIN(tst_ServerControl)
#include "tst_servercontrol.moc"
