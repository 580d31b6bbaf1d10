"""Import and merge from the GUI: plan on a worker, preview, apply as one undo step, undo.

Values are read back through core (``read_mine``), never from the widgets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QMainWindow

from qmsr_ready.core import services
from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.plan import Choice, ExchangePlan
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.export.api import export_xlsx
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.report.build import build_report
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.dialogs.exchange_preview import ExchangePreviewDialog
from qmsr_ready.ui.exchange_ops import ExchangeOps


class Harness:
    """ExchangeOps on a bare window, with the dialogs replaced by recorders."""

    def __init__(self, ctx: AppContext, qtbot: Any) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.ops = ExchangeOps(ctx, self.window)
        self.plans: list[ExchangePlan] = []
        self.errors: list[BaseException] = []
        self.decide: Any = lambda dialog: dialog.decisions()  # what the user does in the preview
        self.ops.report_error = lambda exc, title="": self.errors.append(exc)  # type: ignore[method-assign]
        self.ops.preview = self._preview  # type: ignore[method-assign]

    def _preview(self, plan: ExchangePlan) -> dict | None:  # type: ignore[type-arg]
        self.plans.append(plan)
        dialog = ExchangePreviewDialog(plan, self.window)
        try:
            return self.decide(dialog)
        finally:
            dialog.deleteLater()


@pytest.fixture
def harness(ctx: AppContext, qtbot) -> Harness:  # type: ignore[no-untyped-def]
    return Harness(ctx, qtbot)


def _values(ctx: AppContext, code: str, entity: str, key: str) -> dict[str, Any]:
    with ctx.read() as s:
        return read_mine(s, code).of(entity)[key]


def _export(ctx: AppContext, code: str, target: Path) -> Path:
    with ctx.read() as s:
        report = build_report(s, code)
    return export_xlsx(report, target, None, ExportOptions())


def _edit(path: Path, sheet: str, key: str, changes: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
    for name, value in changes.items():
        ws.cell(row, header[name]).value = value
    book.save(path)


def _run(qtbot, ctx: AppContext, start: Any) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=60000):
        job = start()
        assert job is not None


def _first_two_questions(ctx: AppContext, code: str) -> list[str]:
    """The first two question IDs a pack of ``code`` lists (the questions in scope)."""
    probe = _export(ctx, code, Path(ctx.workspace.path).with_name("probe.xlsx"))  # type: ignore[union-attr]
    ws = openpyxl.load_workbook(probe, read_only=True)["Checklist"]
    ids = [row[0] for row in ws.iter_rows(min_row=2, max_row=3, values_only=True)]
    probe.unlink()
    return [str(i) for i in ids]


def test_import_preview_apply_then_undo_puts_everything_back(
    qtbot, ctx: AppContext, add_inspection, harness: Harness, tmp_path: Path
) -> None:
    code = add_inspection(ctx)
    q1, q2 = _first_two_questions(ctx, code)
    with ctx.write("response", code) as s:
        services.record_response(s, ctx.actor, inspection_code=code, question_id=q2,
                                 result="conforms", notes="base")
    pack = _export(ctx, code, tmp_path / "pack.xlsx")
    _edit(pack, "Checklist", q1, {"Result": "Minor gap", "Notes": "Theirs: SOP-12 rev C missing"})
    _edit(pack, "Checklist", q2, {"Notes": "theirs"})
    with ctx.write("response", code) as s:  # a conflicting edit here
        services.record_response(s, ctx.actor, inspection_code=code, question_id=q2,
                                 notes="mine")
    before_q1 = _values(ctx, code, "response", q1)

    def decide(dialog: ExchangePreviewDialog) -> dict:  # type: ignore[type-arg]
        assert not dialog.apply_button.isEnabled(), "a conflict is undecided"
        assert "Decide 1 conflict" in dialog.undecided_label.text()
        dialog.model.decide_all(Choice.THEIRS)
        assert dialog.apply_button.isEnabled()
        return dialog.decisions()

    harness.decide = decide
    _run(qtbot, ctx, lambda: harness.ops.import_workbook(pack))
    assert harness.errors == []
    assert _values(ctx, code, "response", q1)["result"] == "minor_gap"
    assert _values(ctx, code, "response", q1)["notes"] == "Theirs: SOP-12 rev C missing"
    assert _values(ctx, code, "response", q2)["notes"] == "theirs"
    assert ctx.undo_stack.count() == 1
    assert ctx.undo_stack.undoText() == f"Import pack.xlsx ({code})"
    assert harness.ops.last_command is not None
    assert harness.ops.last_command.outcome.backup.exists(), "a backup was written first"

    ctx.undo_stack.undo()
    assert harness.ops.last_command.last_error is None
    assert _values(ctx, code, "response", q1) == before_q1
    assert _values(ctx, code, "response", q2)["notes"] == "mine"
    ctx.undo_stack.redo()
    assert _values(ctx, code, "response", q2)["notes"] == "theirs"


def test_cancel_in_preview_changes_nothing(
    qtbot, ctx: AppContext, add_inspection, harness: Harness, tmp_path: Path
) -> None:
    code = add_inspection(ctx)
    q1, _q2 = _first_two_questions(ctx, code)
    pack = _export(ctx, code, tmp_path / "pack.xlsx")
    _edit(pack, "Checklist", q1, {"Result": "Major gap"})
    before = _values(ctx, code, "response", q1)
    harness.decide = lambda dialog: None  # Cancel
    _run(qtbot, ctx, lambda: harness.ops.import_workbook(pack))
    assert len(harness.plans) == 1
    assert harness.plans[0].counts()["updates"] == 1
    assert _values(ctx, code, "response", q1) == before
    assert ctx.undo_stack.count() == 0


def test_bad_file_shows_the_message_and_changes_nothing(
    qtbot, ctx: AppContext, add_inspection, harness: Harness, tmp_path: Path
) -> None:
    code = add_inspection(ctx)
    q1, _q2 = _first_two_questions(ctx, code)
    bogus = tmp_path / "not-a-pack.xlsx"
    bogus.write_text("hello", encoding="utf-8")
    _run(qtbot, ctx, lambda: harness.ops.import_workbook(bogus))
    assert len(harness.errors) == 1
    assert isinstance(harness.errors[0], ImportRefused)
    assert harness.plans == []
    assert ctx.undo_stack.count() == 0

    pack = _export(ctx, code, tmp_path / "pack.xlsx")
    _edit(pack, "Checklist", q1, {"Result": "Maybe"})
    before = _values(ctx, code, "response", q1)
    _run(qtbot, ctx, lambda: harness.ops.import_workbook(pack))
    refused = harness.errors[-1]
    assert isinstance(refused, ImportRefused)
    assert any("Checklist!H" in p and "Maybe" in p for p in refused.problems)
    assert _values(ctx, code, "response", q1) == before


def test_error_box_lists_cell_problems_in_details(qtbot, ctx: AppContext) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    ops = ExchangeOps(ctx, window)
    shown = []
    from PySide6.QtWidgets import QMessageBox

    def fake_exec(box: QMessageBox) -> int:
        shown.append((box.text(), box.detailedText()))
        return 0

    QMessageBox_exec = QMessageBox.exec
    QMessageBox.exec = fake_exec  # type: ignore[method-assign,assignment]
    try:
        ops.report_error(ImportRefused.from_problems("pack.xlsx", [
            "Checklist!H12: Result 'Maybe' is not in the list", "Findings!C4: empty"]))
    finally:
        QMessageBox.exec = QMessageBox_exec  # type: ignore[method-assign]
    text, details = shown[0]
    assert text.startswith("pack.xlsx was not imported")
    assert "Checklist!H12" in details
    assert "Findings!C4" in details


def test_merge_from_the_gui(
    qtbot, ctx: AppContext, add_inspection, harness: Harness, tmp_path: Path
) -> None:
    from qmsr_ready.core.db import open_workspace

    code = add_inspection(ctx)
    q1, _q2 = _first_two_questions(ctx, code)
    other_path = tmp_path / "colleague.qmsr"
    assert ctx.workspace is not None
    ctx.workspace.backup_to(other_path)
    other = open_workspace(other_path, actor="Colleague")
    try:
        with other.begin() as s:
            services.record_response(s, "Colleague", inspection_code=code, question_id=q1,
                                     result="conforms", notes="Seen by the colleague")
    finally:
        other.close()
    ctx.set_current_inspection(code)
    _run(qtbot, ctx, lambda: harness.ops.merge_workspace(other_path))
    assert harness.errors == []
    assert harness.plans
    assert harness.plans[0].source.kind == "workspace"
    assert _values(ctx, code, "response", q1)["notes"] == "Seen by the colleague"
    assert ctx.undo_stack.undoText() == f"Merge colleague.qmsr ({code})"
    ctx.undo_stack.undo()
    assert _values(ctx, code, "response", q1)["notes"] == ""


def test_actions_disabled_with_a_reason(ctx: AppContext, add_inspection, qtbot) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.actions import build_actions

    window = QMainWindow()
    qtbot.addWidget(window)
    ops = ExchangeOps(ctx, window)
    actions = build_actions(window, {})
    ops.update_actions(actions, "", "")
    assert actions["import_workbook"].isEnabled()
    assert not actions["merge_workspace"].isEnabled()
    assert "Home list" in actions["merge_workspace"].toolTip()
    ops.update_actions(actions, "MI-1", "signed_off")
    assert not actions["merge_workspace"].isEnabled()
    assert "Reopen" in actions["merge_workspace"].toolTip()
    ops.update_actions(actions, "MI-1", "in_progress")
    assert actions["merge_workspace"].isEnabled()



def test_signed_off_inspection_refuses_before_the_preview_and_says_how_to_reopen(
    qtbot, ctx: AppContext, add_inspection, harness: Harness, tmp_path: Path
) -> None:
    from qmsr_ready.core.errors import InspectionLocked

    code = add_inspection(ctx)
    q1, _q2 = _first_two_questions(ctx, code)
    pack = _export(ctx, code, tmp_path / "pack.xlsx")
    _edit(pack, "Checklist", q1, {"Result": "Major gap"})
    with ctx.write("signoff", code) as s:
        services.sign_off(s, ctx.actor, code, name="Test Lead", meaning="Approved")
    _run(qtbot, ctx, lambda: harness.ops.import_workbook(pack))
    assert harness.plans == []
    assert isinstance(harness.errors[0], InspectionLocked)
    assert "Reopen" in harness.errors[0].message
    assert ctx.undo_stack.count() == 0
