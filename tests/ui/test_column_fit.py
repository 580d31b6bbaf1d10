"""The column fitter measures the rows on screen, widens as wider rows scroll in, and starts
afresh on a reload (issue 13: it measured up to 1,000 rows per column on every reload)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView

from qmsr_ready.ui.widgets.column_fit import ColumnFitter

ROWS = 400


def _table(qtbot, rows: list[str]) -> tuple[QTableView, QStandardItemModel]:  # type: ignore[no-untyped-def]
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["Code", "Title"])
    for text in rows:
        model.appendRow([QStandardItem(text), QStandardItem("a title")])
    table = QTableView()
    table.setModel(model)
    table.resize(600, 300)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    return table, model


def _settle(qapp) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        qapp.processEvents()


def test_only_rows_on_screen_are_measured(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    """A very wide code far below the fold does not widen the column until it is shown."""
    rows = ["C-1"] * ROWS
    rows[-1] = "C-" + "W" * 20
    table, _model = _table(qtbot, rows)
    fitter = ColumnFitter(table, [1], cap_chars=60)
    _settle(qapp)
    assert table.horizontalHeader().resizeContentsPrecision() == 0
    narrow = table.columnWidth(0)
    assert narrow < fitter.content_width(0) + 1  # fitted to the short codes on screen

    table.scrollToBottom()
    _settle(qapp)
    wide = table.columnWidth(0)
    assert wide > narrow  # the wide code came into view: the column grew

    table.scrollToTop()
    _settle(qapp)
    assert table.columnWidth(0) == wide  # scrolling back never narrows it (no jumping)


def test_a_reload_measures_afresh(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    rows = ["C-" + "W" * 20] * 5
    table, model = _table(qtbot, rows)
    ColumnFitter(table, [1], cap_chars=60)
    _settle(qapp)
    wide = table.columnWidth(0)

    model.beginResetModel()
    model.removeRows(0, model.rowCount())
    model.endResetModel()  # a reload with short codes only
    model.appendRow([QStandardItem("C-1"), QStandardItem("a title")])
    _settle(qapp)
    assert table.columnWidth(0) < wide


def test_columns_stay_interactive(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    table, _model = _table(qtbot, ["C-1"])
    ColumnFitter(table, [1])
    header = table.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive


def test_the_cap_is_lifted_only_when_the_table_has_room(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    """A long status ("Awaiting verification") is whole on a wide screen, capped on a narrow one."""
    rows = ["C-" + "W" * 30] * 3
    table, _model = _table(qtbot, rows)
    fitter = ColumnFitter(table, [1], cap_chars=8, floor_chars=10)
    _settle(qapp)
    chars = table.fontMetrics().averageCharWidth()
    wide = table.columnWidth(0)
    assert wide > 8 * chars  # 600 px has room for the whole code: no cap

    table.resize(200, 300)
    _settle(qapp)
    assert table.columnWidth(0) == min(fitter.content_width(0), 8 * chars)  # no room: capped


def test_a_vocabulary_column_is_sized_from_its_words_not_measured(qtbot, qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A status column shows one of a few words: its width is the widest word's, whatever rows
    are on screen, and its cells are not measured (a size hint per cell on every reload)."""
    table, _model = _table(qtbot, ["Open"] * 50)
    measured: list[int] = []
    real = QTableView.sizeHintForColumn
    monkeypatch.setattr(QTableView, "sizeHintForColumn",
                        lambda self, column: measured.append(column) or real(self, column))
    words = ["Open", "Awaiting verification"]
    ColumnFitter(table, [1], cap_chars=60, vocabulary={0: words})
    _settle(qapp)
    assert 0 not in measured
    assert 1 in measured
    widest = table.fontMetrics().horizontalAdvance("Awaiting verification")
    assert widest < table.columnWidth(0) < widest + 20  # room for the word not yet on screen
