#pragma once

#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace Plugboard {

class EventFilterProxy;
class EventLogModel;
class NamespacesModel;
class RoomsModel;

// The event log: filters, pause/resume with the count of what arrived meanwhile, clear,
// NDJSON export of what the filters show, and the selected record in full.
class EventLogPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogPage)

public:
    EventLogPage(EventLogModel *model, RoomsModel *rooms, NamespacesModel *namespaces, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    EventFilterProxy *proxy() const { return m_proxy; }
    // Writes the rows the filters show as NDJSON; false with a message on failure.
    bool exportTo(const QString &path, QString *error) const;

private:
    void updateStatus();
    void updateRoomMembers();
    void updateNamespaces();
    void showSelected();
    void exportWithDialog();

    EventLogModel *m_model;
    RoomsModel *m_rooms;
    NamespacesModel *m_namespaces;
    EventFilterProxy *m_proxy;
    QTableView *m_view;
    QComboBox *m_namespace;
    QLineEdit *m_socket;
    QLineEdit *m_room;
    QLineEdit *m_event;
    QComboBox *m_direction;
    QLineEdit *m_text;
    QPushButton *m_pause;
    QPushButton *m_clear;
    QPushButton *m_export;
    QLabel *m_status;
    QPlainTextEdit *m_detail;
    bool m_followTail = true;
    QTimer m_roomMembersRefresh;
};

} // namespace Plugboard
