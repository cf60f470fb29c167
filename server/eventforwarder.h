#pragma once

#include "serviceconfig.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QObject>

#include <functional>

class QNetworkAccessManager;

namespace Plugboard {

// POSTs client events of one namespace to its backend as JSON:
//     {"namespace", "socketId", "event", "args", "data"}
// The backend's JSON reply becomes the acknowledgement; a timeout, an HTTP error, an
// unreachable backend or too many requests in flight become {"ok":false,"error":"..."}.
class EventForwarder : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventForwarder)

public:
    struct Event
    {
        QString nsp;
        QString socketId;
        QString name;
        QCborArray args;
        QCborMap data;
    };
    // Runs once with the acknowledgement's arguments.
    using Reply = std::function<void(const QCborArray &ackArgs)>;
    // outcome: ok, error, timeout, busy
    using OutcomeObserver = std::function<void(const QString &outcome)>;

    EventForwarder(const ForwardConfig &config, QObject *parent = nullptr);
    ~EventForwarder() override;

    void setOutcomeObserver(OutcomeObserver observer) { m_observer = std::move(observer); }
    void forward(const Event &event, Reply reply);
    int pending() const { return m_pending; }

    static QCborArray failure(const QString &message);

private:
    void finish(const Reply &reply, const QString &outcome, const QCborArray &args);

    ForwardConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // created on first use, in the current thread
    OutcomeObserver m_observer;
    int m_pending = 0;
};

} // namespace Plugboard
