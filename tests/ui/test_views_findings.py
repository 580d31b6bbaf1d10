"""Findings: raise from a question, register filters, the close workflow, undo/redo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.models import AuditEvent, Finding
from qmsr_ready.ui.models.findings_model import (
    FindingsFilterProxy,
    FindingsTableModel,
    load_finding_rows,
)
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView
from qmsr_ready.ui.views.findings_register import FindingsRegisterView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)

TODAY = dt.date.today()


def _seed_findings(env) -> None:
    rows = [
        ("Complaint files incomplete", "major", ["MA-03-Q01"], "Dana", TODAY - dt.timedelta(10)),
        ("MDF lacks labelling", "minor", ["MO-05-Q02"], "Eli", TODAY + dt.timedelta(20)),
        ("Review minutes unsigned", "observation", ["MO-11-Q01"], "Dana", None),
        ("Trending not linked to CAPA", "critical", ["MA-03-Q02"], "", TODAY - dt.timedelta(3)),
    ]
    with env.ctx.workspace.begin() as s:
        for title, cls, qids, owner, due in rows:
            services.raise_finding(
                s, ACTOR, inspection_code=env.code, title=title, classification=cls,
                question_ids=qids, owner=owner, due_date=due,
            )  # fmt: skip


def _finding(env, code: str) -> SimpleNamespace | None:
    """A detached copy of the stored finding (plain attributes)."""
    with env.ctx.read() as s:
        row = s.scalars(select(Finding).where(Finding.code == code)).first()
        if row is None:
            return None
        fields = ("title", "status", "owner", "severity", "corrective_action")
        return SimpleNamespace(
            **{f: getattr(row, f) for f in fields}, question_ids=list(row.question_ids)
        )


def _register(qtbot, env) -> FindingsRegisterView:
    view = FindingsRegisterView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.set_inspection(env.code)
    return view


def test_models_pass_modeltester(qtmodeltester, views_env) -> None:
    _seed_findings(views_env)
    model = FindingsTableModel(today=TODAY)
    with views_env.ctx.read() as s:
        model.set_rows(load_finding_rows(s, views_env.code))
    qtmodeltester.check(model)
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(overdue_only=True)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2


def test_register_filters_and_marks_overdue(qtbot, views_env) -> None:
    _seed_findings(views_env)
    view = _register(qtbot, views_env)
    assert view.proxy.rowCount() == 4
    assert "2 overdue" in view.count_label.text()
    due_cells = [view.model.index(r, 7).data() for r in range(4)]
    assert sum("⚠ Overdue" in (c or "") for c in due_cells) == 2
    view.overdue_filter.setChecked(True)
    shown = {view.proxy.index(r, 1).data() for r in range(view.proxy.rowCount())}
    assert shown == {"F-001", "F-004"}
    view.overdue_filter.setChecked(False)
    view.owner_filter.setCurrentIndex(view.owner_filter.findData("Dana"))
    assert view.proxy.rowCount() == 2
    view.area_filter.setCurrentIndex(view.area_filter.findData("MA"))
    assert view.proxy.rowCount() == 1  # Dana's finding in MA
    view.owner_filter.setCurrentIndex(0)
    view.class_filter.setCurrentIndex(view.class_filter.findData("critical"))
    assert [view.proxy.index(0, 1).data()] == ["F-004"]
    assert view.proxy.rowCount() == 1
    view.class_filter.setCurrentIndex(0)
    view.area_filter.setCurrentIndex(0)
    view.status_filter.setCurrentIndex(view.status_filter.findData("closed"))
    assert view.proxy.rowCount() == 0
    assert "Showing 0 of 4" in view.count_label.text()


def test_raise_finding_from_question_prefilled_and_undoable(qtbot, views_env) -> None:
    runner = ChecklistRunnerView(views_env.ctx)
    qtbot.addWidget(runner)
    runner.set_inspection(views_env.code)
    runner.select_question("MA-03-Q01")
    runner.record("MA-03-Q01", {"result": "major_gap", "notes": "3 of 10 lacked MDR decision"})
    editor = runner.open_raise_finding()
    assert editor is not None
    assert editor.values()["question_ids"] == ["MA-03-Q01"]
    assert editor.values()["requirement"] == "ISO 13485:2016 8.2.2; 21 CFR 803"
    assert editor.values()["classification"] == "major"
    assert editor.values()["objective_evidence"] == "3 of 10 lacked MDR decision"
    editor.title.setText("MDR decisions not documented")
    editor.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    row = _finding(views_env, "F-001")
    assert row is not None
    assert row.title == "MDR decisions not documented"
    assert row.question_ids == ["MA-03-Q01"]
    # Undo deletes it (audited), redo brings it back under the same code.
    views_env.ctx.undo_stack.undo()
    assert _finding(views_env, "F-001") is None
    views_env.ctx.undo_stack.redo()
    assert _finding(views_env, "F-001").title == "MDR decisions not documented"
    with views_env.ctx.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-3:] == ["finding.raise", "finding.delete", "finding.raise"]


def test_close_refused_with_reason_then_allowed(qtbot, views_env) -> None:
    _seed_findings(views_env)
    view = _register(qtbot, views_env)
    assert view.select_finding(views_env.code, "F-002")
    editor = view.open_selected()
    assert editor is not None
    assert editor.finding_code == "F-002"
    editor.boxes["corrective_action"].setPlainText("Add labelling section to MDF template")
    assert editor.move_status("closed") is False
    assert "effectiveness check" in editor.error_label.text()
    assert editor.error_label.isVisibleTo(editor)
    assert _finding(views_env, "F-002").status == "open"
    # The corrective action was saved on the way (its own undo step).
    assert _finding(views_env, "F-002").corrective_action.startswith("Add labelling")
    editor.boxes["effectiveness_check"].setPlainText("Audit of 5 MDFs in Q1 found none missing")
    assert editor.move_status("closed") is True
    assert _finding(views_env, "F-002").status == "closed"
    assert "Closed" in editor.status_label.text()
    assert view.status_filter.findData("closed") >= 0
    view.status_filter.setCurrentIndex(view.status_filter.findData("closed"))
    assert view.proxy.rowCount() == 1  # the register refreshed itself
    # Undo the close: back to open through the reopen rule.
    views_env.ctx.undo_stack.undo()
    assert _finding(views_env, "F-002").status == "open"
    views_env.ctx.undo_stack.redo()
    assert _finding(views_env, "F-002").status == "closed"


def test_update_finding_undo_restores_fields(qtbot, views_env) -> None:
    _seed_findings(views_env)
    view = _register(qtbot, views_env)
    editor = view.open_finding(views_env.code, "F-003")
    editor.owner.setText("Farah")
    editor.severity.setValue(5)
    assert editor.save()
    stored = _finding(views_env, "F-003")
    assert (stored.owner, stored.severity) == ("Farah", 5)
    views_env.ctx.undo_stack.undo()
    stored = _finding(views_env, "F-003")
    assert (stored.owner, stored.severity) == ("Dana", 3)


def test_finding_evidence_attaches_and_lists(qtbot, views_env, tmp_path: Path) -> None:
    _seed_findings(views_env)
    view = _register(qtbot, views_env)
    editor = view.open_finding(views_env.code, "F-001")
    report = tmp_path / "investigation.txt"
    report.write_text("Root cause: form lacked MDR field.", encoding="utf-8")
    with qtbot.waitSignal(editor.evidence.attached, timeout=30_000):  # read on a worker
        assert editor.evidence.add_files([report]) is None
    assert [r.filename for r in editor.evidence.model.rows()] == ["investigation.txt"]
    assert editor.evidence.temp_copy(editor.evidence.model.rows()[0].code).read_text(
        encoding="utf-8"
    ).startswith("Root cause")
