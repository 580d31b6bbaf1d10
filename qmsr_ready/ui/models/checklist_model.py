"""Tree model of a checklist: areas → elements → questions, with a status mark and progress.

Nodes live in one flat list; a QModelIndex carries its node's position as ``internalId``, so the
model never hands Qt a Python object pointer. Result changes emit ``dataChanged`` for the question
and its element and area only (their progress column), never a reset: expansion and selection stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from qmsr_ready.core.views.checklist import AreaView, ChecklistData, ElementView, QuestionView
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui import icons
from qmsr_ready.ui.presentation import result_look

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

KIND_AREA, KIND_ELEMENT, KIND_QUESTION = "area", "element", "question"
NodeRole = Qt.ItemDataRole.UserRole + 1  # "area" | "element" | "question"
IdRole = Qt.ItemDataRole.UserRole + 2  # area, element or question ID
ResultRole = Qt.ItemDataRole.UserRole + 3  # questions: stored result string
SearchTextRole = Qt.ItemDataRole.UserRole + 4  # questions: text + citations, lower case

COLUMNS = ("Checklist", "Progress")


@dataclass
class _Node:
    kind: str
    key: str
    parent: int  # node number of the parent, -1 for top level
    row: int
    payload: AreaView | ElementView | QuestionView
    children: list[int] = field(default_factory=list)


class ChecklistTreeModel(QAbstractItemModel):
    """Areas, their selected elements and their questions for one inspection."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._by_key: dict[str, int] = {}
        self._results: dict[str, str] = {}
        self._progress: dict[int, tuple[int, int]] = {}  # cache; cleared when a result changes

    # -- loading -------------------------------------------------------------------------
    def load(self, data: ChecklistData | None) -> None:
        """Replace the whole tree (another inspection, or a first load)."""
        self.beginResetModel()
        self._nodes, self._top, self._by_key = [], [], {}
        self._results = {}
        self._progress = {}
        if data is not None:
            self._results = {qid: r.result for qid, r in data.responses.items()}
            for a_row, area in enumerate(data.areas):
                a = self._add(KIND_AREA, area.area_id, -1, a_row, area)
                self._top.append(a)
                for e_row, element in enumerate(area.elements):
                    e = self._add(KIND_ELEMENT, element.element_id, a, e_row, element)
                    for q_row, question in enumerate(element.questions):
                        self._add(KIND_QUESTION, question.question_id, e, q_row, question)
        self.endResetModel()

    def _add(self, kind: str, key: str, parent: int, row: int, payload: Any) -> int:
        number = len(self._nodes)
        self._nodes.append(_Node(kind, key, parent, row, payload))
        if parent >= 0:
            self._nodes[parent].children.append(number)
        self._by_key[key] = number
        return number

    def set_results(self, results: dict[str, str]) -> None:
        """Update question marks; emit dataChanged only where a result actually changed."""
        for question_id in set(results) | set(self._results):
            new = results.get(question_id, Result.NOT_ASSESSED.value)
            if self._results.get(question_id, Result.NOT_ASSESSED.value) != new:
                self._results[question_id] = new
                self._announce(question_id)
        self._results = dict(results)

    def set_result(self, question_id: str, result: str) -> None:
        """Update one question's mark (a no-op, and no signal, when it did not change)."""
        if self.result(question_id) != result:
            self._results[question_id] = result
            self._announce(question_id)

    def _announce(self, question_id: str) -> None:
        self._progress.clear()
        number = self._by_key.get(question_id)
        while number is not None and number >= 0:
            node = self._nodes[number]
            left = self.createIndex(node.row, 0, number)
            right = self.createIndex(node.row, len(COLUMNS) - 1, number)
            self.dataChanged.emit(left, right)
            number = node.parent

    # -- lookups -------------------------------------------------------------------------
    def result(self, question_id: str) -> str:
        return self._results.get(question_id, Result.NOT_ASSESSED.value)

    def index_for(self, key: str, column: int = 0) -> QModelIndex:
        number = self._by_key.get(key)
        if number is None:
            return QModelIndex()
        return self.createIndex(self._nodes[number].row, column, number)

    def question_ids(self) -> list[str]:
        """Every question ID in tree order."""
        return [n.key for n in self._nodes if n.kind == KIND_QUESTION]

    def question(self, question_id: str) -> QuestionView | None:
        number = self._by_key.get(question_id)
        if number is None or self._nodes[number].kind != KIND_QUESTION:
            return None
        payload = self._nodes[number].payload
        return payload if isinstance(payload, QuestionView) else None

    def progress(self, number: int) -> tuple[int, int]:
        """(answered, total) questions under a node; N/A counts as answered."""
        cached = self._progress.get(number)
        if cached is not None:
            return cached
        node = self._nodes[number]
        if node.kind == KIND_QUESTION:
            return (int(Result(self.result(node.key)).is_answered), 1)
        done = total = 0
        for child in node.children:
            d, t = self.progress(child)
            done, total = done + d, total + t
        self._progress[number] = (done, total)
        return done, total

    # -- QAbstractItemModel --------------------------------------------------------------
    def _node(self, index: AnyIndex) -> _Node | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()]

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        children = self._top if not parent.isValid() else self._nodes[parent.internalId()].children
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, *args: Any) -> Any:
        if not args:  # QObject.parent(): the owner, not a model index
            return super().parent()
        node = self._node(args[0])
        if node is None or node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        if role == NodeRole:
            return node.kind
        if role == IdRole:
            return node.key
        if node.kind == KIND_QUESTION:
            return self._question_data(node, index.column(), role)
        return self._group_data(node, index.internalId(), index.column(), role)

    def _group_data(self, node: _Node, number: int, column: int, role: int) -> Any:
        payload = node.payload
        assert isinstance(payload, AreaView | ElementView)
        done, total = self.progress(number)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{node.key}  {payload.title}"
            return f"{done}/{total}"
        if role == Qt.ItemDataRole.FontRole and node.kind == KIND_AREA:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = ""
            if isinstance(payload, ElementView) and payload.reason:
                extra = f"\nWhy in scope: {payload.reason}"
            return f"{node.key} {payload.title}: {done} of {total} questions answered{extra}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{node.key} {payload.title}, {done} of {total} answered"
        return None

    def _question_data(self, node: _Node, column: int, role: int) -> Any:
        question = node.payload
        assert isinstance(question, QuestionView)
        result = self.result(node.key)
        look = result_look(result)
        if role == ResultRole:
            return result
        if role == SearchTextRole:
            return " ".join((question.question_id, question.text, *question.citations)).lower()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{node.key}  {question.text}"
            return look.text
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return icons.icon(look.icon)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return look.qcolor
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.key} — {look.label}\n{question.text}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{node.key}, {look.label}"
        return None


class ChecklistFilterProxy(QSortFilterProxyModel):
    """Shows all questions, only unanswered ones or only gaps, matching a search text."""

    MODES = ("all", "unanswered", "gaps")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = "all"
        self._needle = ""
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)

    def set_mode(self, mode: str) -> None:
        if mode not in self.MODES:
            raise ValueError(mode)
        self.beginFilterChange()
        self._mode = mode
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().lower()
        self.endFilterChange()

    @property
    def mode(self) -> str:
        return self._mode

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if model.data(index, NodeRole) != KIND_QUESTION:
            # Groups are shown when a child matches (recursive filtering); with no filter at all,
            # empty groups stay visible too.
            return self._mode == "all" and not self._needle
        result = model.data(index, ResultRole)
        if self._mode == "unanswered" and Result(result or Result.NOT_ASSESSED).is_answered:
            return False
        if self._mode == "gaps" and result not in (Result.MINOR_GAP, Result.MAJOR_GAP):
            return False
        return not self._needle or self._needle in model.data(index, SearchTextRole)
