"""'Changed since last export': the home list, the status bar and the Export dialog agree."""

from __future__ import annotations

from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.models.inspections_model import COLUMNS

MARK = "● Changed since last export"


def _export(qtbot, ctx: AppContext, code: str, target: Path):  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    dialog.pdf_box.setChecked(False)
    dialog.xlsx_box.path_edit.setText(str(target))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.job is not None and dialog.job.done, timeout=60000)
    assert dialog.status.text().startswith("✓ Saved"), dialog.status.text()
    return dialog


def _home_mark(window, code: str) -> str:  # type: ignore[no-untyped-def]
    home = window.views["home"]
    home.reload()
    row = home.model.row_of(code)
    return str(home.model.index(row, COLUMNS.index("Last export")).data())


def test_mark_appears_after_an_edit_and_clears_after_an_export(
    qtbot, ctx: AppContext, add_inspection, main_window, tmp_path: Path
) -> None:
    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    assert _home_mark(main_window, code) == "Never exported"

    dialog = _export(qtbot, ctx, code, tmp_path / "pack.xlsx")
    assert dialog.last_sent.text().startswith("Last sent: pack.xlsx, ")
    assert f"by {ctx.actor}" in dialog.last_sent.text()
    assert _home_mark(main_window, code) == "✓ Up to date with last export"
    assert MARK not in main_window.status_inspection.text()

    with ctx.write("response", code) as s:
        qid = services.get_inspection(s, code).template.content["areas"][0]["elements"][0][
            "questions"][0]["id"]
        services.record_response(s, ctx.actor, inspection_code=code, question_id=qid,
                                 result="conforms", notes="edited after the export")
    assert _home_mark(main_window, code) == MARK
    assert MARK in main_window.status_inspection.text()

    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    again = ExportDialog(ctx, code)
    qtbot.addWidget(again)
    assert MARK in again.last_sent.text()
    _export(qtbot, ctx, code, tmp_path / "pack2.xlsx")
    assert _home_mark(main_window, code) == "✓ Up to date with last export"
    assert MARK not in main_window.status_inspection.text()


def test_file_menu_offers_import_and_merge(main_window, ctx: AppContext, add_inspection) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in main_window.menus["file"].actions()]
    assert "Import &workbook…" in texts
    assert "&Merge workspace…" in texts
    assert main_window.menu_actions["import_workbook"].isEnabled()
    assert not main_window.menu_actions["merge_workspace"].isEnabled()  # no current inspection
    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    assert main_window.menu_actions["merge_workspace"].isEnabled()
