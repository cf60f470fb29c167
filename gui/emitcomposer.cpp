#include "emitcomposer.h"

#include "cborformat.h"
#include "connectionsmodel.h"
#include "jsonarguments.h"
#include "namespacesmodel.h"
#include "roomfilterproxy.h"
#include "roomsmodel.h"
#include "consolebackend.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QStringListModel>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

namespace {

// Replies longer than this many characters also get their pretty-printed JSON as a tooltip.
constexpr qsizetype LongReply = 60;

QRegularExpression exactly(const QString &text)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(QRegularExpression::escape(text)));
}

} // namespace

EmitComposer::EmitComposer(ConsoleBackend *runner, ConnectionsModel *connections, RoomsModel *rooms,
                           NamespacesModel *namespaces, QWidget *parent)
    : QWidget(parent),
      m_runner(runner),
      m_connections(connections),
      m_socketProxy(new QSortFilterProxyModel(this)),
      m_roomProxy(new RoomFilterProxy(this)),
      m_namespace(new QComboBox(this)),
      m_targetKind(new QComboBox(this)),
      m_targets(new QStackedWidget(this)),
      m_sockets(new QListView(this)),
      m_room(new QComboBox(this)),
      m_namespaceNote(new QLabel(this)),
      m_event(new QLineEdit(this)),
      m_eventNames(new QStringListModel(this)),
      m_arguments(new QPlainTextEdit(this)),
      m_argumentsError(new QLabel(this)),
      m_ack(new QCheckBox(tr("Wait for acknowledgements"), this)),
      m_ackTimeout(new QSpinBox(this)),
      m_send(new QPushButton(tr("Send"), this)),
      m_status(new QLabel(this)),
      m_results(new QTreeWidget(this))
{
    m_namespace->setObjectName(QStringLiteral("emitNamespace"));
    m_namespace->setModel(namespaces);
    m_namespace->setModelColumn(NamespacesModel::NameColumn);
    m_namespace->setMinimumContentsLength(12);

    m_targetKind->setObjectName(QStringLiteral("emitTargetKind"));
    m_targetKind->addItem(tr("Sockets"), SocketsTarget);
    m_targetKind->addItem(tr("Room"), RoomTarget);
    m_targetKind->addItem(tr("Whole namespace"), NamespaceTarget);

    m_socketProxy->setSourceModel(connections);
    m_socketProxy->setFilterRole(ConnectionsModel::NamespaceRole);
    m_socketProxy->setSortRole(ConnectionsModel::SortRole);
    m_socketProxy->sort(ConnectionsModel::IdColumn);
    m_sockets->setObjectName(QStringLiteral("emitSockets"));
    m_sockets->setModel(m_socketProxy);
    m_sockets->setModelColumn(ConnectionsModel::IdColumn);
    m_sockets->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // With thousands of sockets, measuring every row on each layout stalls the GUI thread.
    m_sockets->setUniformItemSizes(true);
    m_sockets->setToolTip(tr("The event goes to every selected socket"));

    m_roomProxy->setSourceModel(rooms);
    m_roomProxy->sort(RoomsModel::NameColumn);
    m_room->setObjectName(QStringLiteral("emitRoom"));
    m_room->setModel(m_roomProxy);
    m_room->setModelColumn(RoomsModel::NameColumn);
    m_room->setMinimumContentsLength(16);
    auto *roomPane = new QWidget(this);
    auto *roomLayout = new QVBoxLayout(roomPane);
    roomLayout->setContentsMargins(0, 0, 0, 0);
    roomLayout->addWidget(m_room, 0, Qt::AlignLeft);
    roomLayout->addStretch();

    m_namespaceNote->setObjectName(QStringLiteral("emitNamespaceNote"));
    m_namespaceNote->setWordWrap(true);
    m_namespaceNote->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_sockets->setMaximumHeight(m_sockets->fontMetrics().height() * 9);
    m_targets->addWidget(m_sockets);
    m_targets->addWidget(roomPane);
    m_targets->addWidget(m_namespaceNote);

    m_event->setObjectName(QStringLiteral("emitEventName"));
    m_event->setPlaceholderText(tr("event name"));
    auto *completer = new QCompleter(m_eventNames, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_event->setCompleter(completer);

    m_arguments->setObjectName(QStringLiteral("emitArguments"));
    m_arguments->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_arguments->setPlaceholderText(tr("[\"hello\", {\"n\": 1}, {\"$hex\": \"00ff\"}]  (one element per argument; "
                                       "{\"$hex\"} or {\"$base64\"} for binary)"));
    m_arguments->setPlainText(QStringLiteral("[]"));
    m_arguments->setTabChangesFocus(true);
    m_argumentsError->setObjectName(QStringLiteral("emitArgumentsError"));
    m_argumentsError->setWordWrap(true);
    m_argumentsError->setStyleSheet(QStringLiteral("color: #b3261e;"));

    m_ack->setObjectName(QStringLiteral("emitAck"));
    m_ackTimeout->setObjectName(QStringLiteral("emitAckTimeout"));
    m_ackTimeout->setRange(100, 600000);
    m_ackTimeout->setSingleStep(1000);
    m_ackTimeout->setValue(5000);
    m_ackTimeout->setSuffix(tr(" ms"));
    m_ackTimeout->setEnabled(false);
    connect(m_ack, &QCheckBox::toggled, m_ackTimeout, &QSpinBox::setEnabled);

    m_send->setObjectName(QStringLiteral("emitSendButton"));
    m_send->setDefault(true);
    m_status->setObjectName(QStringLiteral("emitStatus"));
    m_status->setWordWrap(true);

    m_results->setObjectName(QStringLiteral("emitResults"));
    m_results->setHeaderLabels({tr("Emit / socket"), tr("Result / reply")});
    m_results->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_results->setColumnWidth(0, 300);
    m_results->setRootIsDecorated(true);
    m_results->setUniformRowHeights(true);

    auto *ackRow = new QHBoxLayout;
    ackRow->addWidget(m_ack);
    ackRow->addWidget(new QLabel(tr("timeout"), this));
    ackRow->addWidget(m_ackTimeout);
    ackRow->addStretch();
    ackRow->addWidget(m_send);

    auto *form = new QFormLayout;
    form->addRow(tr("Namespace"), m_namespace);
    form->addRow(tr("Target"), m_targetKind);
    form->addRow(QString(), m_targets);
    form->addRow(tr("Event"), m_event);
    form->addRow(tr("Arguments"), m_arguments);
    form->addRow(QString(), m_argumentsError);
    form->addRow(QString(), ackRow);
    form->addRow(QString(), m_status);

    auto *formPane = new QWidget(this);
    formPane->setLayout(form);
    auto *resultsPane = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(resultsPane);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(new QLabel(tr("Sent events and acknowledgements"), resultsPane));
    resultsLayout->addWidget(m_results);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(formPane);
    splitter->addWidget(resultsPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_namespace, &QComboBox::currentIndexChanged, this, [this] {
        const QString nsp = currentNamespace();
        m_socketProxy->setFilterRegularExpression(exactly(nsp));
        m_roomProxy->setNamespaceFilter(nsp.isEmpty() ? QStringLiteral("\x01") : nsp);
        validate();
    });
    connect(m_targetKind, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_targets->setCurrentIndex(index);
        validate();
    });
    connect(m_sockets->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EmitComposer::validate);
    connect(m_room, &QComboBox::currentIndexChanged, this, &EmitComposer::validate);
    connect(m_roomProxy, &QAbstractItemModel::rowsRemoved, this, &EmitComposer::validate);
    connect(m_roomProxy, &QAbstractItemModel::layoutChanged, this, &EmitComposer::validate);
    connect(m_roomProxy, &QAbstractItemModel::rowsInserted, this, &EmitComposer::validate);
    connect(m_event, &QLineEdit::textChanged, this, &EmitComposer::validate);
    connect(m_arguments, &QPlainTextEdit::textChanged, this, &EmitComposer::validate);
    connect(m_runner, &ConsoleBackend::stateChanged, this, &EmitComposer::validate);
    connect(m_runner, &ConsoleBackend::capabilitiesChanged, this, &EmitComposer::validate);
    connect(m_send, &QPushButton::clicked, this, &EmitComposer::send);
    connect(m_runner, &ConsoleBackend::actionFinished, this, &EmitComposer::onFinished);
    // The namespaces list resets when a namespace appears; keep the operator's choice.
    connect(namespaces, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_namespace->setProperty("previous", currentNamespace()); });
    connect(namespaces, &QAbstractItemModel::modelReset, this,
            [this] { selectNamespace(m_namespace->property("previous").toString()); });

    m_socketProxy->setFilterRegularExpression(exactly(currentNamespace()));
    m_roomProxy->setNamespaceFilter(QStringLiteral("\x01"));
    validate();
}

