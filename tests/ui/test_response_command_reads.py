"""The runner's autosave (RecordResponseCommand) reads the response row once per run: the stale
check, the save and undo's values all come from save_response's single read (issue 9 item 5;
before, the command read the row three more times through the ORM around the save)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from qmsr_ready.core import services
from qmsr_ready.core.template_content import TemplateSnapshot
from qmsr_ready.core.views.undo import response_values
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.context import AppContext
from tests.conftest import fnd_template_content

QID = "MO-01-Q01"


def _inspection(ctx: AppContext) -> str:
    assert ctx.workspace is not None
    with ctx.workspace.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        return services.start_inspection(
            s, "Alice", site_code="SITE-001",
            template=TemplateSnapshot.from_content(fnd_template_content()),
            inspection_type="baseline_surveillance", title="Reads",
        ).code


@contextmanager
def _row_reads(ctx: AppContext) -> Iterator[list[str]]:
    """Every SELECT of one question's response row, as SQLite runs it (lean statements too;
    not undo's check whether anything else was answered)."""
    assert ctx.workspace is not None
    engine = ctx.workspace.engine
    seen: list[str] = []

    def trace(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT") and "responses.question_id = " in sql:
            seen.append(sql)

    def on_checkout(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.set_trace_callback(trace)

    def on_checkin(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        if dbapi_conn is not None:
            dbapi_conn.set_trace_callback(None)

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield seen
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)


def test_answer_undo_and_redo_each_read_the_row_once(qtbot, ctx: AppContext) -> None:
    code = _inspection(ctx)
    command = RecordResponseCommand(ctx, code, QID, {"result": "conforms", "notes": "seen"},
                                    base={"result": "not_assessed", "notes": ""})
    with _row_reads(ctx) as reads:
        assert execute(ctx, command) is None
    assert len(reads) == 1, reads
    assert command.old_values == {"result": "not_assessed", "notes": ""}
    with ctx.read() as s:
        assert response_values(s, code, QID, ["result", "notes"]) == {"result": "conforms",
                                                                      "notes": "seen"}
    for step in (ctx.undo_stack.undo, ctx.undo_stack.redo):
        with _row_reads(ctx) as reads:
            step()
        assert command.last_error is None
        assert len(reads) == 1, reads
    with ctx.read() as s:
        assert response_values(s, code, QID, ["result", "notes"]) == {"result": "conforms",
                                                                      "notes": "seen"}


def test_the_autosave_on_a_file_begins_no_orm_session(qtbot, ctx: AppContext) -> None:
    """On a file the autosave and its redo run on a WriteConnection (issue 9 item 5: the
    Session's transaction was a third of a save's Python); the runner is told which row."""
    from sqlalchemy.orm import Session

    code = _inspection(ctx)
    assert execute(ctx, RecordResponseCommand(ctx, code, "MO-01-Q02", {"result": "conforms"},
                                              base={"result": "not_assessed"})) is None
    begun: list[object] = []
    recorded: list[tuple[str, str]] = []
    ctx.response_recorded.connect(lambda c, q: recorded.append((c, q)))

    def on_begin(session, _transaction, _connection) -> None:  # type: ignore[no-untyped-def]
        begun.append(session)

    command = RecordResponseCommand(ctx, code, QID, {"notes": "typed"}, base={"notes": ""})
    event.listen(Session, "after_begin", on_begin)
    try:
        assert execute(ctx, command) is None
        assert begun == []
        ctx.undo_stack.undo()  # through the ORM (it may move the inspection back to planned)
        assert command.last_error is None
        begun.clear()
        ctx.undo_stack.redo()
        assert command.last_error is None
        assert begun == []
    finally:
        event.remove(Session, "after_begin", on_begin)
    assert recorded == [(code, QID)] * 3
    with ctx.read() as s:
        assert response_values(s, code, QID, ["notes"]) == {"notes": "typed"}
