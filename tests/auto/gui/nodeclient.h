#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QProcess>

#include <functional>

// A real socket.io-client in a node process (clients/client.js): every line it prints is a
// JSON object kept in messages(); commands go to its stdin.
class NodeClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeClient)

public:
    explicit NodeClient(QObject *parent = nullptr);
    ~NodeClient() override;

    static bool isAvailable(QString *why);

    void start(const QString &url, const QStringList &extraArguments = {});
    // Waits for "connect" and returns the socket id (empty on timeout or connect_error).
    QString waitForConnected(int timeoutMs = 10000);
    QString id() const { return m_id; }

    const QList<QJsonObject> &messages() const { return m_messages; }
    QList<QJsonObject> messagesOfType(const QString &type) const;
    QList<QJsonObject> events(const QString &name) const;
    // Waits until a message matches; returns it (empty object on timeout).
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 10000);
    QJsonObject waitForEvent(const QString &name, int timeoutMs = 10000);
    QString waitForDisconnect(int timeoutMs = 10000);
    bool isDisconnected() const { return !messagesOfType(QStringLiteral("disconnect")).isEmpty(); }

    void emitEvent(const QString &event, const QJsonArray &args = {});
    void setAckReply(const QJsonArray &args);
    void disconnectSocket();
    void stop();
    QString standardError() const { return QString::fromUtf8(m_stderr); }

Q_SIGNALS:
    void messageReceived(const QJsonObject &message);

private:
    void send(const QJsonObject &command);
    void readLines();

    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QList<QJsonObject> m_messages;
    QString m_id;
};
