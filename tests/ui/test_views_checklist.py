"""Checklist runner: keyboard answers, autosaved notes, navigation, filters, undo, lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.models import AuditEvent, Response
from qmsr_ready.core.reasons import na_reason
from qmsr_ready.core.views.checklist import load_checklist
from qmsr_ready.ui.models.checklist_model import ChecklistFilterProxy, ChecklistTreeModel
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

# The offscreen platform warns that it cannot propagate size hints; that is not our bug.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _runner(qtbot, env) -> ChecklistRunnerView:
    view = ChecklistRunnerView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    with qtbot.waitActive(view):  # shortcuts only fire in the active window
        view.show()
        view.activateWindow()
    view.set_inspection(env.code)
    return view


def _response(env, question_id: str) -> Response | None:
    with env.ctx.read() as s:
        return s.scalars(select(Response).where(Response.question_id == question_id)).first()


def _events(env, action: str) -> list[AuditEvent]:
    with env.ctx.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_tree_model_passes_modeltester(qtmodeltester, views_env) -> None:
    model = ChecklistTreeModel()
    with views_env.ctx.read() as s:
        model.load(load_checklist(s, views_env.code))
    qtmodeltester.check(model)
    # Out-of-scope MO-13 is not shown; the rest are, with progress per area.
    assert model.question_ids() == [
        "MO-05-Q01", "MO-05-Q02", "MO-11-Q01", "MA-03-Q01", "MA-03-Q02", "MA-03-Q03",
    ]  # fmt: skip
    assert model.index(0, 1).data() == "0/3"
    model.set_result("MO-05-Q01", "conforms")
    assert model.index(0, 1).data() == "1/3"
    qtmodeltester.check(model)
    proxy = ChecklistFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_mode("unanswered")
    qtmodeltester.check(proxy)
    proxy.set_search("complaint")
    assert proxy.rowCount() == 1  # only the MA area keeps matching questions


def test_answer_by_keyboard_lands_in_db_and_audit(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    assert view.current_question_id() == "MO-05-Q01"  # first unanswered is selected
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_3)
    row = _response(views_env, "MO-05-Q01")
    assert row is not None
    assert row.result == "major_gap"
    assert row.assessed_by == ACTOR
    events = _events(views_env, "response.record")
    assert events
    assert events[-1].actor == ACTOR
    assert events[-1].changes["result"][1] == "major_gap"
    assert "1 of 6 answered · 1 gap" in view.progress_label.text()
    # F8 moves to the next unanswered, 1 records Conforms there.
    qtbot.keyClick(view.tree, Qt.Key.Key_F8)
    assert view.current_question_id() == "MO-05-Q02"
    qtbot.keyClick(view.tree, Qt.Key.Key_1)
    assert _response(views_env, "MO-05-Q02").result == "conforms"
    # F9 jumps to the (only) gap.
    qtbot.keyClick(view.tree, Qt.Key.Key_F9)
    assert view.current_question_id() == "MO-05-Q01"


def test_notes_autosave_after_pause_and_merge_into_one_undo_step(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    view.select_question("MA-03-Q01")
    notes = view.panel.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "Only 3 complaints")
    # No Save button: the text lands after the typing pause.
    qtbot.waitUntil(lambda: (_response(views_env, "MA-03-Q01") or Response()).notes
                    == "Only 3 complaints", timeout=3000)
    qtbot.keyClicks(notes, " lacked MDR decisions")
    view.panel.flush()  # as on focus-out or question change
    assert _response(views_env, "MA-03-Q01").notes == "Only 3 complaints lacked MDR decisions"
    # Typing "1" in the notes types a digit; it does not record a result.
    assert _response(views_env, "MA-03-Q01").result == "not_assessed"
    # Both autosaves of the same notes are one undo step back to empty.
    stack = views_env.ctx.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert _response(views_env, "MA-03-Q01").notes == ""
    assert notes.toPlainText() == ""  # the panel shows the undone value
    stack.redo()
    assert notes.toPlainText() == "Only 3 complaints lacked MDR decisions"


def test_question_change_flushes_notes_and_sampling_saved(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    view.select_question("MO-05-Q01")
    view.panel.notes.setPlainText("Index found, rev C")
    view.panel.interviewees.setPlainText("R. Patel — QA manager")
    view.select_question("MO-05-Q02")  # moving on saves what was typed
    row = _response(views_env, "MO-05-Q01")
    assert (row.notes, row.interviewees) == ("Index found, rev C", "R. Patel — QA manager")
    view.panel.population.setValue(120)
    view.panel.population.editingFinished.emit()
    view.panel.sample_size.setValue(12)
    view.panel.sample_size.editingFinished.emit()
    view.panel.records_reviewed.setPlainText("DHR-1001\nDHR-1002")
    view.panel.flush()
    row = _response(views_env, "MO-05-Q02")
    assert (row.sample_population, row.sample_size) == (120, 12)
    assert row.records_reviewed == "DHR-1001\nDHR-1002"


def test_undo_redo_of_a_response_restores_previous_values(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    assert view.record("MO-11-Q01", {"result": "minor_gap"}) is None
    assert view.record("MO-11-Q01", {"result": "conforms"}) is None
    stack = views_env.ctx.undo_stack
    stack.undo()
    assert _response(views_env, "MO-11-Q01").result == "minor_gap"
    assert view.model.result("MO-11-Q01") == "minor_gap"  # the tree mark follows
    stack.undo()
    assert _response(views_env, "MO-11-Q01").result == "not_assessed"
    stack.redo()
    stack.redo()
    assert _response(views_env, "MO-11-Q01").result == "conforms"
    changes = [e.changes["result"] for e in _events(views_env, "response.record")]
    assert changes[-2:] == [["not_assessed", "minor_gap"], ["minor_gap", "conforms"]]


def test_filters_and_search(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    view.record("MA-03-Q01", {"result": "major_gap"})
    view.record("MO-05-Q01", {"result": "conforms"})

    def visible_questions() -> list[str]:
        found = []
        for a in range(view.proxy.rowCount()):
            area = view.proxy.index(a, 0)
            for e in range(view.proxy.rowCount(area)):
                element = view.proxy.index(e, 0, area)
                for q in range(view.proxy.rowCount(element)):
                    found.append(view.proxy.index(q, 0, element).data().split()[0])
        return found

    view.filter_combo.setCurrentIndex(view.filter_combo.findData("gaps"))
    assert visible_questions() == ["MA-03-Q01"]
    view.filter_combo.setCurrentIndex(view.filter_combo.findData("unanswered"))
    assert "MO-05-Q01" not in visible_questions()
    assert len(visible_questions()) == 4
    view.filter_combo.setCurrentIndex(0)
    view.search.setText("21 CFR 803")  # citations are searched too
    assert visible_questions() == ["MA-03-Q01"]
    view.search.setText("management review")
    assert visible_questions() == ["MO-11-Q01"]


def test_attach_open_and_remove_evidence(qtbot, views_env, tmp_path: Path) -> None:
    view = _runner(qtbot, views_env)
    view.select_question("MA-03-Q01")
    sample = tmp_path / "complaint-log.csv"
    sample.write_text("id,decision\nC-1,no MDR\n", encoding="utf-8")
    with qtbot.waitSignal(view.panel.evidence.attached, timeout=30_000):  # read on a worker
        assert view.panel.evidence.add_files([sample]) is None
    rows = view.panel.evidence.model.rows()
    assert [r.filename for r in rows] == ["complaint-log.csv"]
    copy = view.panel.evidence.temp_copy(rows[0].code)
    assert copy.read_bytes() == sample.read_bytes()
    assert copy != sample
    assert _events(views_env, "evidence.attach")
    assert view.panel.evidence.remove(rows[0].code) is None
    assert view.panel.evidence.model.rowCount() == 0
    missing = view.panel.evidence.add_files([tmp_path / "nope.pdf"])
    assert missing is not None
    assert "nope.pdf" in missing.message


def test_signed_off_inspection_locks_every_input(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    with views_env.ctx.write("signoff", views_env.code) as s:
        services.sign_off(s, ACTOR, views_env.code, name=ACTOR, meaning="Reviewed")
    assert view.banner.isVisibleTo(view)
    assert "Signed off" in view.banner.text()
    assert not view.panel.result_buttons["conforms"].isEnabled()
    assert view.panel.notes.isReadOnly()
    assert not view.panel.raise_button.isEnabled()
    assert not view.panel.evidence.add_button.isEnabled()
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_1)
    assert _response(views_env, "MO-05-Q01") is None
    assert view.record("MO-05-Q01", {"result": "conforms"}) is not None
    assert view.open_raise_finding("MO-05-Q01") is None


def test_read_only_workspace_refuses_edits(qtbot, views_env, tmp_path: Path) -> None:
    from views_fixtures import make_context

    from qmsr_ready.core.db import open_workspace

    reader = open_workspace(views_env.workspace_path, read_only=True)
    ctx = make_context(tmp_path / "ro", reader)
    try:
        view = ChecklistRunnerView(ctx)
        qtbot.addWidget(view)
        view.set_inspection(views_env.code)
        assert "read-only" in view.banner.text()
        assert not view.editable
        assert not view.panel.result_buttons["major_gap"].isEnabled()
        assert view.record("MO-05-Q01", {"result": "conforms"}) is not None
        assert ctx.undo_stack.count() == 0
        assert view.panel.evidence.add_files([__file__]) is not None
    finally:
        ctx.set_workspace(None)
        reader.close()
    assert _response(views_env, "MO-05-Q01") is None


def test_sample_numbers_are_saved_when_leaving_by_keyboard(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    first = view.panel.question_id
    view.panel.population.setValue(40)  # typed, but focus never left the box
    view.panel.sample_size.setValue(10)
    qtbot.keyClick(view, Qt.Key.Key_F8)  # next unanswered question
    assert view.panel.question_id != first
    stored = _response(views_env, first)
    assert stored is not None
    assert (stored.sample_population, stored.sample_size) == (40, 10)


def test_refused_sample_size_is_not_left_on_screen(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    qid = view.panel.question_id
    view.panel.population.setValue(5)
    view.panel.flush()
    view.panel.sample_size.setValue(20)  # larger than the population: refused
    view.panel.flush()
    assert "sample" in view.message.text().lower()
    assert view.panel.sample_size.value_or_none() is None
    stored = _response(views_env, qid)
    assert (stored.sample_population, stored.sample_size) == (5, None)


def test_undo_steps_name_their_inspection(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    qid = view.panel.question_id
    assert view.record(qid, {"result": "conforms"}) is None
    assert views_env.ctx.undo_stack.undoText() == f"Set {qid} to Conforms ({views_env.code})"


def test_not_applicable_asks_for_a_reason_and_saves_both_as_one_step(
        qtbot, views_env, monkeypatch) -> None:
    from qmsr_ready.ui.widgets import question_panel

    asked: list[str] = []
    answers = iter(["", "  Site does not install devices.  "])

    def fake_ask(_parent, question_id: str) -> str:
        asked.append(question_id)
        return next(answers).strip()

    monkeypatch.setattr(question_panel, "ask_na_reason", fake_ask)
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    view.panel.choose_result("not_applicable")  # cancelled: nothing saved, button not left on
    assert asked == [qid]
    assert _response(views_env, qid) is None
    assert not view.panel.result_buttons["not_applicable"].isChecked()
    view.panel.choose_result("not_applicable")
    row = _response(views_env, qid)
    assert row is not None
    assert (row.result, row.notes) == ("not_applicable",
                                       "Not applicable: Site does not install devices.")
    views_env.ctx.undo_stack.undo()  # one step takes back the result and its reason
    row = _response(views_env, qid)
    assert (row.result, row.notes) == ("not_assessed", "")
    # Notes holding an assessment are no reason: it still asks, and puts the reason on top.
    answers = iter(["Installation is done by the distributor."])
    view.panel.notes.setPlainText("Checked the service log: no installs.")
    view.panel.choose_result("not_applicable")
    assert asked == [qid, qid, qid]
    row = _response(views_env, qid)
    assert (row.result, row.notes) == (
        "not_applicable", "Not applicable: Installation is done by the distributor.\n"
                          "Checked the service log: no installs.")
    assert na_reason(row.notes) == "Installation is done by the distributor."
