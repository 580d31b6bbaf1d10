"""The connection the lean write transactions reuse (``KeptWriter``, issue 9): one checkout
for many saves, never shared by two transactions at once, given back to the pool after anything
but a clean commit, and returned when the workspace closes, so closing still removes the
``-wal``."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import WorkspaceClosed, WorkspaceReplaced
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.views.undo import response_values


@pytest.fixture
def started(fnd_inspection):  # type: ignore[no-untyped-def]
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with ws.begin() as s:  # in progress: later saves need no joined Session
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")
    return ws, code


def _save(ws, code: str, qid: str, result: str):  # type: ignore[no-untyped-def]
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id=qid,
                      values={"result": result})
        return w.lean.raw


def _save_then_fail(ws, code: str, used: list[object]) -> None:  # type: ignore[no-untyped-def]
    with ws.write_connection() as w:
        used.append(w.lean.raw)
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q02",
                      values={"result": "major_gap"})
        raise KeyError("boom")


def _save_then(ws, code: str, follow_up) -> None:  # type: ignore[no-untyped-def]
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q02",
                      values={"result": "minor_gap"})
        w.after_commit(follow_up)


def _result(session, code: str, qid: str) -> str:  # type: ignore[no-untyped-def]
    return str(response_values(session, code, qid, ["result"])["result"])


def _checked_out(ws) -> int:  # type: ignore[no-untyped-def]
    return int(ws.engine.pool.checkedout())


def test_saves_reuse_one_connection_and_closing_returns_it(started) -> None:
    ws, code = started
    first = _save(ws, code, "MO-01-Q01", "conforms")
    assert _checked_out(ws) == 1  # kept for the next save
    second = _save(ws, code, "MO-01-Q02", "minor_gap")
    assert second is first
    assert _checked_out(ws) == 1
    wal = Path(f"{ws.database_file}-wal")
    assert wal.exists()
    ws.close()
    assert _checked_out(ws) == 0
    assert not wal.exists()  # the last connection closed: checkpointed and removed
    with open_workspace(ws.path) as again, again.session() as s:
        assert verify_chain(s).ok
        assert _result(s, code, "MO-01-Q02") == "minor_gap"


def test_a_failed_block_gives_its_connection_back_to_the_pool(started) -> None:
    ws, code = started
    kept = _save(ws, code, "MO-01-Q01", "conforms")
    used: list[object] = []
    with pytest.raises(KeyError):
        _save_then_fail(ws, code, used)
    assert used == [kept]
    assert _checked_out(ws) == 0  # reset by the pool, not kept in whatever state
    assert not kept.in_transaction
    _save(ws, code, "MO-01-Q02", "conforms")  # the next save keeps one again
    assert _checked_out(ws) == 1
    with ws.session() as s:
        assert _result(s, code, "MO-01-Q02") == "conforms"
        assert verify_chain(s).ok


def test_a_commit_whose_follow_up_fails_gives_its_connection_back(started) -> None:
    ws, code = started
    _save(ws, code, "MO-01-Q01", "conforms")

    def boom(_writer) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("after the commit")

    with pytest.raises(RuntimeError, match="after the commit"):
        _save_then(ws, code, boom)
    assert _checked_out(ws) == 0  # only a clean end keeps it
    _save(ws, code, "MO-02-Q01", "conforms")
    with ws.session() as s:
        assert _result(s, code, "MO-01-Q02") == "minor_gap"  # committed before the failure
        assert verify_chain(s).ok


def test_a_planned_inspections_first_answer_does_not_keep_the_joined_connection(
        fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with ws.write_connection() as w:  # planned: a Session joins the same transaction
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"result": "conforms"})
        assert w.joined is not None
    assert _checked_out(ws) == 0  # closed through the joined Connection: back in the pool
    first = _save(ws, code, "MO-01-Q02", "conforms")
    assert _save(ws, code, "MO-02-Q01", "conforms") is first
    with ws.session() as s:
        assert verify_chain(s).ok


def test_a_file_replaced_under_its_name_is_refused_on_the_kept_connection(
        started, tmp_path: Path) -> None:
    ws, code = started
    _save(ws, code, "MO-01-Q01", "conforms")
    other = tmp_path / "other.qmsr"
    open_workspace(other, create=True).close()
    os.replace(other, ws.path)
    with pytest.raises(WorkspaceReplaced, match="replaced while open"):
        _save(ws, code, "MO-01-Q02", "conforms")
    assert _checked_out(ws) == 0  # not kept for a file that is no longer under the name
    ws.close()


def test_two_threads_never_share_the_kept_connection(started) -> None:
    ws, code = started
    kept = _save(ws, code, "MO-01-Q01", "conforms")
    inside = threading.Event()
    release = threading.Event()
    seen: dict[str, object] = {}
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with ws.write_connection() as w:
                seen["holder"] = w.lean.raw
                inside.set()
                release.wait(5)
                save_response(w, "Ana", inspection_code=code, question_id="MO-01-Q02",
                              values={"result": "conforms"})
        except BaseException as exc:  # reported below
            errors.append(exc)

    def second() -> None:
        try:
            seen["second"] = _save(ws, code, "MO-02-Q01", "minor_gap")  # waits for the file
        except BaseException as exc:  # reported below
            errors.append(exc)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    other = threading.Thread(target=second)
    other.start()
    release.set()
    holder.join(10)
    other.join(10)
    assert errors == []
    assert seen["holder"] is kept  # idle: the first transaction to ask takes it
    assert seen["second"] is not kept  # in use then: one from the pool
    with ws.session() as s:
        assert _result(s, code, "MO-02-Q01") == "minor_gap"
        assert verify_chain(s).ok


def test_the_idle_kept_connection_holds_no_snapshot(started) -> None:
    """Kept between saves, it must not pin a read of the -wal: a checkpoint from another
    connection still copies and truncates the whole log (else the -wal would grow for as long as
    the workspace is open)."""
    ws, code = started
    for n, qid in enumerate(["MO-01-Q01", "MO-01-Q02", "MO-02-Q01"] * 3):
        _save(ws, code, qid, ("conforms", "minor_gap")[n % 2])
    assert _checked_out(ws) == 1
    other = sqlite3.connect(ws.database_file)
    try:
        busy, _log, _done = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        other.close()
    assert busy == 0
    assert Path(f"{ws.database_file}-wal").stat().st_size == 0
    _save(ws, code, "MO-01-Q01", "major_gap")  # and the kept one writes on after it
    with ws.session() as s:
        assert _result(s, code, "MO-01-Q01") == "major_gap"
        assert verify_chain(s).ok


def test_a_closed_workspace_writes_nothing(started) -> None:
    ws, code = started
    _save(ws, code, "MO-01-Q01", "conforms")
    ws.close()
    wal = Path(f"{ws.database_file}-wal")
    with pytest.raises(WorkspaceClosed, match="was closed; the change was not saved"):
        _save(ws, code, "MO-01-Q02", "conforms")
    with pytest.raises(WorkspaceClosed), ws.begin():
        pass
    assert not wal.exists()  # no connection made again, no -wal left beside the file
    assert _checked_out(ws) == 0
    with open_workspace(ws.path) as again, again.session() as s:
        assert _result(s, code, "MO-01-Q02") != "conforms"
        assert verify_chain(s).ok
