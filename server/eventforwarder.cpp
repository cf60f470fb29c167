#include "eventforwarder.h"

#include <QtCore/QCborValue>
#include <QtCore/QJsonArray>
#include <protocol/jsoncodec.h>

#include <QtCore/QCborMap>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <memory>

namespace Plugboard {

EventForwarder::EventForwarder(const ForwardConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{
}

EventForwarder::~EventForwarder() = default;

QCborArray EventForwarder::failure(const QString &message)
{
    QCborMap answer;
    answer.insert(QStringLiteral("ok"), false);
    answer.insert(QStringLiteral("error"), message);
    return {answer};
}

void EventForwarder::finish(const Reply &reply, const QString &outcome, const QCborArray &args)
{
    if (m_observer)
        m_observer(outcome);
    if (reply)
        reply(args);
}

void EventForwarder::forward(const Event &event, Reply reply)
{
    if (m_pending >= m_config.maxConcurrent) {
        finish(reply, QStringLiteral("busy"),
               failure(QStringLiteral("backend busy: %1 events already waiting for it").arg(m_pending)));
        return;
    }
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    // Written with the project's JSON writer: keys keep the order the client sent.
    QCborMap body;
    body.insert(QStringLiteral("namespace"), event.nsp);
    body.insert(QStringLiteral("socketId"), event.socketId);
    body.insert(QStringLiteral("event"), event.name);
    body.insert(QStringLiteral("args"), event.args);
    body.insert(QStringLiteral("data"), event.data);

    QNetworkRequest request(m_config.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &header : std::as_const(m_config.headers))
        request.setRawHeader(header.first, header.second);
    QNetworkReply *network = m_network->post(request, Json::write(body));
    ++m_pending;

    struct State
    {
        bool timedOut = false;
        bool tooLarge = false;
    };
    auto state = std::make_shared<State>();
    auto *timer = new QTimer(network);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, network, [network, state] {
        state->timedOut = true;
        network->abort();
    });
    timer->start(m_config.timeoutMs);
    connect(network, &QNetworkReply::downloadProgress, network, [this, network, state](qint64 received, qint64) {
        if (received > m_config.maxResponseBytes && !state->tooLarge) {
            state->tooLarge = true;
            network->abort();
        }
    });
    connect(network, &QNetworkReply::finished, this, [this, network, state, reply] {
        network->deleteLater();
        --m_pending;
        if (state->timedOut) {
            finish(reply, QStringLiteral("timeout"),
                   failure(QStringLiteral("backend did not answer within %1 ms").arg(m_config.timeoutMs)));
            return;
        }
        if (state->tooLarge) {
            finish(reply, QStringLiteral("error"),
                   failure(QStringLiteral("backend reply larger than %1 bytes").arg(m_config.maxResponseBytes)));
            return;
        }
        const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            finish(reply, QStringLiteral("error"),
                   failure(QStringLiteral("backend unreachable: %1").arg(network->errorString())));
            return;
        }
        if (status < 200 || status >= 300) {
            finish(reply, QStringLiteral("error"), failure(QStringLiteral("backend answered HTTP %1").arg(status)));
            return;
        }
        const QByteArray content = network->readAll();
        if (content.trimmed().isEmpty()) {
            finish(reply, QStringLiteral("ok"), {});
            return;
        }
        // Wrapped in an array so that a bare string or number is a valid reply too.
        const Json::ParseResult parsed = Json::parse(QByteArray('[' + content + ']'));
        if (!parsed.ok || parsed.value.toArray().size() != 1) {
            finish(reply, QStringLiteral("error"), failure(QStringLiteral("backend reply is not JSON")));
            return;
        }
        finish(reply, QStringLiteral("ok"), {parsed.value.toArray().first()});
    });
}

} // namespace Plugboard
