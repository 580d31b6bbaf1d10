"""The column chooser and the fitter's optional columns on any table (not only the home list)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.widgets.column_chooser import ColumnChooser
from qmsr_ready.ui.widgets.column_fit import ColumnFitter

HEADERS = ["Code", "Title", "Site", "Extra", "More"]


def _table(qtbot, width: int, cells: list[str] | None = None) -> QTableView:  # type: ignore[no-untyped-def]
    table = QTableView()
    model = QStandardItemModel(0, len(HEADERS), table)  # the table keeps it alive
    model.setHorizontalHeaderLabels(HEADERS)
    cells = cells or ["C-1", "T" * 60, "S" * 60, "extra text " * 3, "more text " * 3]
    model.appendRow([QStandardItem(text) for text in cells])
    table.setModel(model)
    table.resize(width, 200)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    return table


def _settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        qtbot.wait(1)


def _hidden(table: QTableView) -> list[str]:
    header = table.horizontalHeader()
    return [name for c, name in enumerate(HEADERS) if header.isSectionHidden(c)]


def test_without_a_fitter_the_chooser_hides_and_restores(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "settings.ini")
    table = _table(qtbot, 900)
    chooser = ColumnChooser(table, settings, "register")
    chooser.set_shown(2, False)
    assert _hidden(table) == ["Site"]
    chooser.set_shown(0, False)  # the first column names the row: locked by default
    assert _hidden(table) == ["Site"]
    again = _table(qtbot, 900)
    ColumnChooser(again, AppSettings(settings.path), "register")
    assert _hidden(again) == ["Site"]
    other = _table(qtbot, 900)
    ColumnChooser(other, AppSettings(settings.path), "home")  # another table's choice
    assert _hidden(other) == []
    chooser.reset()
    assert _hidden(table) == []


def test_optional_columns_give_way_last_first_and_come_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    table = _table(qtbot, 2000)
    fitter = ColumnFitter(table, [1, 2], floor_chars=20, cap_chars=40, optional=[3, 4])
    changes: list[tuple[int, ...]] = []
    fitter.auto_hidden_changed.connect(lambda: changes.append(fitter.auto_hidden))
    _settle(qtbot)
    assert _hidden(table) == []
    chars = table.fontMetrics().averageCharWidth()
    needed = (table.columnWidth(0) + 40 * chars + fitter.content_width(3)
              + fitter.content_width(4))
    table.resize(needed, 200)  # room for the floors and one optional column, not for two
    _settle(qtbot)
    assert _hidden(table) == ["More"]  # the last named gives way first
    assert not table.horizontalScrollBar().isVisible()
    table.resize(table.columnWidth(0) + 40 * chars + 20, 200)
    _settle(qtbot)
    assert _hidden(table) == ["Extra", "More"]
    assert table.columnWidth(1) >= 20 * chars
    assert table.columnWidth(2) >= 20 * chars
    table.resize(2000, 200)
    _settle(qtbot)
    assert _hidden(table) == []
    assert changes == [(4,), (4, 3), ()]


def test_the_stretching_columns_get_their_floor_before_sharing(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A long title and a short site: the site keeps its floor and the title takes the rest,
    so the table fits instead of scrolling (the share used to follow need alone, leaving the
    site below its floor and the whole wider than the table)."""
    table = _table(qtbot, 300, ["C-1", "T" * 80, "S" * 16, "", ""])
    header = table.horizontalHeader()
    for c in (3, 4):
        header.setSectionHidden(c, True)
    fitter = ColumnFitter(table, [1, 2], floor_chars=14, cap_chars=40)
    chars = table.fontMetrics().averageCharWidth()
    table.resize(table.columnWidth(0) + 40 * chars + table.frameWidth() * 2, 200)
    _settle(qtbot)
    assert table.columnWidth(2) >= min(14 * chars, fitter.content_width(2))
    assert table.columnWidth(1) > table.columnWidth(2)
    assert not table.horizontalScrollBar().isVisible()
