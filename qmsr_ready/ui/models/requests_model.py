"""The request log as a table: frozen ``RequestView`` rows, a live elapsed clock and LATE marks.

The clock is injected (``now``) so a test can move time without sleeping; ``tick()`` re-reads it
and repaints only the elapsed and status cells. Late means past the workspace's target: the word
"LATE", a warning symbol and the vermillion colour together, so colour is never the only cue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

from qmsr_ready.core.inspection_day.stats import format_duration
from qmsr_ready.core.inspection_day.views import DEFAULT_TARGET_MINUTES, RequestView
from qmsr_ready.core.vocab import RequestStatus
from qmsr_ready.ui.models.row_table import ModelIndex, RowTableModel
from qmsr_ready.ui.presentation import LATE, REQUEST_STATUS_LOOK, StatusLook

Clock = Callable[[], dt.datetime]
RowRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

LATE_TINT = QColor(213, 94, 0, 38)  # vermillion, faint: readable on light and dark rows

COLUMNS: tuple[str, ...] = ("No.", "Requested", "By", "What was asked", "Kind", "Area",
                            "Owner", "Status", "Elapsed")
COL = {name: i for i, name in enumerate(COLUMNS)}
_LIVE_COLUMNS = (COL["Status"], COL["Elapsed"])


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def request_status_look(value: str) -> StatusLook:
    return REQUEST_STATUS_LOOK[RequestStatus(value)]


def local_time(value: dt.datetime | None, with_date: bool = True) -> str:
    """A stamp in this computer's time zone, as the front room reads its wall clock."""
    if value is None:
        return "—"
    local = value.astimezone()
    return local.strftime("%d %b %H:%M" if with_date else "%H:%M")


class RequestsTableModel(RowTableModel):
    """Read-only rows of one inspection's request log."""

    COLUMNS = COLUMNS

    def __init__(self, parent: QObject | None = None, now: Clock = utc_now) -> None:
        super().__init__(parent)
        self._now = now
        self._at = now()
        self._target = dt.timedelta(minutes=DEFAULT_TARGET_MINUTES)
        self._rows: list[RequestView] = []

    # -- data in ----------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[RequestView], target: dt.timedelta | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if target is not None:
            self._target = target
        self._at = self._now()
        self.endResetModel()

    def set_target(self, target: dt.timedelta) -> None:
        self._target = target
        self._repaint_live()

    def tick(self) -> None:
        """Re-read the clock and repaint the cells that depend on it."""
        self._at = self._now()
        self._repaint_live()

    def _repaint_live(self) -> None:
        if self._rows:
            # Whole rows: a request turning late tints every cell of its row.
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                                   Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                                   SortRole])

    # -- data out ---------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        return self._at

    @property
    def target(self) -> dt.timedelta:
        return self._target

    def row_at(self, row: int) -> RequestView:
        return self._rows[row]

    def rows(self) -> list[RequestView]:
        return list(self._rows)

    def row_of(self, code: str) -> int:
        for i, r in enumerate(self._rows):
            if r.code == code:
                return i
        return -1

    def is_late(self, r: RequestView) -> bool:
        return r.is_late(self._at, self._target)

    def elapsed_text(self, r: RequestView) -> str:
        elapsed = r.elapsed(self._at)
        if elapsed is None:
            return "—" if r.status != RequestStatus.PREPARED else "not asked yet"
        text = format_duration(elapsed.total_seconds(), late=self.is_late(r))
        if self.is_late(r):
            return f"{LATE.symbol} {text} {LATE.label}"
        return text

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self._row_for(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == RowRole:
            return r
        if role == SortRole:
            return self._sort_key(r, col)
        late = self.is_late(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL["Status"]:
                return request_status_look(r.status).qcolor
            if col == COL["Elapsed"] and late:
                return LATE.qcolor
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return LATE_TINT if late and r.is_open else None
        if role == Qt.ItemDataRole.FontRole and col == COL["Elapsed"] and late:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL["Elapsed"]:
            return self.elapsed_text(r)
        return None

    def _display(self, r: RequestView, col: int) -> str:
        if col == COL["No."]:
            return r.code
        if col == COL["Requested"]:
            return local_time(r.requested_at)
        if col == COL["By"]:
            return r.requested_by
        if col == COL["What was asked"]:
            return r.text
        if col == COL["Kind"]:
            return r.kind_label
        if col == COL["Area"]:
            return r.element_id or r.area_id or "—"
        if col == COL["Owner"]:
            return r.owner
        if col == COL["Status"]:
            return request_status_look(r.status).text
        return self.elapsed_text(r)

    def _sort_key(self, r: RequestView, col: int) -> Any:
        if col == COL["Requested"]:
            return r.requested_at.timestamp() if r.requested_at else 0.0
        if col == COL["Status"]:
            return RequestStatus(r.status).rank
        if col == COL["Elapsed"]:
            elapsed = r.elapsed(self._at)
            return elapsed.total_seconds() if elapsed is not None else -1.0
        return self._display(r, col).casefold()

    def _tooltip(self, r: RequestView, col: int) -> str | None:
        if col == COL["What was asked"]:
            return r.text
        if col == COL["Requested"] and r.requested_at is not None:
            return f"{r.requested_at:%Y-%m-%d %H:%M:%S} UTC"
        if col == COL["Elapsed"] and self.is_late(r):
            minutes = round(self._target.total_seconds() / 60)
            verb = "took" if r.presented_at is not None else "has waited"
            return f"{r.code} {verb} longer than the {minutes}-minute target."
        return None


class RequestsFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's natural key; filters to open requests and by free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)
        self._open_only = False
        self._needle = ""

    def set_filters(self, *, open_only: bool | None = None, text: str | None = None) -> None:
        self.beginFilterChange()
        if open_only is not None:
            self._open_only = open_only
        if text is not None:
            self._needle = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | Any) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RequestsTableModel) or source_parent.isValid():
            return True
        r = model.row_at(source_row)
        if self._open_only and not r.is_open:
            return False
        if self._needle:
            hay = " ".join((r.code, r.text, r.owner, r.requested_by, r.area_id, r.element_id))
            return self._needle in hay.casefold()
        return True
