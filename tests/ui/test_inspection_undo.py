"""Creating an inspection is undoable while nothing was recorded in it (issue 9 item 6)."""

from __future__ import annotations

from typing import Any

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.library import Catalogue, LoadedTemplate
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.ui.commands.base import ErrorSink, execute
from qmsr_ready.ui.commands.inspections import CreateInspectionCommand
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
        f"{code} cannot be taken back: 2 changes were recorded in it since it was created. "
        "Undo those first, or keep it."
    ]
    qtbot.waitUntil(lambda: stack.index() == 1)  # the refused step is stepped back over
    assert _codes(ctx) == [code]
    assert ctx.current_inspection == code
    _chain_ok(ctx)
