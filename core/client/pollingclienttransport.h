#pragma once

#include "../http/httpresponseparser.h"
#include "enginetransport.h"

#include <functional>

namespace Plugboard::Io {

class HttpClientConnection;

// HTTP long-polling: one connection for the GET that waits for packets, one for POSTs.
class PollingClientTransport : public EngineTransport
{
    Q_OBJECT

public:
    PollingClientTransport(const TransportContext &context, QObject *parent);

    QString name() const override { return QStringLiteral("polling"); }
    void open() override;
    void send(const QList<EngineIO::Packet> &packets) override;
    void pause(std::function<void()> onPaused) override;
    void closeAndDelete() override;

private:
    enum class State { Closed, Opening, Open, Pausing, Paused };
    void poll();
    void onPollResponse(const HttpResponseHead &response);
    void onPostResponse(const HttpResponseHead &response);
    void checkPaused();
    void post(const QList<EngineIO::Packet> &packets);
    void sendClosePacket();
    QByteArray target(const QUrl &url) const;

    State m_state = State::Closed;
    HttpClientConnection *m_get;
    HttpClientConnection *m_post;
    bool m_polling = false;
    bool m_closing = false;
    std::function<void()> m_onPaused;
};

} // namespace Plugboard::Io