QString EmitComposer::currentNamespace() const
{
    return m_namespace->currentIndex() < 0 ? QString() : m_namespace->currentText();
}

void EmitComposer::selectNamespace(const QString &nsp)
{
    const int index = m_namespace->findText(nsp);
    if (index >= 0)
        m_namespace->setCurrentIndex(index);
    else if (m_namespace->count() > 0 && m_namespace->currentIndex() < 0)
        m_namespace->setCurrentIndex(0);
}

void EmitComposer::setSocketTarget(const QString &nsp, const QStringList &socketIds)
{
    selectNamespace(nsp);
    m_targetKind->setCurrentIndex(SocketsTarget);
    QItemSelection selection;
    for (const QString &id : socketIds) {
        const int row = m_connections->rowOf(nsp + QLatin1Char('#') + id);
        if (row < 0)
            continue;
        const QModelIndex index = m_socketProxy->mapFromSource(m_connections->index(row, ConnectionsModel::IdColumn));
        if (index.isValid())
            selection.select(index, index);
    }
    m_sockets->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_sockets->scrollTo(selection.indexes().constFirst());
    validate();
}

void EmitComposer::setRoomTarget(const QString &nsp, const QString &room)
{
    selectNamespace(nsp);
    m_targetKind->setCurrentIndex(RoomTarget);
    m_room->setCurrentIndex(m_room->findText(room));
    validate();
}

