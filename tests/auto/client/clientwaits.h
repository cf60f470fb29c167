#pragma once

#include "client/clientsocket.h"

#include <QtCore/QDeadlineTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

// Waits shared by the client tests, all on the event loop with a deadline.

// Emits with an acknowledgement and waits for it; the error says why when none came.
inline Plugboard::AckResult waitForAck(Plugboard::Io::Socket *socket, const QString &event, const QCborArray &args = {},
                                       int timeoutMs = 5000)
{
    QFuture<Plugboard::AckResult> future = socket->timeout(timeoutMs).emitWithAck(event, args);
    const QDeadlineTimer deadline(timeoutMs + 2000);
    while (!future.isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    if (!future.isFinished())
        return {false, QStringLiteral("no answer at all"), {}};
    return future.result();
}

inline bool waitConnected(Plugboard::Io::Socket *socket, int timeoutMs = 10000)
{
    if (socket->isConnected())
        return true;
    QSignalSpy spy(socket, &Plugboard::Io::Socket::connected);
    return spy.wait(timeoutMs) || socket->isConnected();
}
