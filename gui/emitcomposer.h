#pragma once

#include <monitor/servercontrol.h>

#include <QtCore/QHash>
#include <QtWidgets/QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QStackedWidget;
class QStringListModel;
class QTreeWidget;
class QTreeWidgetItem;

namespace Plugboard {

class ConnectionsModel;
class NamespacesModel;
class RoomFilterProxy;
class RoomsModel;
class ConsoleBackend;

// Emits an event as the server: to chosen sockets, a room or a whole namespace, always picked
// explicitly from the live lists. Arguments are a JSON array checked as you type; with "wait
// for acknowledgements" every client's reply is listed with its socket id.
class EmitComposer : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmitComposer)

public:
    enum TargetKind { SocketsTarget, RoomTarget, NamespaceTarget };
    Q_ENUM(TargetKind)
    // The results list keeps this many emits, newest first, with their replies; older emits
    // also go once the replies listed exceed MaxShownReplies.
    static constexpr int MaxShownEmits = 100;
    static constexpr int MaxShownReplies = 50000;

    EmitComposer(ConsoleBackend *runner, ConnectionsModel *connections, RoomsModel *rooms, NamespacesModel *namespaces,
                 QWidget *parent = nullptr);

    void setSocketTarget(const QString &nsp, const QStringList &socketIds);
    void setRoomTarget(const QString &nsp, const QString &room);
    void setNamespaceTarget(const QString &nsp);
    void addEventNames(const QStringList &names);

    // The request the form describes, or nothing (with why) when it is incomplete.
    std::optional<EmitRequest> request(QString *problem = nullptr) const;
    QTreeWidget *results() const { return m_results; }

public Q_SLOTS:
    void send();

Q_SIGNALS:
    void sent(quint64 ticket);
    void answered(quint64 ticket, const Plugboard::ControlResult &result);

private:
    struct Pending
    {
        QString description;
        QTreeWidgetItem *item = nullptr;
    };
    QString currentNamespace() const;
    void dropOldestEmit();
    // Drops the oldest emits (never `keep`) until at most maxReplies reply rows are listed.
    void dropOldestBeyond(int maxReplies, const QTreeWidgetItem *keep);
    void selectNamespace(const QString &nsp);
    void validate();
    void onFinished(quint64 ticket, const Plugboard::ControlResult &result);

    ConsoleBackend *m_runner;
    ConnectionsModel *m_connections;
    QSortFilterProxyModel *m_socketProxy;
    RoomFilterProxy *m_roomProxy;
    QComboBox *m_namespace;
    QComboBox *m_targetKind;
    QStackedWidget *m_targets;
    QListView *m_sockets;
    QComboBox *m_room;
    QLabel *m_namespaceNote;
    QLineEdit *m_event;
    QStringListModel *m_eventNames;
    QPlainTextEdit *m_arguments;
    QLabel *m_argumentsError;
    QCheckBox *m_ack;
    QSpinBox *m_ackTimeout;
    QPushButton *m_send;
    QLabel *m_status;
    QTreeWidget *m_results;
    QHash<quint64, Pending> m_pending;
};

} // namespace Plugboard
