#include "connectionspage.h"

#include "connectionsmodel.h"
#include "roomfilterproxy.h"
#include "roomsmodel.h"

#include <QtGui/QAction>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>
#include <QtCore/QSortFilterProxyModel>

namespace Plugboard {

ConnectionsPage::ConnectionsPage(ConnectionsModel *model, RoomsModel *rooms, ConsoleActions *actions, QWidget *parent)
    : QWidget(parent),
      m_model(model),
      m_actions(actions),
      m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_filter(new QLineEdit(this)),
      m_room(new QLineEdit(this))
{
    m_proxy->setObjectName(QStringLiteral("connectionsProxy"));
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ConnectionsModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(QStringLiteral("connectionsFilter"));
    m_filter->setPlaceholderText(tr("Filter by socket id, namespace, address, room or data…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("connectionsView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConnectionsModel::ConnectedColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultSectionSize(150);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    // Room names complete from the live public rooms.
    auto *roomNames = new RoomFilterProxy(this);
    roomNames->setSourceModel(rooms);
    auto *completer = new QCompleter(roomNames, this);
    completer->setCompletionColumn(RoomsModel::NameColumn);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_room->setCompleter(completer);
    m_room->setObjectName(QStringLiteral("connectionsRoom"));
    m_room->setPlaceholderText(tr("room"));
    m_room->setMaximumWidth(200);

    auto makeAction = [this](const QString &name, const QString &text, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setToolTip(tip);
        return action;
    };
    m_join = makeAction(QStringLiteral("joinRoomAction"), tr("Join"), tr("Make the selected sockets join the room"));
    m_leave = makeAction(QStringLiteral("leaveRoomAction"), tr("Leave"), tr("Make the selected sockets leave the room"));
    m_emit = makeAction(QStringLiteral("emitToSelectedAction"), tr("Emit…"), tr("Emit an event to the selected sockets"));
    m_details = makeAction(QStringLiteral("showDetailsAction"), tr("Details"), tr("Show the socket's details and timeline"));
    m_disconnect = makeAction(QStringLiteral("disconnectSocketAction"), tr("Disconnect"),
                              tr("Disconnect the selected sockets from their namespace (\"io server disconnect\")"));
    m_close = makeAction(QStringLiteral("closeConnectionAction"), tr("Close connection"),
                         tr("Close the whole connection of the selected sockets"));

    connect(m_join, &QAction::triggered, this, &ConnectionsPage::joinSelected);
    connect(m_room, &QLineEdit::returnPressed, this, &ConnectionsPage::joinSelected);
    connect(m_leave, &QAction::triggered, this, &ConnectionsPage::leaveSelected);
    connect(m_emit, &QAction::triggered, this, [this] {
        const QList<SocketRef> sockets = selectedSockets();
        if (sockets.isEmpty())
            return;
        QStringList ids;
        for (const SocketRef &socket : sockets) {
            if (socket.nsp == sockets.first().nsp)
                ids.append(socket.id);
        }
        m_actions->requestEmitToSockets(sockets.first().nsp, ids);
    });
    connect(m_details, &QAction::triggered, this, [this] {
        const QList<SocketRef> sockets = selectedSockets();
        if (!sockets.isEmpty())
            m_actions->requestSocketDetails(sockets.first().nsp + QLatin1Char('#') + sockets.first().id);
    });
    connect(m_disconnect, &QAction::triggered, this, [this] { m_actions->disconnectSockets(this, selectedSockets(), false); });
    connect(m_close, &QAction::triggered, this, [this] { m_actions->disconnectSockets(this, selectedSockets(), true); });
    connect(m_view, &QTableView::doubleClicked, m_details, &QAction::trigger);
    connect(m_actions, &ConsoleActions::capabilitiesChanged, this, &ConnectionsPage::updateActions);
    m_view->addActions({m_details, m_emit, m_disconnect, m_close});

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addWidget(new QLabel(tr("Room: "), this));
    toolbar->addWidget(m_room);
    toolbar->addAction(m_join);
    toolbar->addAction(m_leave);
    toolbar->addSeparator();
    toolbar->addAction(m_emit);
    toolbar->addAction(m_details);
    toolbar->addSeparator();
    toolbar->addAction(m_disconnect);
    toolbar->addAction(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(toolbar);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConnectionsPage::updateActions);
    connect(m_room, &QLineEdit::textChanged, this, &ConnectionsPage::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid())
            m_actions->requestSocketDetails(current.data(ConnectionsModel::KeyRole).toString());
    });
    updateActions();
}

QList<SocketRef> ConnectionsPage::selectedSockets() const
{
    QList<SocketRef> sockets;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        sockets.append({row.data(ConnectionsModel::NamespaceRole).toString(), row.data(ConnectionsModel::SocketIdRole).toString()});
    return sockets;
}

void ConnectionsPage::selectSocket(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void ConnectionsPage::selectSockets(const QStringList &keys)
{
    QItemSelection selection;
    for (const QString &key : keys) {
        const int row = m_model->rowOf(key);
        const QModelIndex index = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(m_proxy->columnCount() - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void ConnectionsPage::updateActions()
{
    const bool any = m_view->selectionModel()->hasSelection();
    const bool room = !m_room->text().trimmed().isEmpty();
    m_actions->gate(m_join, ConsoleActions::Kind::Membership, any && room);
    m_actions->gate(m_leave, ConsoleActions::Kind::Membership, any && room);
    m_actions->gate(m_emit, ConsoleActions::Kind::Emit, any);
    m_details->setEnabled(any);
    m_actions->gate(m_disconnect, ConsoleActions::Kind::Disconnect, any);
    m_actions->gate(m_close, ConsoleActions::Kind::Disconnect, any);
}

void ConnectionsPage::joinSelected()
{
    m_actions->joinRoom(selectedSockets(), m_room->text().trimmed());
}

void ConnectionsPage::leaveSelected()
{
    m_actions->leaveRoom(selectedSockets(), m_room->text().trimmed());
}

} // namespace Plugboard
