"""The home list refuses a damaged value with one message (issue 13 QA round 2, item 6)."""

from __future__ import annotations

import sqlite3

from qmsr_ready.ui.views.home import HomeView
from tests.ui.conftest import _add_inspection


def test_a_blob_title_is_one_message_not_a_garbled_cell(ctx, workspace_path) -> None:  # type: ignore[no-untyped-def]
    _add_inspection(ctx)
    view = HomeView(ctx)
    view.reload()
    assert view.model.rowCount() == 1
    with sqlite3.connect(workspace_path) as con:
        con.execute("UPDATE inspections SET title = X'416263'")
    view.reload()  # said in the view (a dialog on every re-read would be one too many)
    assert view.model.rowCount() == 0  # the row read before is not left behind
    assert view.count_label.text().startswith("The inspection list holds a damaged value")
