"""Inspection day, front room: log requests as they are asked, move them along, watch the clock.

The scribe types what was asked and presses Enter; the request is logged (stamped now), selected,
and the cursor is back in the field for the next one. Keys move the selected request along its
statuses, each an undoable command. A timer repaints elapsed times every few seconds; requests
past the workspace's target read "LATE". Statistics, scribe notes and the SME roster sit in tabs
beside the log so the whole day fits a 1366x768 laptop screen.

This module shows the log and keeps the selection; what the user does to it (log, move, edit,
present, stage predicted requests) is in ``request_edits``, mixed into the view.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.report import RequestLogReport, build_request_log
from qmsr_ready.core.inspection_day.stats import RequestStats, request_statistics
from qmsr_ready.core.inspection_day.views import RequestView, inspection_places
from qmsr_ready.ui.models.requests_model import (
    COL,
    Clock,
    RequestsFilterProxy,
    RequestsTableModel,
    RowRole,
    utc_now,
)
from qmsr_ready.ui.presentation import LOCKED_INSPECTION, MARGIN, READ_ONLY, SPACING
from qmsr_ready.ui.views.request_edits import RequestEdits
from qmsr_ready.ui.widgets.banner import LockBanner
from qmsr_ready.ui.widgets.column_chooser import sort_by_a_shown_column
from qmsr_ready.ui.widgets.column_fit import ColumnFitter
from qmsr_ready.ui.widgets.request_capture import RequestCapture
from qmsr_ready.ui.widgets.request_detail import RequestDetail
from qmsr_ready.ui.widgets.request_stats import RequestStatsTabs, stats_headline
from qmsr_ready.ui.widgets.scribe_notes import ScribeNotesPanel
from qmsr_ready.ui.widgets.sme_roster import SmeRosterPanel

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

TICK_MS = 5000
DETAIL_WIDTH = 400  # the tabs beside the log; the log takes every other pixel
WIDE_VIEW = 1400  # below this width the "By" column (also in the detail) is hidden
_RELOAD_KINDS = {"request", "note", "roster", "settings", "inspection", "signoff", "finding",
                 "evidence", ""}
KEY_HELP = ("Keys: Enter logs · Up/Down choose · Ctrl+Right or Alt+Right next status · "
            "Ctrl+Left or Alt+Left back · Ctrl+Shift+W withdraw · Ctrl+P present")


class RequestsView(RequestEdits, QWidget):
    """The request log of the current inspection, with detail, statistics, notes and roster."""

    present_dialog_opened = Signal(object)  # PresentRequestDialog, for tests and hosts
    predicted_dialog_opened = Signal(object)  # PredictedRequestsDialog
    request_logged = Signal(str)  # the new request's number

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 now: Clock = utc_now) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._code = ""
        self._locked = False
        self._report: RequestLogReport | None = None
        self._sized = False
        self.setObjectName("requestsView")

        self.banner = LockBanner(self)
        self.message = LockBanner(self, tone="problem")
        self.capture = RequestCapture(self)
        self.capture.captured.connect(self._on_capture_captured)
        self.capture.step_selection.connect(self._step_selection)
        self.headline = QLabel(self)
        self.headline.setAccessibleName("Request statistics headline")
        self.headline.setWordWrap(True)
        self.target = QSpinBox(self)
        self.target.setRange(1, 24 * 60)
        self.target.setSuffix(" min")
        self.target.setPrefix("Target ")
        self.target.setAccessibleName("Time-to-present target")
        self.target.setToolTip("Requests open longer than this read LATE (workspace setting)")
        self.target.editingFinished.connect(self._on_target_editing_finished)
        self.predict_button = QPushButton("Predicted first-day requests…", self)
        self.predict_button.clicked.connect(self.open_predicted)

        self.model = RequestsTableModel(self, now=now)
        self.proxy = RequestsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Request log")
        self.table.setToolTip(KEY_HELP)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL["No."], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # "What was asked" takes the rest; the others fit content (and their header) up to a cap:
        # fixed pixel widths cut the headers at 125 % ("Vhat was asked").
        self.column_fit = ColumnFitter(self.table, [COL["What was asked"]], floor_chars=16,
                                       cap_chars=20)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.open_only = QCheckBox("Open only", self)
        self.open_only.toggled.connect(lambda on: self.proxy.set_filters(open_only=on))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search number, text, owner")
        self.search.setAccessibleName("Search requests")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda t: self.proxy.set_filters(text=t))
        self.keys_label = QLabel(KEY_HELP, self)
        self.keys_label.setWordWrap(True)
        self.keys_label.setStyleSheet("color: palette(placeholder-text);")

        self.detail = RequestDetail(self)
        self.detail.save_requested.connect(self._on_detail_save_requested)
        self.detail.present_requested.connect(self.open_present)
        self.detail.step_requested.connect(self.step_selected)
        self.detail.withdraw_requested.connect(self.withdraw_selected)
        self.stats = RequestStatsTabs(self)
        self.notes = ScribeNotesPanel(self)
        self.notes.note_requested.connect(self._on_notes_note_requested)
        self.roster = SmeRosterPanel(self)
        self.roster.roster_requested.connect(self._on_roster_roster_requested)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.detail, "Request")
        self.tabs.addTab(self.stats, "Statistics")
        self.tabs.addTab(self.notes, "Scribe notes")
        self.tabs.addTab(self.roster, "SME roster")

        self._build_layout()
        self._build_keys()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        ctx.workspace_changed.connect(lambda: self.set_inspection(""))
        self.set_inspection(ctx.current_inspection)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(self.headline, 1)
        top.addWidget(self.target)
        top.addWidget(self.predict_button)
        filters = QHBoxLayout()
        filters.setSpacing(SPACING)
        filters.addWidget(self.open_only)
        filters.addWidget(self.search, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(SPACING)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.keys_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)  # a wider window widens the log most
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.tabs.setMinimumWidth(DETAIL_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(self.capture)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def _build_keys(self) -> None:
        """Status keys: Ctrl+arrows in the log, Alt+arrows anywhere in the view."""
        table_keys = ((Qt.Modifier.CTRL | Qt.Key.Key_Right, lambda: self.step_selected(1)),
                      (Qt.Modifier.CTRL | Qt.Key.Key_Left, lambda: self.step_selected(-1)))
        for seq, slot in table_keys:
            key = QShortcut(QKeySequence(seq), self.table)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(slot)
        view_keys = ((Qt.Modifier.ALT | Qt.Key.Key_Right, lambda: self.step_selected(1)),
                     (Qt.Modifier.ALT | Qt.Key.Key_Left, lambda: self.step_selected(-1)),
                     (Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_W,
                      self.withdraw_selected),
                     (Qt.Modifier.CTRL | Qt.Key.Key_P, self._present_selected))
        for seq, handler in view_keys:
            key = QShortcut(QKeySequence(seq), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(handler)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.setColumnHidden(COL["By"], self.width() < WIDE_VIEW)
        sort_by_a_shown_column(self.table, (COL["No."], Qt.SortOrder.AscendingOrder))
        if not self._sized and self.width() > 2 * DETAIL_WIDTH:
            self._sized = True  # the first real size; later the user's splitter drag wins
            # From the view's width: the splitter itself may not be laid out yet.
            total = self.width() - 2 * MARGIN
            detail = max(DETAIL_WIDTH, min(560, total // 3))
            self.splitter.setSizes([total - detail, detail])

    # -- loading ------------------------------------------------------------------------
    def set_inspection(self, code: str) -> None:
        self._code = code
        self.reload()

    def reload(self) -> None:
        """Read the log, notes and roster again (one read), keeping the selection."""
        selected = self.selected_code()
        report, areas, elements, locked = None, [], [], False
        if self._ctx.workspace is not None and self._code:
            with self._ctx.read() as session:
                report = build_request_log(session, self._code, now=self.model.now)
                places = inspection_places(session, self._code)
            locked = places.signed_off
            areas = list(places.areas)
            titles = dict(places.areas)
            seen: set[str] = set()
            for aid, eid, title in places.elements:
                if aid not in seen:
                    seen.add(aid)
                    elements.append((aid, f"{aid} {titles[aid]}"))
                elements.append((eid, f"    {eid} {title}"))
        self._report, self._locked = report, locked
        self.model.set_rows(report.requests if report else (),
                            report.target if report else None)
        self.target.blockSignals(True)
        self.target.setValue(round(self.model.target.total_seconds() / 60))
        self.target.blockSignals(False)
        self.detail.set_elements(elements)
        self.notes.model.set_notes(report.notes if report else ())
        self.roster.set_roster(areas, report.roster if report else ())
        self.capture.set_owners(sorted({r.owner for r in self.model.rows() if r.owner}))
        self._update_state()
        if not (selected and self.select_request(selected)):
            self._show_detail()
        self._refresh_stats()

    def _on_ctx_data_changed(self, kind: str, code: str) -> None:
        if kind in _RELOAD_KINDS and self._code and (not code or code == self._code):
            self.reload()

    def _on_timer_timeout(self) -> None:
        self.model.tick()
        self._refresh_stats()
        self._show_detail()

    def _refresh_stats(self) -> None:
        stats: RequestStats | None = None
        if self._code and self._ctx.workspace is not None:
            stats = request_statistics(self.model.rows(), self.model.now, self.model.target)
        self.headline.setText(stats_headline(stats) if self._code else
                              "Choose an inspection to log its requests.")
        self.stats.show_stats(stats)

    def editable(self) -> bool:
        return bool(self._code) and not self._ctx.read_only and not self._locked

    def _update_state(self) -> None:
        if self._ctx.read_only and not self._ctx.read_only_notice_shown and self._code:
            self.banner.show_text(f"{READ_ONLY.symbol} This workspace is open read-only: "
                                  "requests can be viewed but not logged or changed.")
        elif self._locked:
            self.banner.show_text(f"{LOCKED_INSPECTION.symbol} Signed off — this inspection's "
                                  "request log is read-only until it is reopened "
                                  "(Inspection ▸ Reopen).")
        else:
            self.banner.show_text("")
        editable = self.editable()
        for w in (self.capture, self.target, self.predict_button):
            w.setEnabled(editable if w is not self.target else not self._ctx.read_only
                         and self._ctx.workspace is not None)
        self.notes.set_editable(editable)
        self.roster.set_editable(editable)

    # -- selection ----------------------------------------------------------------------
    def selected_request(self) -> RequestView | None:
        index = self.table.currentIndex()
        row = index.data(RowRole) if index.isValid() else None
        return row if isinstance(row, RequestView) else None

    def selected_code(self) -> str:
        req = self.selected_request()
        return req.code if req is not None else ""

    def select_request(self, code: str) -> bool:
        source_row = self.model.row_of(code)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self._show_detail()
        return True

    def _step_selection(self, step: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row()
        row = 0 if current < 0 else min(max(current + step, 0), rows - 1)
        self.select_request(str(self.proxy.index(row, 0).data(RowRole).code))

    def _on_current_row_changed(self, _cur: QModelIndex, _prev: QModelIndex) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        self.detail.show_request(self.selected_request(), editable=self.editable(),
                                 now=self.model.now)

    def now(self) -> dt.datetime:
        return self.model.now
