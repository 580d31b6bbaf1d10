"""A whole mock inspection driven through the main window, from a new workspace to reopening.

File > New workspace, the New inspection wizard (real fda-qmsr template), answers by keyboard,
autosaved notes, evidence, a finding raised and closed through the workflow rules, undo/redo,
sign-off (which locks the checklist) and reopen. After each step the database and the audit
trail are checked; at the end the hash chain must verify.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import (
    Run,
    activate,
    audit_actions,
    drive_modal,
    event_count,
    finding_fields,
    last_event,
    open_window,
    responses,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from sqlalchemy import select

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.library import Catalogue, plan
from qmsr_ready.core.models import (
    Evidence,
    EvidenceLink,
    Inspection,
    InspectionElement,
    SignOff,
    Site,
)
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.ui.widgets import question_panel

ACTOR = "Dana Whitfield"
START, END = dt.date(2026, 12, 1), dt.date(2026, 12, 3)

pytestmark = [
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
    pytest.mark.filterwarnings("ignore:.*setActiveWindow.*:DeprecationWarning"),
]


@pytest.fixture
def run(qtbot, qapp, tmp_path: Path, monkeypatch) -> Iterator[Run]:  # type: ignore[no-untyped-def]
    """A shown main window with no workspace open; error boxes are recorded, not shown."""
    yield from open_window(qtbot, qapp, tmp_path, monkeypatch, ACTOR)


def test_whole_mock_inspection_through_the_main_window(run: Run, monkeypatch) -> None:
    _new_workspace(run, monkeypatch)
    _plan_inspection_with_wizard(run)
    _answer_questions_by_keyboard(run)
    _notes_autosave_and_evidence(run)
    _raise_finding_from_gap(run)
    _close_finding_in_register(run)
    _undo_redo_last_response(run)
    _sign_off_locks_checklist(run)
    _reopen_with_reason(run)
    with run.ctx.read() as s:
        report = verify_chain(s)
    assert report.ok, report.problem
    assert report.event_count == event_count(run.ctx)
    assert run.errors == [], "no error box was shown along the way"


# -- steps ----------------------------------------------------------------------------------
def _new_workspace(run: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui import main_window as main_window_module

    target = run.tmp / "springfield"
    monkeypatch.setattr(main_window_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    assert run.ctx.workspace is None
    run.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    path = target.with_suffix(".qmsr")
    assert run.ctx.workspace is not None
    assert run.ctx.workspace.path == path.absolute()
    assert path.exists()
    assert not run.ctx.read_only
    assert run.window.windowTitle() == "springfield — QMSR Ready"
    assert run.window.settings.recent_files()[0] == str(path.absolute())
    home = run.window.views["home"]
    assert home.pages.currentIndex() == 1, "an empty workspace invites the first steps"
    assert audit_actions(run.ctx) == ["workspace.create"]
    assert last_event(run.ctx, "workspace.create")[0], "the creation is attributed to someone"


def _plan_inspection_with_wizard(run: Run) -> None:
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard

    qtbot = run.qtbot
    template = next(t for t in Catalogue().latest() if t.key == "fda-qmsr")
    profile = SiteProfile(device_classes=("II",), sterile_products=True)
    proposal = {p.element_id: p.selected
                for p in plan(template.content, profile, "baseline_surveillance")}
    shown: dict[str, object] = {}

    def drive(wizard: NewInspectionWizard) -> None:
        site = wizard.site_page
        assert site.new_radio.isChecked()
        qtbot.keyClicks(site.name_edit, "Springfield Sterile Plant")
        qtbot.keyClicks(site.fei_edit, "3009876543")
        site.class_checks["II"].setChecked(True)
        site.flag_checks["sterile_products"].setChecked(True)
        wizard.next()
        types = wizard.type_page.type_combo
        types.setCurrentIndex(types.findData("baseline_surveillance"))
        templates = wizard.type_page.template_combo
        templates.setCurrentIndex(templates.findData("fda-qmsr"))
        wizard.next()
        page = wizard.elements_page
        rows = {page.model.item(r, 0).text(): page.model.item(r, 3).text()
                for r in range(page.model.rowCount())}
        assert all(rows.values()), "every proposed element says why"
        shown["choices"] = {c.element_id: c.selected for c in page.choices()}
        wizard.next()  # accept the planner's proposal as it stands
        details = wizard.details_page
        qtbot.keyClicks(details.title_edit, "Baseline mock before FDA visit")
        details.lead_edit.clear()
        qtbot.keyClicks(details.lead_edit, "R. Patel")
        qtbot.keyClicks(details.team_edit, "Ana Ruiz, Bo Chen")
        details.start_edit.setDate(QDate(START.year, START.month, START.day))
        details.end_edit.setDate(QDate(END.year, END.month, END.day))
        finish = wizard.button(QWizard.WizardButton.FinishButton)
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)

    home = run.window.views["home"]
    drive_modal(lambda: qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton),
                NewInspectionWizard, drive)
    assert shown["choices"] == proposal, "the wizard showed the planner's proposal unchanged"
    code = run.ctx.current_inspection
    assert code, "the new inspection became the current one"
    run.code = code
    with run.ctx.read() as s:
        insp = s.scalars(select(Inspection).where(Inspection.code == code)).one()
        assert (insp.inspection_type, insp.model) == ("baseline_surveillance", 2)
        assert insp.template.key == "fda-qmsr"
        assert insp.title == "Baseline mock before FDA visit"
        assert (insp.lead, insp.team) == ("R. Patel", ["Ana Ruiz", "Bo Chen"])
        assert (insp.planned_start, insp.planned_end) == (START, END)
        site = s.scalars(select(Site)).one()
        assert (site.name, site.fei_number) == ("Springfield Sterile Plant", "3009876543")
        assert site.sterile_products
        assert site.device_classes == ["II"]
        stored = dict(s.execute(select(InspectionElement.element_id, InspectionElement.selected)
                                .where(InspectionElement.inspection_id == insp.id)).all())
    assert stored == proposal
    sterile_only = [e["id"] for a in template.content["areas"] for e in a["elements"]
                    if e.get("sterile_only")]
    assert sterile_only, "the real template has sterile-only elements"
    assert all(stored[e] for e in sterile_only), "the sterile profile brought them in"
    actions = audit_actions(run.ctx)
    assert "site.create" in actions
    assert "inspection.create" in actions
    assert last_event(run.ctx, "inspection.create")[0] == ACTOR
    assert home.pages.currentIndex() == 0
    assert home.model.rowCount() == 1


def _answer_questions_by_keyboard(run: Run) -> None:
    run.key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert run.window.current_view_key() == "checklist"
    view = run.checklist
    assert view.inspection_code == run.code
    first = view.current_question_id()
    assert first == view.model.question_ids()[0], "the first unanswered question is shown"
    view.tree.setFocus()
    events_before = len(audit_actions(run.ctx, run.code))
    plan_keys = [(Qt.Key.Key_1, "conforms"), (Qt.Key.Key_3, "major_gap"),
                 (Qt.Key.Key_2, "minor_gap"), (Qt.Key.Key_4, "not_applicable")]
    for i, (key, result) in enumerate(plan_keys):
        if i:
            run.key(Qt.Key.Key_F8)
            assert view.current_question_id() not in run.answered
        qid = view.current_question_id()
        with pytest.MonkeyPatch.context() as mp:  # N/A asks why; answer the prompt
            mp.setattr(question_panel, "ask_na_reason", lambda *_a: "No such process here.")
            run.key(key)
        assert responses(run.ctx, run.code)[qid][0] == result
        run.answered[qid] = result
    # A fifth: 2 (minor gap), then 0 puts it back to not assessed, then 1 records Conforms.
    run.key(Qt.Key.Key_F8)
    fifth = view.current_question_id()
    run.key(Qt.Key.Key_2)
    run.key(Qt.Key.Key_0)
    assert responses(run.ctx, run.code)[fifth][0] == "not_assessed"
    run.key(Qt.Key.Key_1)
    run.answered[fifth] = "conforms"
    stored = responses(run.ctx, run.code)
    assert {q: stored[q][0] for q in run.answered} == run.answered
    assert len(run.answered) == 5
    assert "5 of" in view.progress_label.text()
    assert "2 gaps" in view.progress_label.text()
    actions = audit_actions(run.ctx, run.code)[events_before:]
    assert actions.count("response.record") == 7  # five answers + the 2 → 0 detour
    assert "inspection.status" in actions, "the first answer moved the inspection under way"
    actor, entity, changes = last_event(run.ctx, "response.record")
    assert actor == ACTOR
    assert entity.endswith(fifth)
    assert changes["result"] == ["not_assessed", "conforms"]
    run.gap_question = next(q for q, r in run.answered.items() if r == "major_gap")


def _notes_autosave_and_evidence(run: Run) -> None:
    view, qtbot = run.checklist, run.qtbot
    for _ in range(2):  # F9 = next gap (two gaps so far, wrapping)
        run.key(Qt.Key.Key_F9)
        if view.current_question_id() == run.gap_question:
            break
    assert view.current_question_id() == run.gap_question
    notes = view.panel.notes
    notes.setFocus()
    text = "Three of ten DHRs lack sterilisation load records"
    qtbot.keyClicks(notes, text)
    assert responses(run.ctx, run.code)[run.gap_question][0] == "major_gap", \
        "digits typed in the notes are text, not result keys"
    qtbot.waitUntil(lambda: responses(run.ctx, run.code)[run.gap_question][1] == text,
                    timeout=5000)
    assert last_event(run.ctx, "response.record")[2]["notes"] == ["", text]

    sample = run.tmp / "dhr-sample.csv"
    sample.write_text("dhr,load\nDHR-1001,\nDHR-1002,L-77\n", encoding="utf-8")
    with qtbot.waitSignal(view.panel.evidence.attached, timeout=30_000):  # read on a worker
        assert view.panel.evidence.add_files([sample]) is None
    assert [r.filename for r in view.panel.evidence.model.rows()] == ["dhr-sample.csv"]
    with run.ctx.read() as s:
        ev = s.scalars(select(Evidence)).one()
        assert (ev.filename, ev.size, ev.added_by) == ("dhr-sample.csv", sample.stat().st_size,
                                                       ACTOR)
        links = s.scalars(select(EvidenceLink.question_id)).all()
    assert links == [run.gap_question]
    assert audit_actions(run.ctx, run.code)[-2:] == ["evidence.attach", "evidence.link"]
    assert last_event(run.ctx, "evidence.attach")[2]["filename"] == [None, "dhr-sample.csv"]
    assert run.gap_question in str(last_event(run.ctx, "evidence.link")[2]["linked_to"])


def _raise_finding_from_gap(run: Run) -> None:
    view, qtbot = run.checklist, run.qtbot
    assert view.current_question_id() == run.gap_question
    with qtbot.waitSignal(view.finding_editor_opened, timeout=3000) as opened:
        qtbot.mouseClick(view.panel.raise_button, Qt.MouseButton.LeftButton)
    editor = opened.args[0]
    question = view.model.question(run.gap_question)
    prefilled = editor.values()
    assert prefilled["question_ids"] == [run.gap_question]
    assert prefilled["classification"] == "major"
    assert prefilled["requirement"] == "; ".join(question.citations)
    assert prefilled["objective_evidence"].startswith("Three of ten DHRs")
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Sterilisation load records missing from DHRs")
    qtbot.keyClicks(editor.owner, "M. Okafor")
    editor.has_due.setChecked(True)
    editor.due_date.setDate(QDate(2027, 1, 15))
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Raise finding"
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    run.finding = "F-001"
    stored = finding_fields(run.ctx, run.code, run.finding)
    assert stored["title"] == "Sterilisation load records missing from DHRs"
    assert (stored["classification"], stored["status"]) == ("major", "open")
    assert (stored["owner"], stored["due_date"]) == ("M. Okafor", dt.date(2027, 1, 15))
    assert stored["question_ids"] == [run.gap_question]
    assert stored["requirement"] == "; ".join(question.citations)
    actor, entity, _changes = last_event(run.ctx, "finding.raise")
    assert (actor, entity) == (ACTOR, f"{run.code}/{run.finding}")


def _close_finding_in_register(run: Run) -> None:
    qtbot = run.qtbot
    run.key(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert run.window.current_view_key() == "findings"
    register = run.window.views["findings"]
    assert register.proxy.rowCount() == 1
    assert register.select_finding(run.code, run.finding)
    register.table.setFocus()
    with qtbot.waitSignal(register.finding_editor_opened, timeout=3000) as opened:
        run.key(Qt.Key.Key_Return, widget=register.table)
    editor = opened.args[0]
    assert editor.finding_code == run.finding
    before = (event_count(run.ctx), run.ctx.undo_stack.count())
    editor.move_to.setCurrentIndex(editor.move_to.findData("closed"))
    qtbot.mouseClick(editor.move_button, Qt.MouseButton.LeftButton)
    assert editor.error_label.isVisibleTo(editor)
    refusal = editor.error_label.text()
    assert "Not moved" in refusal
    assert "effectiveness check" in refusal, "the refusal names what is missing"
    assert finding_fields(run.ctx, run.code, run.finding)["status"] == "open"
    assert (event_count(run.ctx), run.ctx.undo_stack.count()) == before, "nothing changed"

    editor.tabs.setCurrentIndex(1)  # Action and closure
    qtbot.keyClicks(editor.boxes["corrective_action"], "Add load record check to DHR review SOP")
    qtbot.keyClicks(editor.boxes["effectiveness_check"], "20 DHRs audited in Feb: all complete")
    editor.move_to.setCurrentIndex(editor.move_to.findData("closed"))
    qtbot.mouseClick(editor.move_button, Qt.MouseButton.LeftButton)
    assert not editor.error_label.isVisibleTo(editor), editor.error_label.text()
    assert "Closed" in editor.status_label.text()
    stored = finding_fields(run.ctx, run.code, run.finding)
    assert stored["status"] == "closed"
    assert stored["closed_at"] is not None
    assert stored["corrective_action"] == "Add load record check to DHR review SOP"
    assert stored["effectiveness_check"] == "20 DHRs audited in Feb: all complete"
    assert audit_actions(run.ctx, run.code)[-2:] == ["finding.update", "finding.transition"]
    assert last_event(run.ctx, "finding.transition")[2]["status"] == ["open", "closed"]
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    register.status_filter.setCurrentIndex(register.status_filter.findData("closed"))
    assert register.proxy.rowCount() == 1, "the register shows the closed finding"


def _undo_redo_last_response(run: Run) -> None:
    run.key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = run.checklist
    conforming = next(q for q, r in run.answered.items() if r == "conforms")
    view.select_question(conforming)
    view.tree.setFocus()
    run.key(Qt.Key.Key_2)  # conforms -> minor gap
    assert responses(run.ctx, run.code)[conforming][0] == "minor_gap"
    ctrl = Qt.KeyboardModifier.ControlModifier
    run.key(Qt.Key.Key_Z, ctrl)
    assert responses(run.ctx, run.code)[conforming][0] == "conforms"
    assert view.model.result(conforming) == "conforms", "the tree mark follows the undo"
    assert last_event(run.ctx, "response.record")[2]["result"] == ["minor_gap", "conforms"]
    run.key(Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert responses(run.ctx, run.code)[conforming][0] == "minor_gap"
    assert last_event(run.ctx, "response.record")[2]["result"] == ["conforms", "minor_gap"]
    assert finding_fields(run.ctx, run.code, run.finding)["status"] == "closed", \
        "undo only took back the response edit"
    run.answered[conforming] = "minor_gap"


def _sign_off_locks_checklist(run: Run) -> None:
    from qmsr_ready.ui.dialogs.signoff import MEANINGS, SignOffDialog

    qtbot, view = run.qtbot, run.checklist

    def drive(dialog: SignOffDialog) -> None:
        assert dialog.name_edit.text() == ACTOR
        dialog.meaning_combo.setCurrentIndex(0)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    drive_modal(lambda: run.key(Qt.Key.Key_S, keys), SignOffDialog, drive)
    activate(run.window)
    with run.ctx.read() as s:
        insp = s.scalars(select(Inspection).where(Inspection.code == run.code)).one()
        assert insp.status == "signed_off"
        sig = s.scalars(select(SignOff)).one()
        assert (sig.name, sig.meaning, sig.superseded_at) == (ACTOR, MEANINGS[0], None)
    actor, _entity, changes = last_event(run.ctx, "inspection.sign_off")
    assert actor == ACTOR
    assert changes["status"][1] == "signed_off"
    assert "Signed off" in view.banner.text()
    assert view.banner.isVisibleTo(view)
    panel = view.panel
    assert not any(b.isEnabled() for b in panel.result_buttons.values())
    assert panel.notes.isReadOnly()
    assert not panel.raise_button.isEnabled()
    assert not panel.evidence.add_button.isEnabled()
    assert run.window.menu_actions.reopen.isEnabled()
    assert not run.window.menu_actions.sign_off.isEnabled()

    before = (responses(run.ctx, run.code), event_count(run.ctx))
    view.tree.setFocus()
    qid = view.current_question_id()
    run.key(Qt.Key.Key_3)  # result key on a locked inspection: ignored
    assert view.record(qid, {"result": "major_gap"}) is not None, "the edit is refused"
    assert (responses(run.ctx, run.code), event_count(run.ctx)) == before, "the DB did not change"
    run.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo is refused too, in words
    assert "signed off" in view.message.text()
    assert view.message.isVisibleTo(view)
    assert (responses(run.ctx, run.code), event_count(run.ctx)) == before, "the DB did not change"


def _reopen_with_reason(run: Run) -> None:
    from qmsr_ready.ui.dialogs.signoff import ReopenDialog

    qtbot, view = run.qtbot, run.checklist
    reason = "Sterilisation validation report arrived after sign-off"

    def drive(dialog: ReopenDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled(), "a reason is required"
        qtbot.keyClicks(dialog.reason_edit, reason)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    drive_modal(run.window.menu_actions.reopen.trigger, ReopenDialog, drive)
    activate(run.window)
    with run.ctx.read() as s:
        assert s.scalars(select(Inspection.status).where(Inspection.code == run.code)).one() \
            == "in_progress"
        sig = s.scalars(select(SignOff)).one()
        assert sig.superseded_at is not None
        assert sig.superseded_reason == reason
    actor, _entity, changes = last_event(run.ctx, "inspection.reopen")
    assert actor == ACTOR
    assert changes["reason"] == [None, reason]
    assert audit_actions(run.ctx, run.code)[-2:] == ["inspection.sign_off", "inspection.reopen"]
    assert not view.banner.isVisibleTo(view)
    assert all(b.isEnabled() for b in view.panel.result_buttons.values())
    # Editing works again, by keyboard.
    view.tree.setFocus()
    run.key(Qt.Key.Key_F8)
    qid = view.current_question_id()
    assert qid not in run.answered
    run.key(Qt.Key.Key_1)
    assert responses(run.ctx, run.code)[qid][0] == "conforms"


# -- defects found while writing the walk-through, now fixed -----------------------------------
def test_new_workspace_is_audited_under_the_display_name(run: Run, monkeypatch) -> None:
    from qmsr_ready.ui import main_window as main_window_module

    target = run.tmp / "named.qmsr"
    monkeypatch.setattr(main_window_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    run.window.menu_actions.new_workspace.trigger()
    assert audit_actions(run.ctx) == ["workspace.create"]
    assert last_event(run.ctx, "workspace.create")[0] == ACTOR


def test_refused_undo_keeps_the_edit_undoable_after_reopen(qtbot, main_window, ctx,
                                                           add_inspection):
    from qmsr_ready.core.services.inspections import reopen_inspection, sign_off

    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    view = main_window.views["checklist"]
    qid = view.model.question_ids()[0]
    assert view.record(qid, {"result": "conforms"}) is None
    with ctx.write("signoff", code) as s:
        sign_off(s, ctx.actor, code, name=ctx.actor, meaning="Reviewed")
    main_window.undo_action.trigger()  # refused: the inspection is locked
    assert responses(ctx, code)[qid][0] == "conforms"
    # The stack steps back over the refused undo on the next turn of the event loop.
    qtbot.waitUntil(lambda: ctx.undo_stack.index() == ctx.undo_stack.count())
    assert responses(ctx, code)[qid][0] == "conforms", "restoring the index re-ran nothing"
    with ctx.write("signoff", code) as s:
        reopen_inspection(s, ctx.actor, code, reason="More evidence")
    assert main_window.undo_action.isEnabled(), "the edit is still there to undo"
    main_window.undo_action.trigger()
    assert responses(ctx, code)[qid][0] == "not_assessed"
