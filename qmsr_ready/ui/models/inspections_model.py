"""The inspections list as a table model over frozen rows (never live ORM objects).

Rows come from ``core.services.queries.list_inspections`` and the export marks from
``core.views.home``; readiness percentages and verdicts come from ``core.report.summary`` (the
same report rules the dashboard and packs use, without the audit walk and request log), filled
in later: the home view computes them on a worker and calls ``set_readiness``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.report.verdict import Verdict, VerdictLevel

# read from core; re-exported for the views that import them from here
from qmsr_ready.core.views.home import ExportState as ExportState
from qmsr_ready.core.views.home import read_export_state as read_export_state
from qmsr_ready.core.vocab import InspectionType
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.row_table import RowTableModel
from qmsr_ready.ui.presentation import (
    BAND_LOOK,
    BLUISH_GREEN,
    DATE_FORMAT,
    ORANGE,
    StatusLook,
    inspection_status_look,
    readiness_look,
    verdict_look,
)

if TYPE_CHECKING:  # this model shows the start-up list before SQLAlchemy is imported
    from qmsr_ready.core.services.queries import InspectionSummary
    from qmsr_ready.core.views.home_fast import FastInspectionLine

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS: tuple[str, ...] = (
    "Code", "Title", "Site", "Type", "Model", "Status", "Dates", "Progress", "Readiness",
    "Open findings", "Last export",
)  # fmt: skip
ModelIndex = QModelIndex | QPersistentModelIndex


# The "changed since last export" mark (home list, status bar, Export dialog): symbol and words.
CHANGED_SINCE_EXPORT = StatusLook("●", "Changed since last export", ORANGE, "warning")
EXPORT_UP_TO_DATE = StatusLook("✓", "Up to date with last export", BLUISH_GREEN, "conforms")
# What the mark compares with, said wherever it is shown (one wording).
EXPORT_MARK_MEANS = (
    "Compared with the newest pack sent, workbook or PDF: any change since then to the "
    "inspection, its site (name, profile) or the request target marks it as changed."
)


# A computed readiness: the percentage and the verdict that gates it.
Readiness = tuple[float | None, Verdict | None]


def readiness_text(look: StatusLook, readiness: float | None) -> str:
    """A Readiness cell: the verdict's (or band's) symbol, the percentage and its word."""
    return f"{look.symbol} {format_percent(readiness)} {look.label}"


# Every text a Readiness cell can show at its widest (100 %): the home view keeps room for the
# widest while the start-up list shows "…", so the column does not widen when readiness arrives.
READINESS_TEXTS: tuple[str, ...] = tuple(
    readiness_text(look, 100.0)
    for look in (*map(verdict_look, VerdictLevel), *BAND_LOOK.values())
)


def _readiness_look(row: InspectionRow) -> StatusLook:
    """The verdict's look when known (it gates the percentage), else the percentage band."""
    return verdict_look(row.verdict.level) if row.verdict else readiness_look(row.readiness)


@dataclass(frozen=True)
class InspectionRow:
    """What one line of the home table shows."""

    code: str
    title: str
    site: str
    inspection_type: str
    model: int
    status: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    answered: int
    in_scope: int
    open_findings: int
    readiness: float | None = None
    readiness_known: bool = False
    verdict: Verdict | None = None
    site_code: str = ""
    export: ExportState | None = None  # None: never exported
    # From the start-up read (core.views.home_fast): progress and last export not read yet.
    partial: bool = False

    @property
    def export_look(self) -> StatusLook | None:
        """The export mark: changed since the last pack, or up to date; None when never sent."""
        if self.export is None:
            return None
        return CHANGED_SINCE_EXPORT if self.export.changed else EXPORT_UP_TO_DATE

    @classmethod
    def from_summary(cls, s: InspectionSummary) -> InspectionRow:
        return cls(
            code=s.code, title=s.title, site=s.site_name, site_code=s.site_code,
            inspection_type=s.inspection_type, model=s.model, status=s.status,
            planned_start=s.planned_start, planned_end=s.planned_end,
            answered=s.questions_answered, in_scope=s.questions_in_scope,
            open_findings=s.findings_open,
        )

    @classmethod
    def from_fast(cls, line: FastInspectionLine) -> InspectionRow:
        """A start-up line: what the plain read knows; the rest shows "…" until the full one."""
        return cls(
            code=line.code, title=line.title, site=line.site_name, site_code=line.site_code,
            inspection_type=line.inspection_type, model=line.model, status=line.status,
            planned_start=line.planned_start, planned_end=line.planned_end,
            answered=0, in_scope=0, open_findings=line.findings_open, partial=True,
        )

    @property
    def type_label(self) -> str:
        try:
            return InspectionType(self.inspection_type).label
        except ValueError:
            return self.inspection_type

    @property
    def dates_text(self) -> str:
        start = self.planned_start.strftime(DATE_FORMAT) if self.planned_start else "—"
        end = self.planned_end.strftime(DATE_FORMAT) if self.planned_end else "—"
        return start if start == end else f"{start} → {end}"

    @property
    def progress(self) -> float | None:
        return 100.0 * self.answered / self.in_scope if self.in_scope else None