void EmitComposer::setNamespaceTarget(const QString &nsp)
{
    selectNamespace(nsp);
    m_targetKind->setCurrentIndex(NamespaceTarget);
    validate();
}

void EmitComposer::addEventNames(const QStringList &names)
{
    QStringList known = m_eventNames->stringList();
    bool added = false;
    for (const QString &name : names) {
        if (!known.contains(name)) {
            known.append(name);
            added = true;
        }
    }
    if (!added)
        return;
    known.sort(Qt::CaseInsensitive);
    m_eventNames->setStringList(known);
}

std::optional<EmitRequest> EmitComposer::request(QString *problem) const
{
    const auto fail = [problem](const QString &why) -> std::optional<EmitRequest> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    EmitRequest request;
    request.nsp = currentNamespace();
    if (request.nsp.isEmpty())
        return fail(tr("Choose a namespace."));
    switch (m_targetKind->currentIndex()) {
    case SocketsTarget: {
        request.target = EmitRequest::Target::Sockets;
        const QModelIndexList rows = m_sockets->selectionModel()->selectedIndexes();
        for (const QModelIndex &index : rows)
            request.socketIds.append(index.data(ConnectionsModel::SocketIdRole).toString());
        if (request.socketIds.isEmpty())
            return fail(tr("Select at least one socket."));
        break;
    }
    case RoomTarget:
        request.target = EmitRequest::Target::Rooms;
        if (m_room->currentIndex() < 0 || m_room->currentText().isEmpty())
            return fail(tr("Choose a room."));
        request.rooms = {m_room->currentText()};
        break;
    case NamespaceTarget:
        request.target = EmitRequest::Target::Namespace;
        break;
    }
    request.event = m_event->text().trimmed();
    if (request.event.isEmpty())
        return fail(tr("Enter an event name."));
    const JsonArguments arguments = JsonArguments::parse(m_arguments->toPlainText());
    if (!arguments.ok)
        return fail(arguments.error);
    request.args = arguments.arguments;
    request.ackTimeoutMs = m_ack->isChecked() && m_ack->isEnabled() ? m_ackTimeout->value() : 0;
    return request;
}

