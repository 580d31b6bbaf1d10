"""Start-up: the home list from the plain read is shown before the views are built, then the
full read replaces it in place (same view, same order); a failed open drops it; a server URL or
a damaged file shows nothing early (the full open decides)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import Qt

from qmsr_ready import app as app_module
from qmsr_ready.core.errors import Cancelled, QmsrError
from qmsr_ready.core.report import summary as summary_module
from qmsr_ready.core.report.verdict import Verdict, VerdictLevel
from qmsr_ready.core.views.home_fast import read_home_fast
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.main_window import MainWindow
from qmsr_ready.ui.models.inspections_model import CHANGED_SINCE_EXPORT, COLUMNS, ExportState
from qmsr_ready.ui.views import home as home_module


def _closed_workspace(ctx: AppContext, add_inspection) -> Path:  # type: ignore[no-untyped-def]
    for _ in range(3):
        add_inspection(ctx)
    ws = ctx.workspace
    assert ws is not None
    ctx.set_workspace(None)
    ws.close()
    return ws.path


def _cells(window: MainWindow, column: str) -> list[str]:
    table = window.views["home"].table  # type: ignore[attr-defined]
    model = table.model()
    col = COLUMNS.index(column)
    return [model.index(r, col).data(Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]


def test_preview_then_full_list_in_place(qtbot, ctx: AppContext, add_inspection) -> None:  # type: ignore[no-untyped-def]
    path = _closed_workspace(ctx, add_inspection)
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.show_home_preview(read_home_fast(path) or [])
    assert not window.started
    home = window.views["home"]
    assert window.stack.currentWidget() is home
    codes = _cells(window, "Code")
    assert len(codes) == 3
    assert set(_cells(window, "Progress")) == {"…"}
    assert not home.new_button.isEnabled()  # type: ignore[attr-defined]

    window.finish_startup()
    assert window.views["home"] is home  # kept, not rebuilt: no flicker
    assert _cells(window, "Code") == codes  # still there while the workspace opens
    assert window.open_workspace_path(path)
    window.end_home_preview()
    assert _cells(window, "Code") == codes
    assert "…" not in _cells(window, "Progress")
    assert list(window.views) == ["home", *list(window.views)[1:]]
    assert window.stack.indexOf(home) == 0
    window.show_view("findings")
    assert window.stack.currentWidget() is window.views["findings"]
    assert home.new_button.isEnabled()  # type: ignore[attr-defined]
    ctx.workers.wait()


def test_a_failed_open_drops_the_preview(qtbot, ctx: AppContext, add_inspection) -> None:  # type: ignore[no-untyped-def]
    path = _closed_workspace(ctx, add_inspection)
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.show_home_preview(read_home_fast(path) or [])
    window.finish_startup()
    assert len(_cells(window, "Code")) == 3
    window.end_home_preview()  # the open failed: no workspace
    assert _cells(window, "Code") == []


def test_no_preview_for_a_server_url_or_a_damaged_file(
    qtbot, ctx: AppContext, add_inspection, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    path = _closed_workspace(ctx, add_inspection)
    damaged = tmp_path / "damaged.qmsr"
    data = bytearray(path.read_bytes())
    data[68:72] = b"\0\0\0\0"  # not our application id
    damaged.write_bytes(bytes(data))
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    for target in ("postgresql+psycopg://qa@db.example/qmsr", str(damaged)):
        app_module._show_home_preview(window, app_module.GuiOptions(workspace=target))
        assert "home" not in window.views
    app_module._show_home_preview(window, app_module.GuiOptions(workspace=str(path)))
    assert "home" in window.views


def test_full_list_keeps_the_preview_column_widths(  # type: ignore[no-untyped-def]
    qtbot, qapp, ctx: AppContext, add_inspection, monkeypatch
) -> None:
    """The "…" cells of the preview are narrow; Progress and Last export keep room for the full
    text, so the columns do not widen (and the table jump) when the full list replaces them."""
    path = _closed_workspace(ctx, add_inspection)
    sent = ExportState("pack.xlsx", dt.datetime.now(dt.UTC), "Test Lead", changed=True)
    monkeypatch.setattr(home_module, "read_export_state", lambda _session, _code: sent)
    # every readiness the worker computes is the widest verdict a cell can show
    widest = SimpleNamespace(score=100.0,
                             verdict=Verdict(VerdictLevel.NOT_ASSESSED, ("nothing answered",)))
    monkeypatch.setattr(summary_module, "readiness_summary", lambda _session, _code: widest)
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.show_home_preview(read_home_fast(path) or [])
    table = window.views["home"].table  # type: ignore[attr-defined]
    columns = [COLUMNS.index("Progress"), COLUMNS.index("Readiness"), COLUMNS.index("Last export")]
    before = [table.columnWidth(c) for c in columns]
    window.finish_startup()
    assert window.open_workspace_path(path)
    window.end_home_preview()
    for _ in range(3):
        qapp.processEvents()
    assert _cells(window, "Last export") == [CHANGED_SINCE_EXPORT.text] * 3
    assert [table.columnWidth(c) for c in columns] == before
    # Readiness arrives last, from a worker: the widest verdict a cell can show keeps its room.
    qtbot.waitUntil(lambda: set(_cells(window, "Readiness")) == {"○ 100% Not assessed"},
                    timeout=10_000)
    window.views["home"].reload()  # type: ignore[attr-defined]  # an edit's read measures again
    ctx.workers.wait()
    for _ in range(3):
        qapp.processEvents()
    assert set(_cells(window, "Readiness")) == {"○ 100% Not assessed"}
    assert [table.columnWidth(c) for c in columns] == before


def test_a_cancelled_readiness_is_not_logged_as_a_failure(  # type: ignore[no-untyped-def]
    qtbot, ctx: AppContext, caplog
) -> None:
    view = home_module.HomeView(ctx)
    qtbot.addWidget(view)
    with caplog.at_level(logging.WARNING):
        view._on_readiness_failed(Cancelled())
    assert caplog.records == []
    with caplog.at_level(logging.WARNING):
        view._on_readiness_failed(QmsrError("The file is damaged."))
    assert "readiness computation failed: The file is damaged." in caplog.text


def test_a_full_read_that_refuses_a_damaged_value_drops_the_preview(  # type: ignore[no-untyped-def]
    qtbot, ctx: AppContext, add_inspection
) -> None:
    """The start-up read does not look at every column; when the full read refuses one (a BLOB
    lead), no preview row stays behind ("…" cells, a count, clickable stale rows): the list is
    empty, says why, and New inspection follows the open workspace."""
    import sqlite3

    path = _closed_workspace(ctx, add_inspection)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE inspections SET lead = X'414243' WHERE code = "
                 "(SELECT code FROM inspections ORDER BY code LIMIT 1 OFFSET 1)")
    conn.commit()
    conn.close()
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.show_home_preview(read_home_fast(path) or [])
    assert len(_cells(window, "Code")) == 3
    window.finish_startup()
    assert window.open_workspace_path(path)
    window.end_home_preview()
    home = window.views["home"]
    assert _cells(window, "Code") == []
    text = home.count_label.text()  # type: ignore[attr-defined]
    assert "damaged value" in text
    assert "inspections.lead" in text
    assert home.new_button.isEnabled()  # type: ignore[attr-defined]
    home.filter_edit.setText("x")  # type: ignore[attr-defined]
    home.filter_edit.setText("")  # type: ignore[attr-defined]
    assert home.count_label.text() == text  # type: ignore[attr-defined]
    ctx.workers.wait()
