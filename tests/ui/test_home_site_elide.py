"""Two sites of one company stay apart on a laptop: the home list elides a site in the middle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.models.inspections_model import COLUMNS
from qmsr_ready.ui.views.home import HomeView
from qmsr_ready.ui.widgets.elide_middle import ElideMiddleDelegate


def test_site_cells_keep_their_start_and_their_end(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = HomeView(ctx)
    qtbot.addWidget(view)
    site = COLUMNS.index("Site")
    delegate = view.table.itemDelegateForColumn(site)
    assert isinstance(delegate, ElideMiddleDelegate)
    assert view.table.itemDelegateForColumn(COLUMNS.index("Title")) is not delegate
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, view.table.model().index(0, site))
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    shown = option.fontMetrics.elidedText(
        "Northbridge Medical — Galway Road plant", option.textElideMode, 100)
    assert shown.startswith("North")
    assert shown.endswith("plant")
