#include "eventlogpage.h"

#include "cborformat.h"
#include "eventfilterproxy.h"
#include "eventlogmodel.h"
#include "namespacechoices.h"
#include "namespacesmodel.h"
#include "roomsmodel.h"

#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace Plugboard {

namespace {

QLineEdit *filterEdit(const QString &name, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace

EventLogPage::EventLogPage(EventLogModel *model, RoomsModel *rooms, NamespacesModel *namespaces, QWidget *parent)
    : QWidget(parent),
      m_model(model),
      m_rooms(rooms),
      m_namespaces(namespaces),
      m_proxy(new EventFilterProxy(this)),
      m_view(new QTableView(this)),
      m_namespace(new QComboBox(this)),
      m_socket(filterEdit(QStringLiteral("eventSocketFilter"), tr("socket id"), this)),
      m_room(filterEdit(QStringLiteral("eventRoomFilter"), tr("room"), this)),
      m_event(filterEdit(QStringLiteral("eventNameFilter"), tr("event name"), this)),
      m_direction(new QComboBox(this)),
      m_text(filterEdit(QStringLiteral("eventTextFilter"), tr("text in arguments or details"), this)),
      m_pause(new QPushButton(tr("Pause"), this)),
      m_clear(new QPushButton(tr("Clear"), this)),
      m_export(new QPushButton(tr("Export NDJSON…"), this)),
      m_status(new QLabel(this)),
      m_detail(new QPlainTextEdit(this))
{
    m_proxy->setObjectName(QStringLiteral("eventProxy"));
    m_proxy->setSourceModel(model);
    m_namespace->setObjectName(QStringLiteral("eventNamespaceFilter"));
    m_namespace->setMinimumContentsLength(10);
    m_direction->setObjectName(QStringLiteral("eventDirectionFilter"));
    m_direction->addItem(tr("All kinds"), int(EventFilterProxy::Direction::Any));
    m_direction->addItem(tr("Incoming events"), int(EventFilterProxy::Direction::Incoming));
    m_direction->addItem(tr("Outgoing events"), int(EventFilterProxy::Direction::Outgoing));
    m_direction->addItem(tr("Connections"), int(EventFilterProxy::Direction::Connections));
    m_direction->addItem(tr("Room changes"), int(EventFilterProxy::Direction::Rooms));
    m_pause->setObjectName(QStringLiteral("eventPauseButton"));
    m_pause->setCheckable(true);
    m_clear->setObjectName(QStringLiteral("eventClearButton"));
    m_export->setObjectName(QStringLiteral("eventExportButton"));
    m_status->setObjectName(QStringLiteral("eventLogStatus"));

    m_view->setObjectName(QStringLiteral("eventView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(EventLogModel::TimeColumn, 100);
    m_view->setColumnWidth(EventLogModel::KindColumn, 80);
    m_view->setColumnWidth(EventLogModel::NamespaceColumn, 90);
    m_view->setColumnWidth(EventLogModel::SocketColumn, 190);
    m_view->setColumnWidth(EventLogModel::EventColumn, 120);

    m_detail->setObjectName(QStringLiteral("eventDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an event to see it in full"));

    connect(m_namespace, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setNamespaceFilter(m_namespace->currentData().toString());
        updateRoomMembers();
    });
    connect(m_socket, &QLineEdit::textChanged, this, [this](const QString &text) { m_proxy->setSocketFilter(text.trimmed()); });
    connect(m_room, &QLineEdit::textChanged, this, &EventLogPage::updateRoomMembers);
    connect(m_event, &QLineEdit::textChanged, this, [this](const QString &text) { m_proxy->setEventFilter(text.trimmed()); });
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setDirectionFilter(EventFilterProxy::Direction(m_direction->currentData().toInt()));
    });
    connect(m_text, &QLineEdit::textChanged, m_proxy, &EventFilterProxy::setTextFilter);
    connect(m_pause, &QPushButton::toggled, m_model, &EventLogModel::setPaused);
    connect(m_model, &EventLogModel::pausedChanged, m_pause, &QPushButton::setChecked);
    connect(m_clear, &QPushButton::clicked, m_model, &EventLogModel::clear);
    connect(m_export, &QPushButton::clicked, this, &EventLogPage::exportWithDialog);

    connect(m_model, &EventLogModel::pendingCountChanged, this, &EventLogPage::updateStatus);
    connect(m_model, &EventLogModel::pausedChanged, this, &EventLogPage::updateStatus);
    connect(m_model, &EventLogModel::droppedCountChanged, this, &EventLogPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &EventLogPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EventLogPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EventLogPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &EventLogPage::updateStatus);

    // Follow new rows while the view is scrolled to the bottom; stay put once the operator
    // scrolls up to read.
    QScrollBar *scrollBar = m_view->verticalScrollBar();
    connect(scrollBar, &QScrollBar::valueChanged, this,
            [this, scrollBar](int value) { m_followTail = value >= scrollBar->maximum() - 2; });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followTail)
            m_view->scrollToBottom();
    });

    // A batch can change the rooms model in many steps (thousands of sockets leaving at once):
    // look the room's members up once, after the batch.
    m_roomMembersRefresh.setSingleShot(true);
    m_roomMembersRefresh.setInterval(0);
    connect(&m_roomMembersRefresh, &QTimer::timeout, this, &EventLogPage::updateRoomMembers);
    const auto refreshRoomMembers = [this] {
        if (!m_room->text().trimmed().isEmpty())
            m_roomMembersRefresh.start();
    };
    connect(m_rooms, &QAbstractItemModel::dataChanged, this, refreshRoomMembers);
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this, refreshRoomMembers);
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, this, refreshRoomMembers);
    connect(m_rooms, &QAbstractItemModel::layoutChanged, this, refreshRoomMembers);
    connect(m_rooms, &QAbstractItemModel::modelReset, this, refreshRoomMembers);
    connect(m_namespaces, &QAbstractItemModel::modelReset, this, &EventLogPage::updateNamespaces);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventLogPage::showSelected);
    updateNamespaces();

    auto *filters = new QGridLayout;
    filters->addWidget(new QLabel(tr("Namespace"), this), 0, 0);
    filters->addWidget(m_namespace, 0, 1);
    filters->addWidget(m_socket, 0, 2);
    filters->addWidget(m_room, 0, 3);
    filters->addWidget(m_event, 0, 4);
    filters->addWidget(m_direction, 0, 5);
    filters->addWidget(m_text, 1, 0, 1, 3);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_export);
    filters->addLayout(buttons, 1, 3, 1, 3);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    updateStatus();
}

