"""Checklist runner: walk the selected elements question by question, from the keyboard.

Left, the tree (areas → elements → questions) with a mark per question and progress per area;
right, the question panel. Keys: 1 Conforms, 2 Minor gap, 3 Major gap, 4 N/A, 0 Not assessed;
F8 / Shift+F8 next / previous unanswered; F9 next gap; Ctrl+F search. Every change is an
undoable command; nothing needs saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.views.checklist import ChecklistData, load_checklist, load_response
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.conflicts import save_resolving_conflicts
from qmsr_ready.ui.dialogs.finding_editor import FindingEditor
from qmsr_ready.ui.models.checklist_model import (
    KIND_QUESTION,
    ChecklistFilterProxy,
    ChecklistTreeModel,
    IdRole,
    NodeRole,
)
from qmsr_ready.ui.presentation import (
    LOCKED_INSPECTION,
    MARGIN,
    READ_ONLY,
    RESULT_SHORTCUTS,
    SPACING,
)
from qmsr_ready.ui.widgets.banner import LockBanner
from qmsr_ready.ui.widgets.flow_layout import flow_container
from qmsr_ready.ui.widgets.key_elide import KeyElideDelegate
from qmsr_ready.ui.widgets.question_panel import QuestionPanel

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

GAPS = (Result.MINOR_GAP.value, Result.MAJOR_GAP.value)
_RELOAD_KINDS = {"response", "evidence", "inspection", "signoff", ""}


class ChecklistRunnerView(QWidget):
    """The working view for answering an inspection's questions."""

    finding_editor_opened = Signal(object)  # the FindingEditor, for hosts and tests

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._code = ""
        self._data: ChecklistData | None = None
        # Set when one response row was just updated in place: the data_changed("response")
        # that follows the same write then needs no reload.
        self._row_updated = False
        self.setObjectName("checklistRunner")

        self.banner = LockBanner(self)
        self.message = LockBanner(self, tone="problem")

        self.model = ChecklistTreeModel(self)
        self.proxy = ChecklistFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName("Checklist questions")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setItemDelegateForColumn(0, KeyElideDelegate(0, self.tree))  # IDs stay whole
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMinimumWidth(self._tree_minimum_width())
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setAccessibleName("Show")
        for label, mode in (("All questions", "all"), ("Unanswered", "unanswered"),
                            ("Gaps only", "gaps")):
            self.filter_combo.addItem(label, mode)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search questions and citations  (Ctrl+F)")
        self.search.setAccessibleName("Search questions and citations")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.prev_button = QPushButton("◀ Unanswered", self)
        self.next_button = QPushButton("Unanswered ▶", self)
        self.gap_button = QPushButton("Next gap ▶", self)
        for button, key in ((self.prev_button, "Shift+F8"), (self.next_button, "F8"),
                            (self.gap_button, "F9")):
            button.setToolTip(f"{button.text()}  ({key})")
            button.setAccessibleName(f"{button.text().strip('◀▶ ')} ({key})")
        self.prev_button.clicked.connect(lambda: self.go_unanswered(forward=False))
        self.next_button.clicked.connect(lambda: self.go_unanswered(forward=True))
        self.gap_button.clicked.connect(self.go_next_gap)
        self.progress_label = QLabel(self)
        self.progress_label.setAccessibleName("Progress")

        self.panel = QuestionPanel(ctx, self)
        self.panel.changes_committed.connect(self._on_panel_changes_committed)
        self.panel.raise_finding_requested.connect(self.open_raise_finding)
        self.panel.evidence.failed.connect(self.message.show_text)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_combo)
        filter_row.addWidget(self.search, 1)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.tree, 1)
        nav_bar, nav_row = flow_container(left, SPACING // 2)  # wraps on a narrow pane
        nav_row.addWidget(self.prev_button)
        nav_row.addWidget(self.next_button)
        nav_row.addWidget(self.gap_button)
        left_layout.addWidget(nav_bar)
        left_layout.addWidget(self.progress_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([380, 900])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

        self._install_shortcuts()
        ctx.response_recorded.connect(self._on_ctx_response_recorded)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        ctx.workspace_about_to_change.connect(self.panel.flush)
        ctx.flush_requested.connect(self.panel.flush)
        ctx.discard_requested.connect(self.panel.forget_edits)
        ctx.workspace_changed.connect(self._on_ctx_workspace_changed)

    def _install_shortcuts(self) -> None:
        keys: list[tuple[str, Any]] = [
            (RESULT_SHORTCUTS[r], lambda r=r: self.panel.choose_result(r.value))
            for r in RESULT_SHORTCUTS
        ]
        keys += [
            ("F8", lambda: self.go_unanswered(forward=True)),
            ("Shift+F8", lambda: self.go_unanswered(forward=False)),
            ("F9", self.go_next_gap),
            ("Ctrl+F", self.search.setFocus),
        ]
        self.shortcuts: list[QShortcut] = []
        for key, handler in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)
            self.shortcuts.append(shortcut)

    # -- loading ------------------------------------------------------------------------
    @property
    def inspection_code(self) -> str:
        return self._code

    @property
    def editable(self) -> bool:
        data = self._data
        return data is not None and not self._ctx.read_only and not data.signed_off

    def _on_ctx_workspace_changed(self) -> None:
        # The old workspace's edits were flushed before it went (and what was refused asked
        # about, ui.unsaved): none may land in the new one.
        self.panel.forget_edits()
        self.set_inspection("")

    def set_inspection(self, code: str) -> None:
        """Show another inspection (or none)."""
        self.panel.flush()
        self.panel.forget_edits()  # refused text is kept in ctx.unsaved, by its own inspection
        self._code = code
        self.message.show_text("")  # before the load: a refusal to load stays shown
        self._data = self._load() if code else None
        self.model.load(self._data)
        self.tree.expandAll()
        self.panel.show_question(self._data, None, None)
        self._update_state()
        if self._data is not None and not self.go_unanswered(forward=True):
            self._select_first()

    def _load(self) -> ChecklistData | None:
        if self._ctx.workspace is None:
            return None
        try:
            with self._ctx.read() as session:
                return load_checklist(session, self._code)
        except QmsrError as exc:
            self.message.show_text(exc.message)
            return None

    def _on_ctx_response_recorded(self, code: str, question_id: str) -> None:
        """One answer was saved (here, by undo/redo or another view): update that row only."""
        if not self._code or code != self._code or self._data is None:
            return
        try:
            with self._ctx.read() as session:
                response = load_response(session, code, question_id)
        except QmsrError as exc:
            self.message.show_text(exc.message)
            return
        self._row_updated = True
        self._data = self._data.with_response(response)
        self.model.set_result(question_id, response.result)
        if self.panel.question_id == question_id:
            self.panel.show_stored_response(response)
        self._update_state()

    def _on_ctx_data_changed(self, kind: str, code: str) -> None:
        if kind == "response" and self._row_updated:
            self._row_updated = False  # this write's one row is already on screen
            return
        if not self._code or (code and code != self._code) or kind not in _RELOAD_KINDS:
            return
        self.panel.flush()
        data = self._load()
        if data is None:
            return
        self._data = data
        self.model.set_results({qid: r.result for qid, r in data.responses.items()})
        self.panel.refresh(data)
        self._update_state()

    def _update_state(self) -> None:
        data = self._data
        if self._ctx.read_only and self._ctx.read_only_notice_shown:
            self.banner.show_text("")
        elif self._ctx.read_only:
            self.banner.show_text(
                f"{READ_ONLY.symbol} This workspace is open read-only (another window or "
                "process has it open). You can look, but not change anything."
            )
        elif data is not None and data.signed_off:
            self.banner.show_text(
                f"{LOCKED_INSPECTION.symbol} Signed off — this inspection is read-only. "
                "Reopen it (Inspection ▸ Reopen) to make changes."
            )
        else:
            self.banner.show_text("")
        self.panel.set_editable(self.editable)
        if data is None:
            self.progress_label.setText("No inspection open.")
            return
        ids = self.model.question_ids()
        answered = sum(Result(self.model.result(q)).is_answered for q in ids)
        gaps = sum(self.model.result(q) in GAPS for q in ids)
        self.progress_label.setText(
            f"{answered} of {len(ids)} answered · {gaps} gap{'s' if gaps != 1 else ''}"
        )

    # -- navigation ---------------------------------------------------------------------
    def _tree_minimum_width(self) -> int:
        """Room for a question ID three levels deep beside the widest progress mark.

        Why: at 125 % the pane shrank until IDs read "PS-…"; the text after the ID may elide,
        the ID may not.
        """
        metrics = self.tree.fontMetrics()
        icon = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        id_column = 3 * self.tree.indentation() + icon + metrics.horizontalAdvance("MM-00-Q00 …")
        progress = metrics.horizontalAdvance("○ Not applicable") + 16
        scrollbar = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return id_column + 24 + progress + scrollbar + 2 * self.tree.frameWidth()

    def current_question_id(self) -> str:
        return self.panel.question_id

    def select_question(self, question_id: str) -> bool:
        """Show a question in the panel and select it in the tree if the filter shows it."""
        question = self.model.question(question_id)
        if question is None or self._data is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index_for(question_id))
        if proxy_index.isValid():
            self.tree.scrollTo(proxy_index)
            self.tree.selectionModel().setCurrentIndex(
                proxy_index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        if self.panel.question_id != question_id:
            self._show(question_id)
        return True

    def _show(self, question_id: str) -> None:
        question = self.model.question(question_id)
        if question is None or self._data is None:
            return
        area = next(a for a in self._data.areas if a.area_id == question.area_id)
        element = next(e for e in area.elements if e.element_id == question.element_id)
        crumb = f"{area.area_id} {area.title}  ›  {element.element_id} {element.title}"
        self.panel.show_question(self._data, question, crumb)

    def _select_first(self) -> None:
        ids = self.model.question_ids()
        if ids:
            self.select_question(ids[0])

    def _step(self, forward: bool, wanted: tuple[str, ...]) -> bool:
        ids = self.model.question_ids()
        if not ids:
            return False
        current = self.current_question_id()
        start = ids.index(current) if current in ids else (-1 if forward else len(ids))
        order = ids[start + 1:] + ids[: start + 1] if forward else (
            list(reversed(ids[:start])) + list(reversed(ids[start:]))
        )
        for question_id in order:
            if question_id != current and self.model.result(question_id) in wanted:
                return self.select_question(question_id)
        return False

    def go_unanswered(self, forward: bool = True) -> bool:
        """Move to the next (or previous) unanswered question, wrapping around."""
        return self._step(forward, (Result.NOT_ASSESSED.value,))

    def go_next_gap(self) -> bool:
        return self._step(True, GAPS)

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(NodeRole) == KIND_QUESTION:
            question_id = str(current.data(IdRole))
            if question_id != self.panel.question_id:
                self._show(question_id)

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.proxy.set_mode(str(self.filter_combo.currentData()))
        self.tree.expandAll()

    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self.tree.expandAll()

    # -- editing ------------------------------------------------------------------------
    def record(self, question_id: str, changes: dict[str, Any], *,
               code: str | None = None) -> QmsrError | None:
        """Record response fields of ``question_id`` (of ``code``, by default the inspection
        shown) through an undoable command."""
        code = self._code if code is None else code
        if not self.editable or code != self._code:
            return QmsrError("This inspection cannot be changed (signed off or read-only).")
        shown = self._data.response(question_id) if self._data is not None else None
        base = self._ctx.unsaved.base_for(
            code, question_id, changes,
            {name: getattr(shown, name) for name in changes} if shown is not None else None)
        self.message.show_text("")  # before: what the save's own refresh says stays shown
        error = save_resolving_conflicts(
            self._ctx, self,
            lambda expected: RecordResponseCommand(
                self._ctx, code, question_id, changes, on_error=self._on_command_error,
                base=base, expected_revision=expected,
            ),
            what=f"The answer to {question_id}",
            on_reload=lambda: self._on_ctx_data_changed("", self._code),
        )
        if error:
            self.message.show_text(error.message)
        if error and {"sample_population", "sample_size"} & changes.keys() \
                and question_id == self.panel.question_id:
            self.panel.revert_sampling()  # never leave a refused number on screen
        # typing a save refused stays, unsaved, until a later save takes it (ui.unsaved)
        kept = self._ctx.unsaved.settle(code, question_id, changes, base,
                                        error.message if error else None)
        if kept:
            self.panel.keep_unsaved(question_id, kept)
        return error

    def _on_panel_changes_committed(self, question_id: str, changes: dict[str, Any]) -> None:
        self.record(question_id, changes, code=self.panel.inspection_code)

    def _on_command_error(self, error: QmsrError) -> None:
        self.message.show_text(error.message)

    def open_raise_finding(self, question_id: str | None = None) -> FindingEditor | None:
        """Open the finding editor prefilled from a question (non-blocking)."""
        question_id = question_id or self.current_question_id()
        question = self.model.question(question_id) if question_id else None
        if question is None or not self.editable or self._data is None:
            return None
        response = self._data.response(question_id)
        major = response.result == Result.MAJOR_GAP
        title = question.text if len(question.text) <= 120 else question.text[:117] + "…"
        prefill = {
            "title": title,
            "classification": "major" if major else "minor",
            "question_ids": [question_id],
            "requirement": "; ".join(question.citations),
            # what is on screen: typing not saved yet (refused, kept) counts
            "objective_evidence": (self.panel.notes.toPlainText()
                                   if self.panel.question_id == question_id else response.notes),
        }
        editor = FindingEditor(self._ctx, self._code, prefill=prefill, parent=self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        self.finding_editor_opened.emit(editor)
        return editor
