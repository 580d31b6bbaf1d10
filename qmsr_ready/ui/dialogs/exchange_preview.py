"""Preview of an import or merge: every change and conflict, decided field by field, then Apply.

The dialog only collects decisions; it writes nothing. The caller (``ui.exchange_ops``) applies
the plan with ``decisions()`` as one undo step when the dialog is accepted, so Cancel changes
nothing by construction.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.exchange.plan import Choice, ExchangePlan, FieldKey, Outcome
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.exchange_model import (
    COL_DECISION,
    COL_ITEM,
    COL_MINE,
    COL_OUTCOME,
    COL_THEIRS,
    COL_WHERE,
    NEW_LOOK,
    OUTCOME_LOOK,
    REPORTED_LOOK,
    VALUES_ROLE,
    ConflictFilterProxy,
    ExchangeTreeModel,
    ReportedRowsModel,
)
from qmsr_ready.ui.presentation import MARGIN, SPACING

_EXPAND_LIMIT = 400  # rows expanded on open; a bigger plan opens collapsed (still one click)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def counts_text(plan: ExchangePlan, undecided: int) -> str:
    """The one-line summary at the top, each part with its symbol."""
    c = plan.counts()
    not_applied = c["unknown_rows"] + c["missing_rows"] + c["removed_here_rows"]
    conflicts = _plural(c["conflicts"], "conflict")
    if c["conflicts"]:
        conflicts += f" ({undecided:,} undecided)" if undecided else " (all decided)"
    parts = [
        f"{OUTCOME_LOOK[Outcome.CLEAN_UPDATE].symbol} {_plural(c['updates'], 'update')}",
        f"{OUTCOME_LOOK[Outcome.CONFLICT].symbol} {conflicts}",
        f"{NEW_LOOK.symbol} {_plural(c['new_rows'], 'new row')}",
        f"{OUTCOME_LOOK[Outcome.ALREADY_APPLIED].symbol} {c['already_applied']:,} already applied",
        f"{OUTCOME_LOOK[Outcome.WORKSPACE_ONLY].symbol} "
        f"{c['workspace_only']:,} changed here only (kept)",
        f"{REPORTED_LOOK.symbol} {_plural(not_applied, 'row')} not applied",
    ]
    return "   ·   ".join(parts)


class ExchangePreviewDialog(QDialog):
    """Shows an ``ExchangePlan``; Apply is enabled once every conflict has a decision."""

    def __init__(self, plan: ExchangePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        merge = plan.source.kind == "workspace"
        verb = "Merge" if merge else "Import"
        self.setWindowTitle(f"{verb} {plan.source.name} — preview")
        self.setAccessibleName(f"{verb} preview")
        self.model = ExchangeTreeModel(plan, self)
        self.proxy = ConflictFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        title = QLabel(f"{verb} <b>{_html(plan.source.name)}</b> into inspection "
                       f"<b>{_html(plan.inspection_code)}</b>", self)
        title.setObjectName("viewTitle")
        layout.addWidget(title)
        details = [f"Source: {'workspace' if merge else 'workbook'} {plan.source.name}"]
        if plan.source.exported_at:
            details.append(f"exported {_when(plan.source.exported_at)}")
        if plan.source.base:
            details.append(f"compared against {plan.source.base}")
        source = QLabel(" · ".join(details), self)
        source.setWordWrap(True)
        layout.addWidget(source)
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("exchangeCounts")
        self.counts_label.setAccessibleName("Summary of changes")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        if plan.notices:
            notices = QLabel("\n".join(f"ⓘ {n}" for n in plan.notices), self)
            notices.setWordWrap(True)
            notices.setAccessibleName("Notices")
            layout.addWidget(notices)

        layout.addLayout(self._build_decision_bar())
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_tree())
        splitter.addWidget(self._build_detail())
        self.reported_box = self._build_reported()
        splitter.addWidget(self.reported_box)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.undecided_label = QLabel(self)
        self.undecided_label.setAccessibleName("Undecided conflicts")
        self.undecided_label.setWordWrap(True)
        bottom.addWidget(self.undecided_label, 1)
        self.apply_button = QPushButton(icon("conforms"), f"&Apply {verb.lower()}", self)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Close the preview; nothing is changed.")
        self.cancel_button.clicked.connect(self.reject)
        bottom.addWidget(self.apply_button)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)

        self.model.decisions_changed.connect(self._refresh)
        self._refresh()
        self.resize(1240, 680)  # fits a 1366x768 screen with its task bar

    # -- construction -----------------------------------------------------------------------
    def _build_decision_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.conflicts_only = QCheckBox("Show only &conflicts", self)
        self.conflicts_only.setEnabled(self.plan.has_conflicts)
        self.conflicts_only.toggled.connect(self._on_conflicts_only_toggled)
        bar.addWidget(self.conflicts_only)
        bar.addStretch(1)
        bar.addWidget(QLabel("Selected row or field:", self))
        self.keep_button = QPushButton("&Keep mine", self)
        self.take_button = QPushButton("&Take theirs", self)
        self.keep_button.setToolTip("Keep this workspace's value for the selected field or row")
        self.take_button.setToolTip("Take the incoming value for the selected field or row")
        self.keep_button.clicked.connect(lambda: self.decide_selected(Choice.MINE))
        self.take_button.clicked.connect(lambda: self.decide_selected(Choice.THEIRS))
        bar.addWidget(self.keep_button)
        bar.addWidget(self.take_button)
        bar.addSpacing(MARGIN)
        bar.addWidget(QLabel("All conflicts:", self))
        self.keep_all_button = QPushButton("Keep &mine", self)
        self.take_all_button = QPushButton("Take t&heirs", self)
        self.keep_all_button.setAccessibleName("Keep mine for all conflicts")
        self.take_all_button.setAccessibleName("Take theirs for all conflicts")
        self.keep_all_button.setToolTip("Keep this workspace's value in every conflict")
        self.take_all_button.setToolTip("Take the incoming value in every conflict")
        self.keep_all_button.clicked.connect(lambda: self.model.decide_all(Choice.MINE))
        self.take_all_button.clicked.connect(lambda: self.model.decide_all(Choice.THEIRS))
        for button in (self.keep_all_button, self.take_all_button):
            button.setEnabled(self.plan.has_conflicts)
            bar.addWidget(button)
        return bar

    def _build_tree(self) -> QTreeView:
        tree = QTreeView(self)
        tree.setObjectName("exchangeTree")
        tree.setAccessibleName("Changes and conflicts")
        tree.setModel(self.proxy)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._on_tree_context_menu_requested)
        header = tree.header()
        header.setStretchLastSection(False)
        widths = {COL_ITEM: 330, COL_WHERE: 110, COL_OUTCOME: 230, COL_DECISION: 170}
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        for column in (COL_MINE, COL_THEIRS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        if self.model.rowCount() <= _EXPAND_LIMIT:
            tree.expandAll()
        tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree = tree
        return tree

    def _build_detail(self) -> QWidget:
        """The selected field's two values in full (cells elide long notes)."""
        pane = QWidget(self)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel("Select a field to read both values in full.", pane)
        layout.addWidget(self.detail_title)
        row = QHBoxLayout()
        self.mine_text = QPlainTextEdit(pane)
        self.theirs_text = QPlainTextEdit(pane)
        for box, name in ((self.mine_text, "Mine (full value)"),
                          (self.theirs_text, "Theirs (full value)")):
            box.setReadOnly(True)
            box.setAccessibleName(name)
            box.setPlaceholderText(name)
            box.setMaximumHeight(self.fontMetrics().height() * 4)
            row.addWidget(box)
        layout.addLayout(row)
        return pane

    def _build_reported(self) -> QGroupBox:
        reported = ReportedRowsModel(self.plan, self)
        n = reported.rowCount()
        box = QGroupBox(f"{REPORTED_LOOK.symbol} Not applied — reported only "
                        f"({_plural(n, 'row')})", self)
        box.setAccessibleName("Rows not applied")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(SPACING // 2, SPACING // 2, SPACING // 2, SPACING // 2)
        self.reported_view = QTableView(box)
        self.reported_view.setObjectName("reportedTable")
        self.reported_view.setAccessibleName("Rows not applied")
        self.reported_view.setModel(reported)
        self.reported_view.verticalHeader().hide()
        self.reported_view.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().height() + 8)
        self.reported_view.setWordWrap(False)
        self.reported_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.reported_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        inner.addWidget(self.reported_view)
        self.reported_model = reported
        box.setMinimumHeight(self.fontMetrics().height() * 9)
        box.setVisible(n > 0)
        return box

    # -- behaviour --------------------------------------------------------------------------
    def decisions(self) -> dict[FieldKey, Choice]:
        """What the user decided (pass to ``run_import`` / ``run_merge``)."""
        return self.model.decisions()

    def decide_selected(self, choice: Choice) -> int:
        """Apply ``choice`` to every selected field (a selected row means all its fields)."""
        indexes = self.tree.selectionModel().selectedRows(0) if self.tree.selectionModel() else []
        if not indexes and self.tree.currentIndex().isValid():
            indexes = [self.tree.currentIndex()]
        changed = 0
        for index in indexes:
            changed += self.model.decide(self.proxy.mapToSource(index), choice)
        return changed

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        values = current.siblingAtColumn(0).data(VALUES_ROLE) if current.isValid() else None
        if not values:
            self.detail_title.setText("Select a field to read both values in full.")
            self.mine_text.clear()
            self.theirs_text.clear()
            return
        what, mine, theirs = values
        self.detail_title.setText(f"{what}: mine (left) and theirs (right)")
        self.mine_text.setPlainText(mine)
        self.theirs_text.setPlainText(theirs)

    def _on_conflicts_only_toggled(self, on: bool) -> None:
        self.proxy.set_conflicts_only(on)
        if on or self.model.rowCount() <= _EXPAND_LIMIT:
            self.tree.expandAll()

    def _on_tree_context_menu_requested(self, pos: QPoint) -> None:
        index: QModelIndex = self.tree.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction("Keep mine", lambda: self.decide_selected(Choice.MINE))
        menu.addAction("Take theirs", lambda: self.decide_selected(Choice.THEIRS))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _refresh(self) -> None:
        undecided = self.model.undecided_count()
        self.counts_label.setText(counts_text(self.plan, undecided))
        self.apply_button.setEnabled(undecided == 0)
        if undecided:
            self.undecided_label.setText(
                f"{OUTCOME_LOOK[Outcome.CONFLICT].symbol} Decide "
                f"{_plural(undecided, 'conflict')} before applying: choose Keep mine or "
                "Take theirs for each, or for all at once."
            )
            self.apply_button.setToolTip(
                f"{_plural(undecided, 'conflict')} still undecided"
            )
        else:
            self.undecided_label.setText(
                "✓ Ready to apply as one step; Edit ▸ Undo puts everything back."
            )
            self.apply_button.setToolTip("Apply every change above in one step")


def _when(stamp: str) -> str:
    """'2026-12-02T05:10:30Z' as '2 Dec 2026 05:10 UTC' (unchanged when it is not ISO)."""
    try:
        at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return f"{at.day} {at:%b %Y %H:%M}" + (" UTC" if at.utcoffset() == dt.timedelta(0) else "")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
