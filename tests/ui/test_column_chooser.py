"""The column chooser and the fitter's optional columns on any table (not only the home list)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
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


def _right_edge(table: QTableView, column: int) -> int:
    header = table.horizontalHeader()
    return header.sectionViewportPosition(column) + header.sectionSize(column)


def test_the_last_column_takes_the_spare_width_when_nothing_stretches(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    table = _table(qtbot, 1400)
    fitter = ColumnFitter(table, [1, 2], floor_chars=20, cap_chars=40, optional=[3, 4])
    chooser = ColumnChooser(table, AppSettings(tmp_path / "settings.ini"), "t", fitter=fitter)
    _settle(qtbot)
    more = table.columnWidth(4)
    chooser.set_shown(1, False)  # one stretching column left: it takes the rest, as before
    _settle(qtbot)
    assert _right_edge(table, 2) < table.viewport().width()
    assert table.columnWidth(4) == more
    chooser.set_shown(2, False)  # none left: the last column reaches the right edge
    _settle(qtbot)
    assert _right_edge(table, 4) == table.viewport().width()
    assert table.columnWidth(4) > more
    assert not table.horizontalScrollBar().isVisible()
    chooser.set_shown(4, False)  # the last column hidden too: the one before it takes the rest
    _settle(qtbot)
    assert _right_edge(table, 3) == table.viewport().width()
    chooser.reset()
    _settle(qtbot)
    assert table.columnWidth(4) == more


def _sortable(qtbot) -> QTableView:  # type: ignore[no-untyped-def]
    """Three rows whose titles (long, like the first table's) and Mores sort unlike the codes."""
    long = "T" * 59
    rows = [("C-2", "b" + long, "S" * 60, "1 extra", "z more"),
            ("C-1", "c" + long, "S" * 60, "2 extra", "y more"),
            ("C-3", "a" + long, "S" * 60, "3 extra", "x more")]
    table = _table(qtbot, 900, list(rows[0]))
    model = table.model()
    assert isinstance(model, QStandardItemModel)
    for row in rows[1:]:
        model.appendRow([QStandardItem(t) for t in row])
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return table


def _order(table: QTableView) -> list[str]:
    model = table.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _indicator(table: QTableView) -> tuple[int, Qt.SortOrder]:
    header = table.horizontalHeader()
    return header.sortIndicatorSection(), header.sortIndicatorOrder()


def test_hiding_the_sort_column_sorts_by_the_default(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Without a fitter, and with one when the sort column gives way to fit."""
    table = _sortable(qtbot)
    chooser = ColumnChooser(table, AppSettings(tmp_path / "settings.ini"), "t")
    table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert _order(table) == ["C-3", "C-1", "C-2"]
    chooser.set_shown(2, False)  # another column: the sort stays
    assert _indicator(table) == (4, Qt.SortOrder.AscendingOrder)
    chooser.set_shown(4, False)
    assert _indicator(table) == (0, Qt.SortOrder.AscendingOrder)
    assert _order(table) == ["C-1", "C-2", "C-3"]
    chooser.set_shown(4, True)  # back: nothing moves
    assert _indicator(table) == (0, Qt.SortOrder.AscendingOrder)
    assert _order(table) == ["C-1", "C-2", "C-3"]

    fitted = _sortable(qtbot)
    fitted.resize(2000, 200)
    fitter = ColumnFitter(fitted, [1, 2], floor_chars=20, cap_chars=40, optional=[3, 4])
    ColumnChooser(fitted, AppSettings(tmp_path / "other.ini"), "t", fitter=fitter,
                  default_sort=(1, Qt.SortOrder.DescendingOrder))
    _settle(qtbot)
    fitted.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    fitted.resize(fitted.columnWidth(0) + 40 * fitted.fontMetrics().averageCharWidth() + 20, 200)
    _settle(qtbot)
    assert _hidden(fitted) == ["Extra", "More"]
    assert _indicator(fitted) == (1, Qt.SortOrder.DescendingOrder)
    assert _order(fitted) == ["C-1", "C-2", "C-3"]  # titles c, b, a
    fitted.resize(2000, 200)
    _settle(qtbot)
    assert _hidden(fitted) == []
    assert _indicator(fitted) == (1, Qt.SortOrder.DescendingOrder)
