"""A list is never left sorted by a column it hides (QA 7 item 8, beyond the home list): the
findings register hides Inspection when it shows one inspection, the request log hides By in a
narrow window; sorted by that column, the list then sorts by its first column, arrow and all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.ui.models.findings_model import COL as FINDING_COL
from qmsr_ready.ui.views.findings_register import FindingsRegisterView
from qmsr_ready.ui.views.requests_view import COL as REQUEST_COL
from qmsr_ready.ui.views.requests_view import WIDE_VIEW, RequestsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _sorted_by(table) -> tuple[int, Qt.SortOrder]:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    return header.sortIndicatorSection(), header.sortIndicatorOrder()


def test_the_register_leaves_a_hidden_inspection_column_for_the_code(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = FindingsRegisterView(views_env.ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.set_inspection(views_env.code)
    view.all_inspections.setChecked(True)  # the Inspection column shows
    inspection = FINDING_COL["Inspection"]
    assert not view.table.isColumnHidden(inspection)
    view.table.sortByColumn(inspection, Qt.SortOrder.DescendingOrder)
    view.all_inspections.setChecked(False)  # one inspection: the column goes
    assert view.table.isColumnHidden(inspection)
    assert _sorted_by(view.table) == (FINDING_COL["Code"], Qt.SortOrder.AscendingOrder)


def test_the_request_log_leaves_a_hidden_by_column_for_the_number(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = RequestsView(views_env.ctx)
    qtbot.addWidget(view)
    view.resize(WIDE_VIEW + 200, 700)
    view.set_inspection(views_env.code)
    view.show()
    by = REQUEST_COL["By"]
    assert not view.table.isColumnHidden(by)
    view.table.sortByColumn(by, Qt.SortOrder.AscendingOrder)
    view.resize(WIDE_VIEW - 200, 700)  # narrow: By goes
    qtbot.waitUntil(lambda: view.table.isColumnHidden(by))
    assert _sorted_by(view.table) == (REQUEST_COL["No."], Qt.SortOrder.AscendingOrder)