void EmitComposer::validate()
{
    const JsonArguments arguments = JsonArguments::parse(m_arguments->toPlainText());
    m_argumentsError->setText(arguments.ok ? QString() : arguments.error);
    m_argumentsError->setVisible(!arguments.ok);
    m_namespaceNote->setText(tr("Every socket connected to namespace %1 (%n now).", nullptr,
                                m_socketProxy->rowCount())
                                 .arg(currentNamespace()));
    // What the server does not offer is disabled, and the tooltip says why.
    const ConsoleBackend::Capabilities can = m_runner->capabilities();
    if (!can.emitWithAck && m_ack->isChecked())
        m_ack->setChecked(false);
    m_ack->setEnabled(can.emitWithAck);
    m_ack->setToolTip(can.emitWithAckWhyNot);
    QString problem;
    const bool complete = request(&problem).has_value();
    const bool running = m_runner->isRunning();
    m_send->setEnabled(complete && running && can.emit);
    m_send->setToolTip(!running ? tr("The server is not running") : !can.emit ? can.emitWhyNot : problem);
}

void EmitComposer::send()
{
    QString problem;
    const std::optional<EmitRequest> emitRequest = request(&problem);
    if (!emitRequest || !m_runner->isRunning()) {
        m_status->setText(problem);
        return;
    }
    QString target;
    switch (emitRequest->target) {
    case EmitRequest::Target::Sockets:
        target = emitRequest->socketIds.size() == 1 ? tr("socket %1").arg(emitRequest->socketIds.first())
                                                    : tr("%n socket(s)", nullptr, int(emitRequest->socketIds.size()));
        break;
    case EmitRequest::Target::Rooms:
        target = tr("room %1").arg(emitRequest->rooms.join(QStringLiteral(", ")));
        break;
    case EmitRequest::Target::Namespace:
        target = tr("all of %1").arg(emitRequest->nsp);
        break;
    }
    const QString description = QStringLiteral("%1 %2 → %3").arg(emitRequest->event, CborFormat::compactJson(emitRequest->args, 80), target);
    const quint64 ticket = m_runner->emitEvent(*emitRequest);
    auto *item = new QTreeWidgetItem({description, emitRequest->ackTimeoutMs > 0 ? tr("waiting for acknowledgements…")
                                                                                 : tr("sending…")});
    m_results->insertTopLevelItem(0, item);
    m_pending.insert(ticket, {description, item});
    while (m_results->topLevelItemCount() > MaxShownEmits)
        dropOldestEmit();
    m_status->setText(tr("Sent %1").arg(description));
    Q_EMIT sent(ticket);
}

void EmitComposer::dropOldestEmit()
{
    QTreeWidgetItem *oldest = m_results->takeTopLevelItem(m_results->topLevelItemCount() - 1);
    m_pending.removeIf([oldest](const auto &entry) { return entry.value().item == oldest; });
    delete oldest;
}

void EmitComposer::dropOldestBeyond(int maxReplies, const QTreeWidgetItem *keep)
{
    int replies = 0;
    for (int i = 0; i < m_results->topLevelItemCount(); ++i)
        replies += m_results->topLevelItem(i)->childCount();
    while (replies > maxReplies && m_results->topLevelItemCount() > 1 &&
           m_results->topLevelItem(m_results->topLevelItemCount() - 1) != keep) {
        replies -= m_results->topLevelItem(m_results->topLevelItemCount() - 1)->childCount();
        dropOldestEmit();
    }
}

void EmitComposer::onFinished(quint64 ticket, const ControlResult &result)
{
    const auto it = m_pending.find(ticket);
    if (it == m_pending.end())
        return;
    QTreeWidgetItem *item = it->item;
    m_pending.erase(it);
    item->setText(1, result.message);
    if (!result.ok)
        item->setForeground(1, QColor(0xb3, 0x26, 0x1e));
    // Built detached and added at once: an emit to a namespace can bring thousands of replies.
    QList<QTreeWidgetItem *> replies;
    replies.reserve(result.responses.size());
    for (const AckResponse &response : result.responses) {
        auto *reply = new QTreeWidgetItem({response.socketId, CborFormat::compactJson(response.args, 2000)});
        if (reply->text(1).size() > LongReply)
            reply->setToolTip(1, CborFormat::prettyJson(response.args));
        replies.append(reply);
    }
    item->addChildren(replies);
    item->setExpanded(true);
    dropOldestBeyond(MaxShownReplies, item);
    m_status->setText(result.message);
    Q_EMIT answered(ticket, result);
}

} // namespace Plugboard
