"""The home list refuses a damaged value with one message (issue 13 QA round 2, item 6)."""

from __future__ import annotations

import sqlite3

import pytest

from qmsr_ready.core.workspace_file import WorkspaceDamaged
from qmsr_ready.ui.views.home import HomeView
from tests.ui.conftest import _add_inspection


def test_a_blob_title_is_one_message_not_a_garbled_cell(ctx, workspace_path) -> None:  # type: ignore[no-untyped-def]
    _add_inspection(ctx)
    view = HomeView(ctx)
    view.reload()
    assert view.model.rowCount() == 1
    with sqlite3.connect(workspace_path) as con:
        con.execute("UPDATE inspections SET title = X'416263'")
    with pytest.raises(WorkspaceDamaged, match="The inspection list holds a damaged value"):
        view.reload()