class InspectionsModel(RowTableModel):
    """Read-only table of ``InspectionRow``; replaced wholesale on reload."""

    COLUMNS = COLUMNS
    _rows: list[InspectionRow]

    # -- updates ----------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[InspectionRow]) -> None:
        """Replace all rows, keeping readiness already computed for unchanged inspections."""
        known = {r.code: r for r in self._rows if r.readiness_known}
        merged = []
        for row in rows:
            old = known.get(row.code)
            if old is not None:
                row = replace(row, readiness=old.readiness, verdict=old.verdict,
                              readiness_known=True)
            merged.append(row)
        self.beginResetModel()
        self._rows = merged
        self.endResetModel()

    def set_readiness(self, values: dict[str, Readiness]) -> None:
        """Fill in readiness percentages and verdicts by inspection code."""
        col = COLUMNS.index("Readiness")
        for i, row in enumerate(self._rows):
            if row.code in values:
                score, verdict = values[row.code]
                self._rows[i] = replace(row, readiness=score, verdict=verdict,
                                        readiness_known=True)
                idx = self.index(i, col)
                self.dataChanged.emit(idx, idx)

    def forget_readiness(self, code: str) -> None:
        """Mark one inspection's readiness stale so the next reload recomputes it."""
        for i, row in enumerate(self._rows):
            if row.code == code:
                self._rows[i] = replace(row, readiness_known=False)

    def row_at(self, row: int) -> InspectionRow:
        return self._rows[row]

    def codes(self) -> list[str]:
        return [r.code for r in self._rows]

    def row_of(self, code: str) -> int:
        for i, r in enumerate(self._rows):
            if r.code == code:
                return i
        return -1

    # -- Qt model API ------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == CODE_ROLE:
            return row.code
        if role == Qt.ItemDataRole.DecorationRole and column == "Status":
            return icon(inspection_status_look(row.status).icon)
        if role == Qt.ItemDataRole.ForegroundRole and column == "Readiness" and row.readiness_known:
            return _readiness_look(row).qcolor
        if role == Qt.ItemDataRole.ForegroundRole and column == "Last export" and row.export_look:
            return row.export_look.qcolor
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            "Model", "Progress", "Readiness", "Open findings"
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "Readiness" and row.readiness_known:
                return row.verdict.summary if row.verdict else _readiness_look(row).label
            if column == "Site":
                return f"{row.site} ({row.site_code})" if row.site_code else row.site
            if column == "Title":
                return row.title
            if column == "Last export" and not row.partial:
                if row.export is None:
                    return "No pack of this inspection has been exported yet."
                return f"{row.export_look.text if row.export_look else ''}\n" \
                       f"Last sent: {row.export.sent_text}\n{EXPORT_MARK_MEANS}"
        return None

    @staticmethod
    def _display(row: InspectionRow, column: str) -> str:
        if column == "Code":
            return row.code
        if column == "Title":
            return row.title
        if column == "Site":
            return row.site
        if column == "Type":
            return row.type_label
        if column == "Model":
            return str(row.model)
        if column == "Status":
            return inspection_status_look(row.status).label
        if column == "Dates":
            return row.dates_text
        if row.partial and column in ("Progress", "Last export"):
            return "…"
        if column == "Progress":
            return f"{row.answered}/{row.in_scope} ({format_percent(row.progress)})"
        if column == "Readiness":
            if not row.readiness_known:
                return "…"
            return readiness_text(_readiness_look(row), row.readiness)
        if column == "Last export":
            return row.export_look.text if row.export_look else "Never exported"
        return str(row.open_findings)

    @staticmethod
    def _sort_key(row: InspectionRow, column: str) -> Any:
        if column == "Model":
            return row.model
        if column == "Dates":
            return (row.planned_start or dt.date.min).toordinal()
        if column == "Progress":
            return -1.0 if row.progress is None else row.progress
        if column == "Readiness":
            return -1.0 if row.readiness is None else row.readiness
        if column == "Open findings":
            return row.open_findings
        return InspectionsModel._display(row, column).casefold()
