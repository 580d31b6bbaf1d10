"""Creating an inspection is undoable while nothing was recorded in it (issue 9 item 6)."""

from __future__ import annotations

from typing import Any

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.library import Catalogue, LoadedTemplate
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.views.audit import audit_events
from qmsr_ready.ui.commands.base import ErrorSink, execute
from qmsr_ready.ui.commands.inspections import CreateInspectionCommand
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.context import AppContext


def _codes(ctx: AppContext) -> list[str]:
    with ctx.read() as session:
        return [i.code for i in services.list_inspections(session)]


def _template() -> LoadedTemplate:
    return Catalogue().latest()[0]  # read inside the test: the user folders are isolated then


def _first_question() -> str:
    return str(_template().content["areas"][0]["elements"][0]["questions"][0]["id"])


def _create(ctx: AppContext, on_error: ErrorSink | None = None) -> CreateInspectionCommand:
    fields: dict[str, Any] = {
        "site_code": None,
        "template": _template().snapshot(),
        "inspection_type": "baseline_surveillance",
        "title": "Undoable mock",
    }
    site = {"name": "Undo Plant", "profile": SiteProfile(device_classes=("II",))}
    command = CreateInspectionCommand(ctx, fields, site, on_error)
    assert execute(ctx, command) is None
    return command


def _chain_ok(ctx: AppContext) -> None:
    with ctx.read() as session:
        report = verify_chain(session)
    assert report.ok, (report.problem, report.data_problems)


def test_undo_deletes_an_empty_inspection_and_redo_brings_it_back(qtbot, ctx: AppContext) -> None:
    command = _create(ctx)
    code = command.code
    ctx.set_current_inspection(code)
    stack = ctx.undo_stack
    assert stack.undoText() == f"New inspection ({code})"
    stack.undo()
    assert command.last_error is None
    assert _codes(ctx) == []
    assert ctx.current_inspection == ""  # no view is left showing a deleted inspection
    with ctx.read() as session:
        assert [s.name for s in services.list_sites(session)] == ["Undo Plant"]  # site stays
    stack.redo()
    assert _codes(ctx) == [code]
    with ctx.read() as session:
        assert services.get_inspection(session, code).title == "Undoable mock"
    _chain_ok(ctx)


def test_undo_refuses_to_delete_recorded_work_and_says_why(qtbot, ctx: AppContext) -> None:
    refusals: list[str] = []
    command = _create(ctx, lambda exc: refusals.append(exc.message))
    code = command.code
    ctx.set_current_inspection(code)
    with ctx.write("response", code) as session:
        services.record_response(
            session, ctx.actor, inspection_code=code, question_id=_first_question(),
            result="conforms",
        )
    stack = ctx.undo_stack
    stack.undo()
    assert refusals == [
        f"{code} cannot be taken back: it holds 1 answer. "
        "Undo or remove those first, or keep the inspection."
    ]
    qtbot.waitUntil(lambda: stack.index() == 1)  # the refused step is stepped back over
    assert _codes(ctx) == [code]
    assert ctx.current_inspection == code
    _chain_ok(ctx)


def _status(ctx: AppContext, code: str) -> str:
    with ctx.read() as session:
        return str(services.get_inspection(session, code).status)


def test_undo_of_everything_then_of_the_creation(qtbot, ctx: AppContext) -> None:
    """Issue 9 QA: answers undone leave audit events but no work; the creation undoes too."""
    refusals: list[str] = []
    command = _create(ctx, lambda exc: refusals.append(exc.message))
    code = command.code
    qid = _first_question()
    for changes in ({"result": "conforms"}, {"notes": "Seen the SOP"}):
        answer = RecordResponseCommand(ctx, code, qid, changes,
                                       lambda e: refusals.append(e.message))
        assert execute(ctx, answer) is None
    assert _status(ctx, code) == "in_progress"
    stack = ctx.undo_stack
    stack.undo()
    assert _status(ctx, code) == "in_progress"  # the result is still there
    stack.undo()
    assert _status(ctx, code) == "planned"  # the first answer's status move is undone too
    with ctx.read() as session:
        assert services.list_inspections(session)[0].questions_answered == 0
    stack.undo()
    assert refusals == []
    assert _codes(ctx) == []
    _chain_ok(ctx)
    for _ in range(3):
        stack.redo()
    assert refusals == []
    assert _status(ctx, code) == "in_progress"
    _chain_ok(ctx)


def test_undo_of_a_later_answer_keeps_the_inspection_in_progress(qtbot, ctx: AppContext) -> None:
    command = _create(ctx)
    code = command.code
    first, second = [
        q["id"] for q in _template().content["areas"][0]["elements"][0]["questions"][:2]
    ]
    for qid in (first, second):
        assert execute(ctx, RecordResponseCommand(ctx, code, qid, {"result": "conforms"})) is None
    ctx.undo_stack.undo()
    assert _status(ctx, code) == "in_progress"  # the first answer still holds it
    ctx.undo_stack.undo()
    assert _status(ctx, code) == "planned"
    with ctx.read() as session:
        moves = [e.changes["status"] for e in audit_events(session, code)
                 if e.action == "inspection.status"]
    assert moves == [["planned", "in_progress"], ["in_progress", "planned"]]  # audited
    _chain_ok(ctx)
