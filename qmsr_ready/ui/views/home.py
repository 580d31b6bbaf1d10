"""Home: the inspections list (sortable, filterable) or, on an empty workspace, the first steps."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import Cancelled, QmsrError
from qmsr_ready.core.paths import user_data_dir
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.errors import show_error
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.inspections_model import (
    CHANGED_SINCE_EXPORT,
    CODE_ROLE,
    COLUMNS,
    EXPORT_UP_TO_DATE,
    READINESS_TEXTS,
    SORT_ROLE,
    InspectionRow,
    InspectionsModel,
    Readiness,
    read_export_state,
)
from qmsr_ready.ui.presentation import MARGIN, SPACING
from qmsr_ready.ui.widgets.column_chooser import ColumnChooser
from qmsr_ready.ui.widgets.column_fit import ColumnFitter, text_width
from qmsr_ready.ui.widgets.elide_middle import ElideMiddleDelegate
from qmsr_ready.ui.workers import Job, JobProgress

if TYPE_CHECKING:
    from qmsr_ready.core.views.home_fast import FastInspectionLine

log = logging.getLogger(__name__)

# Columns that give way on a narrow window, in order of need (the last goes first): what a site
# quality lead needs least when scanning the list. Last export is bookkeeping (the status bar and
# the Export dialog say it for the inspection at hand); Model follows from the type (Model 2 for
# baseline surveillance and PMA preapproval) and the dashboard names both; the title usually says
# the type; the status says whether it is ahead, under way or done; readiness says more than
# progress. Code, Title, Site, Status, Readiness and Open findings always stay.
OPTIONAL_COLUMNS = ("Progress", "Dates", "Type", "Model", "Last export")
# The list's order at start, and when the column it was sorted by is hidden (by the user or to fit).
DEFAULT_SORT = (COLUMNS.index("Code"), Qt.SortOrder.AscendingOrder)


def _readiness_job(
    ctx: AppContext, codes: list[str]
) -> Callable[[JobProgress], dict[str, Readiness]]:
    workspace = ctx.workspace

    def job(progress: JobProgress) -> dict[str, Readiness]:
        from qmsr_ready.core.report.summary import readiness_summary

        values: dict[str, Readiness] = {}
        if workspace is None:
            return values
        with workspace.session() as session:
            for i, code in enumerate(codes):
                progress.check()
                summary = readiness_summary(session, code)  # light: no chain walk, no log
                values[code] = (summary.score, summary.verdict)
                progress.report(i + 1, len(codes), code)
        return values

    return job


class HomeView(QWidget):
    """Lists inspections; picking one makes it the current inspection for every view.

    Importing this module loads no SQLAlchemy: at start-up the window builds this view first and
    shows the lines of ``core.views.home_fast`` (``show_preview``) while the workspace opens; the
    full read then replaces them in place (same order, the "…" cells filled).
    """

    new_inspection_requested = Signal()
    open_workspace_requested = Signal(str)
    inspection_activated = Signal(str)  # double-click / Enter: open it in the checklist

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._readiness: Job | None = None
        self._dirty = False
        self._preview = False  # showing the start-up lines until the workspace opens
        self._refusal = ""  # why the full read refused the list (shown instead of the count)
        self.model = InspectionsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_list_page())
        self.pages.addWidget(self._build_empty_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        ctx.workspace_changed.connect(self.reload)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        self.reload()

    # -- construction -----------------------------------------------------------------------
    def _build_list_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        top = QHBoxLayout()
        title = QLabel("Inspections", page)
        title.setObjectName("viewTitle")
        top.addWidget(title)
        top.addStretch(1)
        self.filter_edit = QLineEdit(page)
        self.filter_edit.setPlaceholderText("Filter by code, site, type, status…")
        self.filter_edit.setAccessibleName("Filter inspections")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(280)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_edit.textChanged.connect(self._update_count)
        top.addWidget(self.filter_edit)
        self.new_button = QPushButton(icon("new"), "New inspection…", page)
        self.new_button.setAccessibleName("New inspection")
        self.new_button.clicked.connect(self.new_inspection_requested)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.table = QTableView(page)
        self.table.setObjectName("inspectionsTable")
        self.table.setAccessibleName("Inspections")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(*DEFAULT_SORT)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        site = COLUMNS.index("Site")  # sites of one company differ at the end, not the start
        self.table.setItemDelegateForColumn(site, ElideMiddleDelegate(self.table))
        self.table.verticalHeader().hide()
        # The long texts (Title, Site) share the width; the rest fit their content, capped.
        # Progress, Readiness and Last export show "…" in the start-up preview (Readiness until
        # its worker is done): their room is kept for the widest full text, so the columns do
        # not widen when the full list or the readiness replaces the "…".
        def widest(text: str) -> int:
            return text_width(self.table.font(), text)

        # Title and Site keep room for about 20 letters of their text (25 average characters:
        # the letters of a title are wider than the font's average) before a column gives way.
        self.column_fit = ColumnFitter(
            self.table, [COLUMNS.index("Title"), COLUMNS.index("Site")], cap_chars=32,
            floor_chars=25, optional=[COLUMNS.index(name) for name in OPTIONAL_COLUMNS],
            reserve={COLUMNS.index("Progress"): "888/888 (100%)",
                     COLUMNS.index("Readiness"): max(READINESS_TEXTS, key=widest),
                     COLUMNS.index("Last export"): max(
                         (CHANGED_SINCE_EXPORT.text, EXPORT_UP_TO_DATE.text, "Never exported"),
                         key=widest)},
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.activated.connect(self._on_table_activated)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(page)
        self.count_label.setAccessibleName("Inspection count")
        self.count_label.setWordWrap(True)  # a refused list says why here, in a sentence or two
        layout.addWidget(self.count_label)
        # The user's choice of columns (header menu), restored; the count says what gave way.
        self.column_fit.auto_hidden_changed.connect(self._update_count)
        self.column_chooser = ColumnChooser(self.table, self.ctx.settings, "home",
                                            locked=[COLUMNS.index("Code")], fitter=self.column_fit,
                                            default_sort=DEFAULT_SORT)
        return page

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        outer.addStretch(2)
        logo = QLabel(page)
        logo.setPixmap(icon("app").pixmap(72, 72))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(logo)
        title = QLabel("Get ready for your FDA inspection", page)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(title)
        text = QLabel(
            "This workspace has no inspections yet. Plan a mock inspection of your site from the "
            "QMSR checklist, or explore a demonstration workspace with one already under way.",
            page,
        )
        text.setObjectName("emptyText")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        outer.addLayout(row)
        buttons = QHBoxLayout()
        buttons.setSpacing(MARGIN * 2)
        buttons.addStretch(1)
        self.start_button = QPushButton(icon("new"), "Start a new inspection", page)
        self.demo_button = QPushButton(icon("open"), "Open a demonstration workspace", page)
        for button in (self.start_button, self.demo_button):
            button.setIconSize(QSize(22, 22))
            button.setObjectName("bigButton")
            button.setAccessibleName(button.text())
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.start_button.clicked.connect(self.new_inspection_requested)
        self.demo_button.clicked.connect(self.open_demo)
        outer.addSpacing(MARGIN)
        outer.addLayout(buttons)
        outer.addStretch(3)
        return page

    # -- behaviour --------------------------------------------------------------------------
    def set_inspection(self, code: str) -> None:
        """Select ``code`` in the table (no-op when already current or absent)."""
        row = self.model.row_of(code)
        if row < 0:
            return
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if proxy_index.isValid() and self.table.currentIndex().row() != proxy_index.row():
            self.table.setCurrentIndex(proxy_index)

    def show_preview(self, lines: Sequence[FastInspectionLine]) -> None:
        """Show the start-up read's lines until the workspace opens (``end_preview``)."""
        self._preview = True
        self.model.set_rows([InspectionRow.from_fast(line) for line in lines])
        self.pages.setCurrentIndex(0 if lines else 1)
        self.start_button.setEnabled(False)  # nothing to add to before the workspace is open
        self.new_button.setEnabled(False)
        self._update_count()

    def end_preview(self) -> None:
        """The open is over: if it failed (no workspace), drop the start-up lines."""
        if self._preview:
            self._preview = False
            self.reload()

    def reload(self) -> None:
        """Re-read the inspection list; readiness is recomputed on a worker."""
        self._dirty = False
        if self.ctx.workspace is None and self._preview:
            return  # the start-up lines stay until the workspace opens or fails to
        self._preview = False
        if self.ctx.workspace is None:
            self._refusal = ""
            self.model.set_rows([])
            self.pages.setCurrentIndex(0)
            self.count_label.setText("No workspace is open.")
            return
        from qmsr_ready.core.damaged_rows import refuse_damaged_rows
        from qmsr_ready.core.services.queries import list_inspections

        self._refusal = ""
        self.start_button.setEnabled(not self.ctx.read_only)
        self.new_button.setEnabled(not self.ctx.read_only)
        try:
            with self.ctx.read() as session:
                summaries = list_inspections(session)
                # a BLOB title or text in a count: one message, like export, not garbled cells
                refuse_damaged_rows(session, summaries, "The inspection list")
                rows = [
                    replace(InspectionRow.from_summary(s),
                            export=read_export_state(session, s.code))
                    for s in summaries
                ]
        except Exception as exc:
            # No row may stay from before (the start-up lines, "…" cells, clickable): the list
            # is empty and says why; a bug still reaches the error hook after that.
            self._start_readiness([])
            self.model.set_rows([])
            self.pages.setCurrentIndex(0)
            self._refusal = (exc.message if isinstance(exc, QmsrError)
                             else "The inspection list could not be read.")
            self._update_count()
            if not isinstance(exc, QmsrError):
                raise
            log.warning("inspection list refused: %s", exc)
            return
        self.model.set_rows(rows)
        self.pages.setCurrentIndex(0 if rows else 1)
        self._update_count()
        self.set_inspection(self.ctx.current_inspection)
        self._start_readiness([r.code for r in rows if not r.readiness_known])

    def _update_count(self, *_args: object) -> None:
        if self._refusal:
            self.count_label.setText(self._refusal)
            return
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        noun = f"inspection{'s' if total != 1 else ''}"
        text = f"{total} {noun}" if shown == total else f"Showing {shown} of {total} {noun}"
        hidden = len(self.column_fit.auto_hidden)
        if hidden:  # nothing disappears silently
            text += (f" · {hidden} column{'s' if hidden != 1 else ''} hidden to fit — "
                     "right-click the header to choose")
        self.count_label.setText(text)

    def _start_readiness(self, codes: list[str]) -> None:
        if self._readiness is not None and not self._readiness.done:
            self._readiness.cancel()
        if not codes:
            return
        self._readiness = self.ctx.workers.start(
            _readiness_job(self.ctx, codes),
            on_result=self.model.set_readiness,
            on_error=self._on_readiness_failed,
        )

    def _on_readiness_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return  # a newer list asked for readiness again: not a failure
        log.warning("readiness computation failed: %s", exc)

    def _on_ctx_data_changed(self, kind: str, code: str) -> None:
        # Readiness of the edited inspection is stale; recompute just that one.
        if kind in ("response", "finding", "inspection", "signoff", "site", "evidence", "export"):
            if kind != "export":  # an export changes the "last export" mark, not readiness
                self.model.forget_readiness(code)
            # Autosaves in the checklist fire often: re-read only while the list is on screen.
            if self.isVisible():
                self.reload()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.reload()
        super().showEvent(event)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        if code:
            self.ctx.set_current_inspection(code)

    def _on_table_activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.ctx.set_current_inspection(code)
            self.inspection_activated.emit(code)

    def open_demo(self) -> None:
        """Build (once) and open the demonstration workspace, using the same code as the CLI."""
        try:
            demo = importlib.import_module("qmsr_ready.core.demo")
            build_demo = demo.build_demo
        except (ImportError, AttributeError):
            message = "The demonstration workspace is not available in this build."
            show_error(self, QmsrError(message))
            return
        path = user_data_dir() / "demo.qmsr"
        if path.exists():
            self.open_workspace_requested.emit(str(path))
            return
        self.demo_button.setEnabled(False)
        self.ctx.workers.start(
            lambda _progress: build_demo(Path(path)),
            on_result=lambda _r: self.open_workspace_requested.emit(str(path)),
            on_error=self._on_demo_failed,
        )

    def _on_demo_failed(self, exc: BaseException) -> None:
        self.demo_button.setEnabled(True)
        show_error(self, exc)
