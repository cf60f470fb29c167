#include "socketdetailspanel.h"

#include "cborformat.h"
#include "connectionsmodel.h"
#include "consoleactions.h"
#include "eventfilterproxy.h"
#include "eventlogmodel.h"

#include <QtCore/QCborArray>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

namespace {

void addCbor(QTreeWidgetItem *parent, const QString &key, const QCborValue &value)
{
    auto *item = new QTreeWidgetItem(parent, {key});
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            addCbor(item, it.key().isString() ? it.key().toString() : CborFormat::compactJson(it.key()), it.value());
        item->setText(1, map.isEmpty() ? QStringLiteral("{}") : QString());
    } else if (value.isArray() && !value.toArray().isEmpty() && value.toArray().size() <= 50) {
        const QCborArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addCbor(item, QString::number(i), array.at(i));
    } else {
        item->setText(1, CborFormat::cellText(value, 1000));
        item->setToolTip(1, CborFormat::compactJson(value, 4000));
    }
}

QTreeWidgetItem *section(QTreeWidget *tree, const QString &title, const QCborMap &map)
{
    auto *item = new QTreeWidgetItem(tree, {title, map.isEmpty() ? QObject::tr("(empty)") : QString()});
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        addCbor(item, it.key().toString(), it.value());
    item->setExpanded(true);
    return item;
}

} // namespace

SocketDetailsPanel::SocketDetailsPanel(ConnectionsModel *connections, EventLogModel *events, ConsoleActions *actions,
                                       QWidget *parent)
    : QWidget(parent),
      m_connections(connections),
      m_actions(actions),
      m_title(new QLabel(this)),
      m_summary(new QLabel(this)),
      m_handshake(new QTreeWidget(this)),
      m_rooms(new QListWidget(this)),
      m_timelineProxy(new EventFilterProxy(this)),
      m_timeline(new QTableView(this)),
      m_emit(new QPushButton(tr("Emit…"), this)),
      m_leave(new QPushButton(tr("Leave room"), this)),
      m_disconnect(new QPushButton(tr("Disconnect"), this)),
      m_close(new QPushButton(tr("Close connection"), this))
{
    m_title->setObjectName(QStringLiteral("detailsTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_summary->setObjectName(QStringLiteral("detailsSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_handshake->setObjectName(QStringLiteral("detailsHandshake"));
    m_handshake->setHeaderLabels({tr("Key"), tr("Value")});
    m_handshake->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_rooms->setObjectName(QStringLiteral("detailsRooms"));
    m_rooms->setMaximumHeight(90);
    m_emit->setObjectName(QStringLiteral("detailsEmitButton"));
    m_leave->setObjectName(QStringLiteral("detailsLeaveButton"));
    m_disconnect->setObjectName(QStringLiteral("detailsDisconnectButton"));
    m_close->setObjectName(QStringLiteral("detailsCloseButton"));

    m_timelineProxy->setSourceModel(events);
    m_timelineProxy->setSocketFilter(QStringLiteral("\x01")); // nothing until a socket is shown
    m_timeline->setObjectName(QStringLiteral("detailsTimeline"));
    m_timeline->setModel(m_timelineProxy);
    m_timeline->setWordWrap(false);
    m_timeline->verticalHeader()->hide();
    m_timeline->verticalHeader()->setDefaultSectionSize(m_timeline->fontMetrics().height() + 4);
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->hideColumn(EventLogModel::NamespaceColumn);
    m_timeline->hideColumn(EventLogModel::SocketColumn);
    m_timeline->setColumnWidth(EventLogModel::TimeColumn, 95);
    m_timeline->setColumnWidth(EventLogModel::KindColumn, 75);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    connect(m_timelineProxy, &QAbstractItemModel::rowsInserted, m_timeline, &QTableView::scrollToBottom);

    const auto refs = [this] { return QList<SocketRef>{{m_info.nsp, m_info.id}}; };
    connect(m_emit, &QPushButton::clicked, this, [this] { m_actions->requestEmitToSockets(m_info.nsp, {m_info.id}); });
    connect(m_disconnect, &QPushButton::clicked, this, [this, refs] { m_actions->disconnectSockets(this, refs(), false); });
    connect(m_close, &QPushButton::clicked, this, [this, refs] { m_actions->disconnectSockets(this, refs(), true); });
    connect(m_leave, &QPushButton::clicked, this, [this, refs] {
        if (const QListWidgetItem *item = m_rooms->currentItem())
            m_actions->leaveRoom(refs(), item->text());
    });
    connect(m_rooms, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem *item) { m_leave->setEnabled(m_connected && item); });

    connect(m_connections, &ConnectionsModel::socketsChanged, this, [this](const QStringList &keys) {
        if (keys.contains(m_key))
            refresh();
    });
    connect(m_connections, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_connected && !m_key.isEmpty())
            refresh();
    });
    const auto checkStillConnected = [this] {
        if (m_connected && m_connections->rowOf(m_key) < 0)
            markDisconnected();
    };
    // Many sockets leaving at once come as one layout change.
    connect(m_connections, &QAbstractItemModel::rowsRemoved, this, checkStillConnected);
    connect(m_connections, &QAbstractItemModel::layoutChanged, this, checkStillConnected);
    connect(m_connections, &QAbstractItemModel::modelReset, this, &SocketDetailsPanel::refresh);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_emit);
    buttons->addWidget(m_disconnect);
    buttons->addWidget(m_close);
    buttons->addStretch();

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_title);
    topLayout->addWidget(m_summary);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_handshake, 1);
    auto *roomsRow = new QHBoxLayout;
    roomsRow->addWidget(new QLabel(tr("Rooms"), top));
    roomsRow->addStretch();
    roomsRow->addWidget(m_leave);
    topLayout->addLayout(roomsRow);
    topLayout->addWidget(m_rooms);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(new QLabel(tr("Timeline (from the event log)"), bottom));
    bottomLayout->addWidget(m_timeline, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    refresh();
}

