#pragma once

#include <monitor/monitortypes.h>

#include <QtWidgets/QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace Plugboard {

class ConnectionsModel;
class ConsoleActions;
class EventFilterProxy;
class EventLogModel;

// Everything about one socket: identity, handshake headers and query, the auth payload
// (secrets already masked by the monitor), socket.data, rooms, and a timeline of its events
// from the event log. Follows the socket's changes; says so when it disconnects.
class SocketDetailsPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketDetailsPanel)

public:
    SocketDetailsPanel(ConnectionsModel *connections, EventLogModel *events, ConsoleActions *actions,
                       QWidget *parent = nullptr);

    QString socketKey() const { return m_key; }
    void showSocket(const QString &key);
    bool isConnected() const { return m_connected; }
    QTableView *timeline() const { return m_timeline; }

private:
    void refresh();
    void setInfo(const SocketInfo &info);
    void markDisconnected();

    ConnectionsModel *m_connections;
    ConsoleActions *m_actions;
    QString m_key;
    SocketInfo m_info;
    bool m_connected = false;
    QLabel *m_title;
    QLabel *m_summary;
    QTreeWidget *m_handshake;
    QListWidget *m_rooms;
    EventFilterProxy *m_timelineProxy;
    QTableView *m_timeline;
    QPushButton *m_emit;
    QPushButton *m_leave;
    QPushButton *m_disconnect;
    QPushButton *m_close;
};

} // namespace Plugboard
