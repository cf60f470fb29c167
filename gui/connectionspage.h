#pragma once

#include "consoleactions.h"

#include <QtWidgets/QWidget>

class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace Plugboard {

class ConnectionsModel;
class RoomsModel;

// The Connections table: every socket, sortable, with a filter box over every column
// (including socket.data columns), and the actions on the selected sockets: join or leave a
// room, emit, disconnect, close the connection.
class ConnectionsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsPage)

public:
    ConnectionsPage(ConnectionsModel *model, RoomsModel *rooms, ConsoleActions *actions, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QList<SocketRef> selectedSockets() const;
    void selectSocket(const QString &key);
    void selectSockets(const QStringList &keys);

private:
    void updateActions();
    void joinSelected();
    void leaveSelected();

    ConnectionsModel *m_model;
    ConsoleActions *m_actions;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLineEdit *m_room;
    QAction *m_join;
    QAction *m_leave;
    QAction *m_emit;
    QAction *m_disconnect;
    QAction *m_close;
    QAction *m_details;
};

} // namespace Plugboard
