"""Findings register: every finding of the inspection (or of all), filtered and sorted.

Overdue findings stand out (tinted row, "⚠ Overdue" beside the due date). Enter or a double
click opens the finding editor; the register refreshes itself from ``ctx.data_changed``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.views.findings import inspection_locked, local_today
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.dialogs.finding_editor import FindingEditor
from qmsr_ready.ui.models.findings_model import (
    COL,
    FindingListRow,
    FindingsFilterProxy,
    FindingsTableModel,
    RowRole,
    load_finding_rows,
)
from qmsr_ready.ui.presentation import (
    CLASSIFICATION_LOOK,
    FINDING_STATUS_LOOK,
    LOCKED_INSPECTION,
    MARGIN,
    OVERDUE,
    READ_ONLY,
    SPACING,
)
from qmsr_ready.ui.widgets.banner import LockBanner
from qmsr_ready.ui.widgets.column_chooser import sort_by_a_shown_column
from qmsr_ready.ui.widgets.column_fit import ColumnFitter
from qmsr_ready.ui.widgets.flow_layout import flow_container

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

_RELOAD_KINDS = {"finding", "inspection", "signoff", "evidence", ""}


class FindingsRegisterView(QWidget):
    """Filterable, sortable table of findings with an editor one keypress away."""

    finding_editor_opened = Signal(object)  # the FindingEditor, for hosts and tests

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._code = ""
        self._totals = (0, 0)  # (overdue, not closed) over all loaded rows
        # What the model holds: (workspace, scope) of the last load, None when stale. Opening a
        # workspace emits workspace_changed, then current_inspection_changed(""), then the home
        # list picks an inspection: with "All inspections" on, each read the same 5,000 rows
        # again (three loads per open); a scope already loaded is not read again.
        self._loaded: tuple[object, str] | None = None
        self.setObjectName("findingsRegister")

        self.model = FindingsTableModel(self)
        self.proxy = FindingsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Findings")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL["Code"], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Every row one height (Qt's uniform rows for a table): nothing asks 5,000 rows' sizes.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        # Title takes what the short columns (fitted to content, capped) leave, never under a
        # floor: on 1280x720 at 125 % it used to shrink to "Co…".
        # Fit columns to the rows on screen, not to every row: measuring 1,000 rows of ten
        # columns on each reload took seconds with 5,000 findings (issue 13 open-to-register).
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        self.column_fit = ColumnFitter(
            self.table, [COL["Title"]], floor_chars=24, cap_chars=22,
            vocabulary={COL["Class"]: [look.text for look in CLASSIFICATION_LOOK.values()],
                        COL["Status"]: [look.text for look in FINDING_STATUS_LOOK.values()],
                        COL["Risk"]: ["25"], COL["483"]: ["Yes"],
                        # every due date is this wide; an overdue one is bold, with its mark
                        COL["Due"]: [f"0000-00-00  {OVERDUE.text}"]},
            bold=[COL["Due"]],
        )
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        open_key = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        open_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_key.activated.connect(self.open_selected)

        self.status_filter = QComboBox(self)
        self.status_filter.addItem("Any status", "")
        self.status_filter.addItem("Not closed", FindingsFilterProxy.OPEN_STATUSES)
        for status in FindingStatus:
            self.status_filter.addItem(FINDING_STATUS_LOOK[status].text, status.value)
        self.class_filter = QComboBox(self)
        self.class_filter.addItem("Any class", "")
        for c in Classification:
            self.class_filter.addItem(CLASSIFICATION_LOOK[c].text, c.value)
        self.area_filter = QComboBox(self)
        self.owner_filter = QComboBox(self)
        self.overdue_filter = QCheckBox(f"{OVERDUE.symbol} Overdue only", self)
        self.all_inspections = QCheckBox("All inspections", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search code, title, owner, question")
        self.search.setClearButtonEnabled(True)
        for widget, name in (
            (self.status_filter, "Filter by status"), (self.class_filter, "Filter by class"),
            (self.area_filter, "Filter by area"), (self.owner_filter, "Filter by owner"),
            (self.search, "Search findings"),
        ):  # fmt: skip
            widget.setAccessibleName(name)
        for combo in (self.status_filter, self.class_filter, self.area_filter, self.owner_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.overdue_filter.toggled.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.all_inspections.toggled.connect(self.reload)

        self.open_button = QPushButton("Open…", self)
        self.open_button.setAccessibleName("Open the selected finding")
        self.open_button.clicked.connect(self.open_selected)
        self.new_button = QPushButton("New finding…", self)
        self.new_button.clicked.connect(self.open_new)
        self.count_label = QLabel(self)
        self.banner = LockBanner(self)
        self.message = LockBanner(self, tone="problem")

        # The filters wrap onto a second row on a narrow window (1280x720 at 125 %) instead of
        # forcing the window wider than the screen or squeezing the search box to nothing.
        filter_bar, filters = flow_container(self, SPACING)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 34)
        for control in (self.status_filter, self.class_filter, self.area_filter,
                        self.owner_filter, self.overdue_filter, self.search, self.all_inspections):
            filters.addWidget(control)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.new_button)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        # Counts are refreshed after each reload and filter change, not per rowsRemoved range:
        # a filter over 5,000 rows can emit hundreds of ranges.
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        ctx.workspace_changed.connect(self._on_ctx_workspace_changed)
        self._refill_choices([])
        self._update_count()

    # -- loading ------------------------------------------------------------------------
    def set_inspection(self, code: str) -> None:
        """Show ``code``'s findings (with "All inspections" on, every finding: only the banner
        and the New button follow the code, the rows already shown are not read again)."""
        self._code = code
        if self._loaded is not None and self._loaded == (self._ctx.workspace, self._scope()):
            self._catch_up_with_today()
            self._update_state()
            return
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self._catch_up_with_today()
        super().showEvent(event)

    def _catch_up_with_today(self) -> None:
        """Left open past midnight, rows due yesterday are overdue now: a scope already loaded
        is not read again, so the day the rows were judged against moves on here (flags, tint,
        totals and "Overdue only"), from the rows already held."""
        today = local_today()
        if self._loaded is None or today == self.model.today:
            return
        rows = self.model.rows()
        self._set_rows(rows, today)  # every row's dataChanged: the proxy re-filters them
        self._update_count()

    def _scope(self) -> str:
        return "" if self.all_inspections.isChecked() else self._code

    def _on_ctx_workspace_changed(self) -> None:
        self._loaded = None
        self.set_inspection("")

    def reload(self) -> None:
        """Read the rows again (one pass; filters and sort are kept)."""
        rows: list[FindingListRow] = []
        scope = self._scope()
        if self._ctx.workspace is not None and (scope or self.all_inspections.isChecked()):
            with self._ctx.read() as session:
                rows = load_finding_rows(session, scope)
        self._loaded = (self._ctx.workspace, scope) if self._ctx.workspace is not None else None
        # Before the rows arrive: showing the column after them laid the table out twice.
        self.table.setColumnHidden(COL["Inspection"], not self.all_inspections.isChecked())
        sort_by_a_shown_column(self.table, (COL["Code"], Qt.SortOrder.AscendingOrder))
        self._set_rows(rows, local_today())
        self._refill_choices(rows)
        self._update_state()
        self._update_count()

    def _set_rows(self, rows: list[FindingListRow], today: dt.date) -> None:
        """Hand the rows to the model, keeping the selected finding selected: a reset (a finding
        raised or undone, a row moved by the sort column's edit) dropped the selection."""
        selected = self.selected_row()
        self.model.set_rows(rows, today=today)
        if selected is not None:
            now = self.selected_row()
            if now is None or (now.inspection_code, now.code) != (
                selected.inspection_code, selected.code
            ):
                self.select_finding(selected.inspection_code, selected.code)
        not_closed = [r for r in rows if r.status != FindingStatus.CLOSED]
        self._totals = (sum(r.overdue(today) for r in not_closed), len(not_closed))

    def _on_ctx_data_changed(self, kind: str, code: str) -> None:
        if kind not in _RELOAD_KINDS:
            return
        if self.all_inspections.isChecked() or not code or code == self._code:
            self.reload()

    def _refill_choices(self, rows: list[FindingListRow]) -> None:
        for combo, label, values in (
            (self.area_filter, "Any area", sorted({r.area_id for r in rows})),
            (self.owner_filter, "Any owner", sorted({r.owner for r in rows if r.owner})),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, "")
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        self.proxy.set_filters(
            status=str(self.status_filter.currentData() or ""),
            classification=str(self.class_filter.currentData() or ""),
            area=str(self.area_filter.currentData() or ""),
            owner=str(self.owner_filter.currentData() or ""),
            overdue_only=self.overdue_filter.isChecked(),
            text=self.search.text(),
        )
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        overdue, open_count = self._totals
        self.count_label.setText(
            f"Showing {shown} of {total} findings · {open_count} not closed · "
            f"{overdue} {OVERDUE.label.lower()}"
        )
        self.open_button.setEnabled(shown > 0)

    def _update_state(self) -> None:
        if self._ctx.read_only and self._ctx.read_only_notice_shown:
            self.banner.show_text("")
        elif self._ctx.read_only:
            self.banner.show_text(
                f"{READ_ONLY.symbol} This workspace is open read-only: findings can be "
                "viewed but not changed."
            )
        elif self._inspection_locked(self._code):
            self.banner.show_text(
                f"{LOCKED_INSPECTION.symbol} Signed off — findings of this inspection are "
                "read-only until it is reopened (Inspection ▸ Reopen)."
            )
        else:
            self.banner.show_text("")
        self.new_button.setEnabled(
            bool(self._code) and not self._ctx.read_only and not self._inspection_locked(self._code)
        )

    def _inspection_locked(self, code: str) -> bool:
        if not code or self._ctx.workspace is None:
            return False
        with self._ctx.read() as session:
            return inspection_locked(session, code)

    # -- opening ------------------------------------------------------------------------
    def selected_row(self) -> FindingListRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = index.data(RowRole)
        return row if isinstance(row, FindingListRow) else None

    def select_finding(self, inspection_code: str, finding_code: str) -> bool:
        """Select one finding's row; False when it is not loaded or filtered out."""
        source_row = self.model.row_of(inspection_code, finding_code)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def open_selected(self) -> FindingEditor | None:
        row = self.selected_row()
        if row is None:
            return None
        return self.open_finding(row.inspection_code, row.code)

    def open_finding(self, inspection_code: str, finding_code: str) -> FindingEditor | None:
        """Open the editor on one finding (non-blocking)."""
        try:
            editor = FindingEditor(
                self._ctx, inspection_code, finding_code,
                read_only=self._inspection_locked(inspection_code), parent=self,
            )  # fmt: skip
        except QmsrError as exc:
            self.message.show_text(exc.message)
            return None
        return self._show_editor(editor)

    def open_new(self) -> FindingEditor | None:
        if not self._code:
            return None
        return self._show_editor(FindingEditor(self._ctx, self._code, parent=self))

    def _show_editor(self, editor: FindingEditor) -> FindingEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        self.finding_editor_opened.emit(editor)
        return editor

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()
