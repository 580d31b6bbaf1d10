"""Time-to-present statistics: a one-line headline and the same per owner, kind, area and day.

The numbers are core's ``request_statistics``; this module only lays them out, with the one
``format_duration`` every screen and pack uses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QTabWidget, QWidget

from qmsr_ready.core.inspection_day.stats import RequestStats, TimingStats, format_duration
from qmsr_ready.ui.models.row_table import ModelIndex, RowTableModel


def stats_headline(stats: RequestStats | None) -> str:
    """``12 requests · 9 presented · median 11 min · p90 20 min · longest 32 min · 3 late``."""
    if stats is None or (stats.overall.count == 0 and not stats.withdrawn and not stats.prepared):
        return "No requests logged yet."
    o = stats.overall
    parts = [
        f"{o.count} request{'s' if o.count != 1 else ''}", f"{o.presented} presented",
        f"{o.open} open", f"median {format_duration(o.median_s)}",
        f"p90 {format_duration(o.p90_s)}", f"longest {format_duration(o.longest_s)}",
        f"{o.late} late (target {format_duration(stats.target_s)})",
    ]
    if stats.withdrawn:
        parts.append(f"{stats.withdrawn} withdrawn")
    if stats.prepared:
        parts.append(f"{stats.prepared} pre-staged")
    return " · ".join(parts)


class TimingTableModel(RowTableModel):
    """One row per group (owner, kind, area or day) of ``TimingStats``."""

    COLUMNS = ("Group", "Asked", "Presented", "Open", "Late", "Median", "p90", "Longest")

    def set_groups(self, groups: tuple[TimingStats, ...]) -> None:
        self.beginResetModel()
        self._rows = list(groups)
        self.endResetModel()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        g = self._row_for(index)
        if g is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return g.key
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (g.key, g.count, g.presented, g.open, g.late, format_duration(g.median_s),
                  format_duration(g.p90_s), format_duration(g.longest_s))
        return str(values[index.column()])


class RequestStatsTabs(QTabWidget):
    """By owner / kind / area / day, one small table each."""

    GROUPS = (("By owner", "by_owner"), ("By kind", "by_kind"), ("By area", "by_area"),
              ("By day (UTC)", "by_day"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Request statistics")
        self.models: dict[str, TimingTableModel] = {}
        for title, attr in self.GROUPS:
            model = TimingTableModel(self)
            table = QTableView(self)
            table.setModel(model)
            table.setAccessibleName(f"Statistics {title.lower()}")
            table.verticalHeader().hide()
            table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
            table.setWordWrap(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            # Names elide in a fixed first column, so the numbers stay readable in a narrow
            # panel; the tooltip (and a wider panel) shows them whole.
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(0, 120)
            self.models[attr] = model
            self.addTab(table, title)

    def show_stats(self, stats: RequestStats | None) -> None:
        for _title, attr in self.GROUPS:
            self.models[attr].set_groups(getattr(stats, attr) if stats is not None else ())