void SocketDetailsPanel::showSocket(const QString &key)
{
    if (key == m_key && m_connected)
        return;
    m_key = key;
    m_info = {};
    refresh();
}

void SocketDetailsPanel::refresh()
{
    if (m_key.isEmpty()) {
        m_connected = false;
        m_title->setText(tr("No socket selected"));
        m_summary->setText(tr("Select a socket in Connections, a room member or an event."));
        m_handshake->clear();
        m_rooms->clear();
        m_timelineProxy->setSocketFilter(QStringLiteral("\x01"));
        for (QPushButton *button : {m_emit, m_leave, m_disconnect, m_close})
            button->setEnabled(false);
        return;
    }
    if (const SocketInfo *info = m_connections->find(m_key)) {
        m_connected = true;
        setInfo(*info);
    } else if (m_info.id.isEmpty()) {
        // Never seen (or gone before we looked): the key still says which socket.
        const qsizetype hash = m_key.lastIndexOf(QLatin1Char('#'));
        m_info.nsp = m_key.left(hash);
        m_info.id = m_key.mid(hash + 1);
        m_connected = false;
        setInfo(m_info);
    } else {
        markDisconnected();
    }
}

void SocketDetailsPanel::setInfo(const SocketInfo &info)
{
    m_info = info;
    m_title->setText(info.id);
    if (m_connected) {
        m_summary->setText(tr("Namespace %1 · %2 · from %3 · connected %4 · session %5%6")
                               .arg(info.nsp, info.transport, info.address,
                                    info.connectedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                    info.clientId, info.recovered ? tr(" · recovered") : QString()));
    } else {
        m_summary->setText(tr("Namespace %1 · not connected").arg(info.nsp));
    }
    m_handshake->clear();
    section(m_handshake, tr("Headers"), info.headers);
    section(m_handshake, tr("Query"), info.query);
    section(m_handshake, tr("Auth (secrets masked)"), info.auth);
    section(m_handshake, tr("Data"), info.data);
    const QString currentRoom = m_rooms->currentItem() ? m_rooms->currentItem()->text() : QString();
    m_rooms->clear();
    m_rooms->addItems(ConnectionsModel::sharedRooms(info));
    const auto matches = m_rooms->findItems(currentRoom, Qt::MatchExactly);
    if (!matches.isEmpty())
        m_rooms->setCurrentItem(matches.first());
    m_timelineProxy->setNamespaceFilter(info.nsp);
    m_timelineProxy->setSocketFilter(info.id);
    m_emit->setEnabled(m_connected);
    m_disconnect->setEnabled(m_connected);
    m_close->setEnabled(m_connected);
    m_leave->setEnabled(m_connected && m_rooms->currentItem());
}

void SocketDetailsPanel::markDisconnected()
{
    m_connected = false;
    m_summary->setText(tr("Namespace %1 · disconnected (last known state below)").arg(m_info.nsp));
    for (QPushButton *button : {m_emit, m_leave, m_disconnect, m_close})
        button->setEnabled(false);
}

} // namespace Plugboard
