#pragma once

#include "consoleactions.h"

#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QTableView;

namespace Plugboard {

class NamespacesModel;
class RoomFilterProxy;
class RoomsModel;

// Rooms per namespace with their member counts; the members of the selected room, and the
// room actions: emit to it, remove members, disconnect every member.
class RoomsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomsPage)

public:
    RoomsPage(RoomsModel *model, NamespacesModel *namespaces, ConsoleActions *actions, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    RoomFilterProxy *proxy() const { return m_proxy; }
    // Selects the room's row; false when it is not shown.
    bool selectRoom(const QString &nsp, const QString &room);

private:
    struct Current
    {
        QString nsp;
        QString name;
        QStringList members;
    };
    Current current() const;
    void refreshMembers();
    void updateNamespaces();

    RoomsModel *m_model;
    NamespacesModel *m_namespaces;
    ConsoleActions *m_actions;
    RoomFilterProxy *m_proxy;
    QTableView *m_view;
    QComboBox *m_namespace;
    QCheckBox *m_showPrivate;
    QLineEdit *m_filter;
    QListWidget *m_members;
    QAction *m_emit;
    QAction *m_remove;
    QAction *m_disconnect;
    QTimer m_membersRefresh;
};

} // namespace Plugboard
