"""Export dialog runs both packs on a worker and writes files that read back."""

from __future__ import annotations

from pathlib import Path


def test_export_dialog_writes_both_packs(qtbot, ctx, add_inspection, tmp_path: Path) -> None:
    import openpyxl
    from pypdf import PdfReader

    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    code = add_inspection(ctx)
    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    dialog.xlsx_box.path_edit.setText(str(tmp_path / "out" / "pack.xlsx"))
    dialog.pdf_box.path_edit.setText(str(tmp_path / "out" / "pack.pdf"))
    (tmp_path / "out").mkdir()
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=60000):
        dialog.start()
    assert dialog.status.text().startswith("✓ Saved"), dialog.status.text()
    assert dialog.open_button.isVisibleTo(dialog)
    book = openpyxl.load_workbook(tmp_path / "out" / "pack.xlsx")
    assert "Checklist" in book.sheetnames
    pages = PdfReader(tmp_path / "out" / "pack.pdf").pages
    text = "".join(page.extract_text() or "" for page in pages)
    assert code in text
    assert ctx.settings.last_export_folder() == str(tmp_path / "out")


def test_export_cancel_leaves_no_file(qtbot, ctx, add_inspection, tmp_path: Path) -> None:
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    code = add_inspection(ctx)
    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    dialog.pdf_box.setChecked(False)
    target = tmp_path / "cancelled.xlsx"
    dialog.xlsx_box.path_edit.setText(str(target))
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=60000):
        dialog.start()
        dialog.job.cancel()
    assert "cancelled" in dialog.status.text()
    assert not target.exists()


def test_export_cover_logo_is_checked_used_and_remembered(
    qtbot, ctx, add_inspection, tmp_path: Path
) -> None:
    from pypdf import PdfReader
    from PySide6.QtGui import QColor, QImage

    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    code = add_inspection(ctx)
    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    dialog.xlsx_box.setChecked(False)
    target = tmp_path / "pack.pdf"
    dialog.pdf_box.path_edit.setText(str(target))
    dialog.logo_edit.setText(str(tmp_path / "missing.png"))
    dialog.start()
    assert dialog.job is None, "nothing runs with a missing logo"
    assert "missing.png does not exist" in dialog.status.text()
    assert not target.exists()

    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f4e79"))
    assert image.save(str(logo))
    dialog.logo_edit.setText(str(logo))
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=60000):
        dialog.start()
    assert dialog.status.text().startswith("✓ Saved"), dialog.status.text()
    assert len(PdfReader(target).pages[0].images) == 1, "the logo is on the cover"
    assert ctx.settings.logo_path() == str(logo)


def test_export_dialog_refuses_one_name_for_both_packs(
    qtbot, ctx, add_inspection, tmp_path: Path
) -> None:
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(ctx, add_inspection(ctx))
    qtbot.addWidget(dialog)
    dialog.xlsx_box.path_edit.setText(str(tmp_path / "pack"))
    dialog.pdf_box.path_edit.setText(str(tmp_path / "pack"))
    dialog.start()
    assert dialog.job is None
    assert "different file names" in dialog.status.text()


def test_export_dialog_refuses_the_workspace_wal_before_starting(
    qtbot, ctx, add_inspection
) -> None:
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(ctx, add_inspection(ctx))
    qtbot.addWidget(dialog)
    wal = ctx.workspace.path.with_name(ctx.workspace.path.name + "-wal")
    before = wal.read_bytes() if wal.exists() else None
    dialog.xlsx_box.path_edit.setText(str(wal))
    dialog.pdf_box.setChecked(False)
    dialog.start()
    assert dialog.job is None
    assert "write-ahead log" in dialog.status.text()
    assert (wal.read_bytes() if wal.exists() else None) == before


def test_export_dialog_says_what_changed_since_compares_with(
    qtbot, ctx, add_inspection, tmp_path: Path
) -> None:
    from qmsr_ready.core.export.run import run_export
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    code = add_inspection(ctx)
    run_export(ctx.workspace, code, pdf=tmp_path / "pack.pdf", actor=ctx.actor)
    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    assert "newest pack sent, workbook or PDF" in dialog.last_sent.toolTip()
