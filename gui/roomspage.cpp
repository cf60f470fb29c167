#include "roomspage.h"

#include "namespacechoices.h"
#include "namespacesmodel.h"
#include "roomfilterproxy.h"
#include "roomsmodel.h"

#include <QtCore/QItemSelectionModel>
#include <QtCore/QSet>
#include <QtGui/QAction>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

RoomsPage::RoomsPage(RoomsModel *model, NamespacesModel *namespaces, ConsoleActions *actions, QWidget *parent)
    : QWidget(parent),
      m_model(model),
      m_namespaces(namespaces),
      m_actions(actions),
      m_proxy(new RoomFilterProxy(this)),
      m_view(new QTableView(this)),
      m_namespace(new QComboBox(this)),
      m_showPrivate(new QCheckBox(tr("Show private rooms"), this)),
      m_filter(new QLineEdit(this)),
      m_members(new QListWidget(this))
{
    m_proxy->setObjectName(QStringLiteral("roomsProxy"));
    m_proxy->setSourceModel(model);
    m_namespace->setObjectName(QStringLiteral("roomsNamespace"));
    m_namespace->setMinimumContentsLength(12);
    m_showPrivate->setObjectName(QStringLiteral("roomsShowPrivate"));
    m_showPrivate->setToolTip(tr("Every socket is in a room named after its id"));
    m_filter->setObjectName(QStringLiteral("roomsFilter"));
    m_filter->setPlaceholderText(tr("Filter rooms by name…"));
    m_filter->setClearButtonEnabled(true);

    m_view->setObjectName(QStringLiteral("roomsView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RoomsModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_members->setObjectName(QStringLiteral("roomMembers"));
    m_members->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_members->setUniformItemSizes(true);

    m_emit = new QAction(tr("Emit to room…"), this);
    m_emit->setObjectName(QStringLiteral("emitToRoomAction"));
    m_remove = new QAction(tr("Remove selected members"), this);
    m_remove->setObjectName(QStringLiteral("removeMembersAction"));
    m_disconnect = new QAction(tr("Disconnect all members"), this);
    m_disconnect->setObjectName(QStringLiteral("disconnectRoomAction"));
    m_view->addActions({m_emit, m_disconnect});

    connect(m_emit, &QAction::triggered, this, [this] {
        const Current room = current();
        if (!room.name.isEmpty())
            m_actions->requestEmitToRoom(room.nsp, room.name);
    });
    connect(m_remove, &QAction::triggered, this, [this] {
        const Current room = current();
        QList<SocketRef> sockets;
        for (const QListWidgetItem *item : m_members->selectedItems())
            sockets.append({room.nsp, item->text()});
        m_actions->leaveRoom(sockets, room.name);
    });
    connect(m_disconnect, &QAction::triggered, this, [this] {
        const Current room = current();
        m_actions->disconnectRoom(this, room.nsp, room.name, int(room.members.size()));
    });
    connect(m_members, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *item) {
        m_actions->requestSocketDetails(current().nsp + QLatin1Char('#') + item->text());
    });
    connect(m_members, &QListWidget::itemSelectionChanged, this,
            [this] { m_actions->gate(m_remove, ConsoleActions::Kind::Membership, !m_members->selectedItems().isEmpty()); });
    connect(m_actions, &ConsoleActions::capabilitiesChanged, this, &RoomsPage::refreshMembers);

    connect(m_namespace, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setNamespaceFilter(m_namespace->currentData().toString()); });
    connect(m_showPrivate, &QCheckBox::toggled, m_proxy, &RoomFilterProxy::setShowPrivate);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &RoomFilterProxy::setNameFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RoomsPage::refreshMembers);
    // A batch can change the model in many steps (thousands of sockets leaving at once):
    // rebuild the member list once, after the batch.
    m_membersRefresh.setSingleShot(true);
    m_membersRefresh.setInterval(0);
    connect(&m_membersRefresh, &QTimer::timeout, this, &RoomsPage::refreshMembers);
    const auto scheduleRefresh = [this] { m_membersRefresh.start(); };
    connect(m_model, &QAbstractItemModel::dataChanged, this, scheduleRefresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, scheduleRefresh);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, scheduleRefresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, scheduleRefresh);
    connect(m_namespaces, &QAbstractItemModel::modelReset, this, &RoomsPage::updateNamespaces);
    updateNamespaces();

    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Namespace:"), this));
    filters->addWidget(m_namespace);
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_showPrivate);

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_emit);
    toolbar->addAction(m_remove);
    toolbar->addSeparator();
    toolbar->addAction(m_disconnect);

    auto *membersPane = new QWidget(this);
    auto *membersLayout = new QVBoxLayout(membersPane);
    membersLayout->setContentsMargins(0, 0, 0, 0);
    membersLayout->addWidget(new QLabel(tr("Members (double-click for details)"), membersPane));
    membersLayout->addWidget(m_members);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_view);
    splitter->addWidget(membersPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    refreshMembers();
}

RoomsPage::Current RoomsPage::current() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const QModelIndex row = rows.first();
    return {row.data(RoomsModel::NamespaceRole).toString(), row.data(RoomsModel::NameRole).toString(),
            row.data(RoomsModel::MembersRole).toStringList()};
}

bool RoomsPage::selectRoom(const QString &nsp, const QString &room)
{
    const int row = m_model->rowOf(RoomsModel::keyFor(nsp, room));
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void RoomsPage::refreshMembers()
{
    const Current room = current();
    QStringList shown;
    for (int i = 0; i < m_members->count(); ++i)
        shown.append(m_members->item(i)->text());
    if (shown != room.members) {
        QSet<QString> selected;
        for (const QListWidgetItem *item : m_members->selectedItems())
            selected.insert(item->text());
        m_members->clear();
        m_members->addItems(room.members);
        // One selection change for all rows: rooms can have thousands of members.
        QItemSelection reselected;
        for (int i = 0; i < room.members.size(); ++i) {
            if (selected.contains(room.members.at(i))) {
                const QModelIndex index = m_members->model()->index(i, 0);
                reselected.select(index, index);
            }
        }
        if (!reselected.isEmpty())
            m_members->selectionModel()->select(reselected, QItemSelectionModel::Select);
    }
    const bool any = !room.name.isEmpty();
    m_actions->gate(m_emit, ConsoleActions::Kind::Emit, any);
    m_actions->gate(m_disconnect, ConsoleActions::Kind::DisconnectRoom, any && !room.members.isEmpty());
    m_actions->gate(m_remove, ConsoleActions::Kind::Membership, any && !m_members->selectedItems().isEmpty());
}

void RoomsPage::updateNamespaces()
{
    m_proxy->setNamespaceFilter(refillNamespaceChoices(m_namespace, m_namespaces->names()));
}

} // namespace Plugboard
