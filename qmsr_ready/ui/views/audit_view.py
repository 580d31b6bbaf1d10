"""Audit trail viewer: filter the hash-chained events and verify the chain on a worker."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.audit import ChainReport, verify_chain
from qmsr_ready.core.views.audit import audit_events
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.audit_model import COLUMNS, AuditFilterProxy, AuditModel, AuditRow
from qmsr_ready.ui.presentation import BLUISH_GREEN, MARGIN, SPACING, VERMILLION
from qmsr_ready.ui.widgets.column_fit import ColumnFitter
from qmsr_ready.ui.widgets.flow_layout import flow_container
from qmsr_ready.ui.workers import Job, JobProgress

ALL = "All"


class AuditView(QWidget):
    """Every audit event (optionally only the current inspection's), filterable and verifiable."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = ""
        self.verify_job: Job | None = None
        self.model = AuditModel(self)
        self.proxy = AuditFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        top = QHBoxLayout()
        title = QLabel("Audit trail", self)
        title.setObjectName("viewTitle")
        top.addWidget(title)
        top.addStretch(1)
        self.verify_button = QPushButton(icon("lock"), "&Verify chain", self)
        self.verify_button.setAccessibleName("Verify audit chain")
        self.verify_button.clicked.connect(self.verify)
        top.addWidget(self.verify_button)
        layout.addLayout(top)
        self.result_label = QLabel("The chain has not been verified in this session.", self)
        self.result_label.setAccessibleName("Verification result")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        layout.addWidget(self._build_filters())
        self.table = QTableView(self)
        self.table.setAccessibleName("Audit events")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Changes takes the rest; a long ID or action is capped instead of pushing it off screen.
        self.column_fit = ColumnFitter(self.table, [COLUMNS.index("Changes")], floor_chars=24)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)
        ctx.workspace_changed.connect(self._on_ctx_workspace_changed)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        self._dirty = True  # a long trail is read when the view is first shown, not at start-up

    def _build_filters(self) -> QWidget:
        """Label-and-field pairs that wrap as a whole onto a second row on a narrow window."""
        bar, row = flow_container(self, SPACING)
        self.entity_combo = QComboBox(self)
        self.actor_combo = QComboBox(self)
        self.from_edit = QDateEdit(self)
        self.to_edit = QDateEdit(self)
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText("Search actions, IDs, changes…")
        self.text_edit.setClearButtonEnabled(True)
        self.only_current = QCheckBox("Current inspection only", self)
        for text, widget in (("&Entity:", self.entity_combo), ("&Who:", self.actor_combo),
                             ("&From:", self.from_edit), ("&To:", self.to_edit),
                             ("&Search:", self.text_edit)):  # fmt: skip
            pair = QWidget(self)
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text, pair)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            pair_layout.addWidget(label)
            pair_layout.addWidget(widget)
            row.addWidget(pair)
        self.text_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 34)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText("any")
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
            edit.dateChanged.connect(self.apply_filters)
        row.addWidget(self.only_current)
        self.entity_combo.currentTextChanged.connect(self.apply_filters)
        self.actor_combo.currentTextChanged.connect(self.apply_filters)
        self.text_edit.textChanged.connect(self.apply_filters)
        self.only_current.toggled.connect(self.reload)
        return bar

    def set_inspection(self, code: str) -> None:
        self.code = code
        if self.only_current.isChecked():
            self._on_ctx_data_changed("inspection", code)

    def reload(self) -> None:
        if self.ctx.workspace is None:
            self.model.set_rows([])
        else:
            code = self.code if self.only_current.isChecked() and self.code else None
            with self.ctx.read() as session:
                events = audit_events(session, inspection_code=code)
                self.model.set_rows([AuditRow.from_event(e) for e in events])
        self._dirty = False
        rows = self.model.rows()
        self._refill(self.entity_combo, sorted({r.entity_type for r in rows}))
        self._refill(self.actor_combo, sorted({r.actor for r in rows}))
        self.verify_button.setEnabled(self.ctx.workspace is not None)
        self.apply_filters()

    @staticmethod
    def _refill(combo: QComboBox, values: list[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([ALL, *values])
        combo.setCurrentIndex(max(0, combo.findText(current)))
        combo.blockSignals(False)

    def apply_filters(self, *_args: object) -> None:
        def day(edit: QDateEdit) -> dt.date | None:
            value = None if edit.date() == edit.minimumDate() else edit.date().toPython()
            return value if isinstance(value, dt.date) else None

        entity = self.entity_combo.currentText()
        actor = self.actor_combo.currentText()
        self.proxy.set_filters(
            entity_type="" if entity == ALL else entity, actor="" if actor == ALL else actor,
            date_from=day(self.from_edit), date_to=day(self.to_edit), text=self.text_edit.text(),
        )
        text = f"{self.proxy.rowCount()} of {self.model.rowCount()} events"
        start, end = day(self.from_edit), day(self.to_edit)
        if start and end and end < start:
            text += " — the To date is before the From date, so nothing can match"
        self.count_label.setText(text)

    def verify(self) -> None:
        """Run the chain check on a worker; the result shows in words and colour."""
        workspace = self.ctx.workspace
        if workspace is None:
            return

        def job(_progress: JobProgress) -> ChainReport:
            with workspace.session() as session:
                return verify_chain(session)

        self.verify_button.setEnabled(False)
        self.result_label.setText("Verifying…")
        self.verify_job = self.ctx.workers.start(
            job, on_result=self._on_verify_result, on_error=self._on_verify_error
        )

    def _on_verify_result(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            text = (f"✓ Verified: all {report.event_count} events are intact. "
                    f"Head hash {report.head_hash[:16]}…")
            color = BLUISH_GREEN
        else:
            text = f"✖ Verification FAILED at event {report.first_broken_seq}: {report.problem}"
            color = VERMILLION
        self.result_label.setText(text)
        self.result_label.setStyleSheet(f"color: {color}; font-weight: 600;")

    def _on_verify_error(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.result_label.setText(f"✖ Verification could not run: {exc}")
        self.result_label.setStyleSheet(f"color: {VERMILLION}; font-weight: 600;")

    def _on_ctx_workspace_changed(self) -> None:
        self.result_label.setText("The chain has not been verified in this session.")
        self.result_label.setStyleSheet("")
        self._on_ctx_data_changed("workspace", "")

    def _on_ctx_data_changed(self, _kind: str, _code: str) -> None:
        # Large trails: reload only while visible; otherwise on the next show.
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.reload()
        super().showEvent(event)