void EventLogPage::updateStatus()
{
    QString text = m_proxy->isFiltering() ? tr("Showing %1 of %2 events").arg(m_proxy->rowCount()).arg(m_model->rowCount())
                                          : tr("%n event(s)", nullptr, m_model->rowCount());
    if (m_model->droppedCount() > 0)
        text += tr(" · %1 dropped").arg(m_model->droppedCount());
    m_status->setText(text);
    m_pause->setText(m_model->isPaused() ? tr("Resume (%n new)", nullptr, m_model->pendingCount()) : tr("Pause"));
}

void EventLogPage::updateRoomMembers()
{
    const QString room = m_room->text().trimmed();
    m_proxy->setRoomFilter(room, room.isEmpty() ? QSet<QString>()
                                                : m_rooms->membersOf(room, m_namespace->currentData().toString()));
}

void EventLogPage::updateNamespaces()
{
    m_proxy->setNamespaceFilter(refillNamespaceChoices(m_namespace, m_namespaces->names()));
}

void EventLogPage::showSelected()
{
    const QModelIndex index = m_proxy->mapToSource(m_view->currentIndex());
    if (!index.isValid()) {
        m_detail->clear();
        return;
    }
    const EventRecord &r = m_model->record(index.row());
    QString text = QStringLiteral("#%1  %2  %3  %4  %5\n")
                       .arg(r.seq)
                       .arg(r.time.toLocalTime().toString(Qt::ISODateWithMs), EventLogModel::kindName(r.kind), r.nsp,
                            r.socketId);
    if (!r.event.isEmpty())
        text += tr("event: %1%2\n").arg(r.event, r.ackRequested ? tr(" (ack requested)") : QString());
    if (r.kind == EventRecord::Kind::Broadcast)
        text += tr("rooms: %1  except: %2  recipients: %3\n")
                    .arg(r.rooms.isEmpty() ? tr("(all)") : r.rooms.join(QStringLiteral(", ")),
                         r.except.join(QStringLiteral(", ")))
                    .arg(r.recipients);
    if (!r.detail.isEmpty())
        text += tr("detail: %1\n").arg(r.detail);
    if (!r.args.isEmpty())
        text += QLatin1Char('\n') + CborFormat::prettyJson(r.args);
    m_detail->setPlainText(text);
}

bool EventLogPage::exportTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex source = m_proxy->mapToSource(m_proxy->index(row, 0));
        file.write(EventLogModel::toNdjson(m_model->record(source.row())));
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void EventLogPage::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events"), QStringLiteral("events.ndjson"),
                                                      tr("NDJSON (*.ndjson *.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export events"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace Plugboard
