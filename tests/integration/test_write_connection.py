"""A write transaction on a file without an ORM Session (``Workspace.write_connection``, issue 9
item 5): the runner's autosave runs ``save_response`` on it. It must keep what ``begin`` keeps
around a write: the file held from the begin, a rollback on error, the read-only refusal, the
busy error, the verified-chain and clean-scan caches carried by a save, and a Session joined to
the same transaction for the steps only the ORM runs (a planned inspection's first answer, a
refusal naming who changed the row)."""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from qmsr_ready.core import audit, damaged, services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import WriteConnection, open_workspace
from qmsr_ready.core.errors import RevisionConflict, WorkspaceReadOnly, WorkspaceReplaced
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.views.undo import response_values
from qmsr_ready.core.workspace_file import WorkspaceBusy, WorkspaceWriteFailed

QID = "MO-01-Q01"


@pytest.fixture
def started(fnd_inspection):  # type: ignore[no-untyped-def]
    """A file workspace whose inspection is in progress (its first answer already saved)."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")
    return ws, code


@pytest.fixture
def sessions_begun() -> list[Session]:
    """Every ORM Session that begins a transaction while the test runs."""
    begun: list[Session] = []

    def on_begin(session, _transaction, _connection) -> None:  # type: ignore[no-untyped-def]
        begun.append(session)

    event.listen(Session, "after_begin", on_begin)
    yield begun
    event.remove(Session, "after_begin", on_begin)


def _save(owner, code: str, values: dict, base: dict | None = None):  # type: ignore[no-untyped-def]
    return save_response(owner, "Bob", inspection_code=code, question_id=QID, values=values,
                         base=base)


def _save_then_fail(ws, code: str, values: dict) -> None:  # type: ignore[no-untyped-def]
    """Save in a write transaction that then fails."""
    with ws.write_connection() as w:
        _save(w, code, values)
        raise RuntimeError("after the save")


def _values(ws, code: str, qid: str = QID) -> dict:  # type: ignore[no-untyped-def]
    with ws.session() as s:
        return response_values(s, code, qid, ["result", "notes"])


def _try_write(path: Path) -> str:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "ok"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


def test_a_save_runs_without_a_session_and_holds_the_file_from_its_begin(
        started, sessions_begun: list[Session]) -> None:
    ws, code = started
    with ws.write_connection() as w:
        assert isinstance(w, WriteConnection)
        assert _try_write(ws.path) == "database is locked"  # BEGIN IMMEDIATE, before any write
        saved = _save(w, code, {"result": "minor_gap", "notes": "seen"},
                      base={"result": "not_assessed", "notes": ""})
        assert w.joined is None
    assert sessions_begun == []
    assert saved.before == {**saved.before, "result": "not_assessed", "notes": ""}
    assert _try_write(ws.path) == "ok"
    assert _values(ws, code) == {"result": "minor_gap", "notes": "seen"}
    with ws.session() as s:
        assert verify_chain(s).ok


def test_an_error_rolls_everything_back_and_the_connection_serves_again(started) -> None:
    ws, code = started
    with ws.session() as s:
        head = audit._stored_head(s)
    with pytest.raises(RuntimeError, match="after the save"):
        _save_then_fail(ws, code, {"result": "minor_gap"})
    assert _values(ws, code)["result"] == "not_assessed"
    with ws.session() as s:
        assert audit._stored_head(s) == head
    with ws.write_connection() as w:
        _save(w, code, {"result": "conforms"})
    assert _values(ws, code)["result"] == "conforms"


def test_a_planned_inspections_first_answer_joins_a_session_in_the_same_transaction(
        fnd_inspection) -> None:
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with pytest.raises(RuntimeError):  # the move and the answer roll back together
        _save_then_fail(ws, code, {"result": "conforms"})
    with ws.session() as s:
        assert services.get_inspection(s, code).status == "planned"
    with ws.write_connection() as w:
        _save(w, code, {"result": "conforms"})
        assert w.joined is not None  # the planned -> in progress move went through the ORM
    with ws.session() as s:
        assert services.get_inspection(s, code).status == "in_progress"
        actions = [e.action for e in audit.events_for(s, inspection_code=code)][-2:]
        assert actions == ["inspection.status", "response.record"]
        assert verify_chain(s).ok
    assert _values(ws, code)["result"] == "conforms"


def test_a_joined_session_carries_the_clean_scan_past_its_commit(
        fnd_inspection, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with ws.session() as s:
        build_report(s, code)
    scans: list[str | None] = []
    real_scan = damaged.find_damaged
    monkeypatch.setattr(damaged, "find_damaged",
                        lambda s, c=None, limit=50: scans.append(c) or real_scan(s, c, limit))
    with ws.write_connection() as w:
        _save(w, code, {"result": "conforms"})  # planned: both events through the joined Session
        assert w.joined is not None
    with ws.session() as s:
        build_report(s, code)
    assert scans == []


def test_a_stale_save_is_refused_naming_who_changed_the_row(started) -> None:
    ws, code = started
    with ws.begin() as s:
        services.record_response(s, "Ana", inspection_code=code, question_id=QID,
                                 result="major_gap")
    with pytest.raises(RevisionConflict, match="by Ana"), ws.write_connection() as w:
        _save(w, code, {"result": "conforms"}, base={"result": "not_assessed"})
    assert _values(ws, code)["result"] == "major_gap"


def test_read_only_is_refused_before_anything_runs(started) -> None:
    ws, _code = started
    path = ws.path
    ws.close()
    with open_workspace(path, read_only=True) as ro:
        with pytest.raises(WorkspaceReadOnly, match="read-only"), ro.write_connection():
            pass
        with pytest.raises(WorkspaceReadOnly):
            ro.write_transaction().__enter__()


def test_a_file_replaced_under_its_name_is_refused(started, tmp_path: Path) -> None:
    ws, _code = started
    other = tmp_path / "other.qmsr"
    open_workspace(other, create=True).close()
    ws.engine.dispose()  # the next write needs a new connection, as a new thread's would
    os.replace(other, ws.path)
    with pytest.raises(WorkspaceReplaced, match="replaced while open"), ws.write_connection():
        pass


def test_a_busy_file_is_refused_in_words_and_saves_again_after(started) -> None:
    ws, code = started
    with ws.engine.connect() as c:  # the pooled connection waits 50 ms, not 5 s
        c.exec_driver_sql("PRAGMA busy_timeout=50")
    holder = sqlite3.connect(ws.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WorkspaceBusy, match="is busy") as caught, ws.write_connection() as w:
            _save(w, code, {"result": "conforms"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(caught.value.__cause__).startswith(
        "(sqlite3.OperationalError) database is locked\n[SQL: BEGIN IMMEDIATE]")
    with ws.write_connection() as w:
        _save(w, code, {"result": "conforms"})
    assert _values(ws, code)["result"] == "conforms"


def test_a_save_carries_the_verified_chain_and_the_clean_scan(
        started, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report after an autosave neither walks the chain nor rescans: the save extended the
    verified head and stamped the carried clean head after its commit."""
    ws, code = started
    with ws.session() as s:  # a fresh session each: the scan's stamp is taken before any read
        build_report(s, code)
    with ws.session() as s:
        assert verify_chain(s, cached=True).ok
    full, scans = [], []
    real_full, real_scan = audit._full_check, damaged.find_damaged
    monkeypatch.setattr(audit, "_full_check", lambda s: full.append(1) or real_full(s))
    monkeypatch.setattr(damaged, "find_damaged",
                        lambda s, c=None, limit=50: scans.append(c) or real_scan(s, c, limit))
    for result in ("minor_gap", "conforms"):
        with ws.write_connection() as w:
            _save(w, code, {"result": result})
        with ws.session() as s:
            build_report(s, code)
        with ws.session() as s:
            assert verify_chain(s, cached=True).ok
    assert full == []
    assert scans == []
    with pytest.raises(RuntimeError):  # rolled back: nothing carried
        _save_then_fail(ws, code, {"result": "major_gap"})
    with ws.session() as s:
        build_report(s, code)
    assert scans == []  # the stored head is still the one stamped clean


def test_saves_from_two_threads_each_take_their_own_connection(started) -> None:
    ws, code = started
    errors: list[BaseException] = []

    def answer(qids: list[str]) -> None:
        try:
            for qid in qids:
                with ws.write_connection() as w:
                    save_response(w, "Bob", inspection_code=code, question_id=qid,
                                  values={"result": "conforms"})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(qids,)) for qids in
               (["MO-01-Q01", "MO-01-Q02"], ["MO-02-Q01", "MA-03-Q02"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for qid in ("MO-01-Q01", "MO-01-Q02", "MO-02-Q01", "MA-03-Q02"):
        assert _values(ws, code, qid)["result"] == "conforms"
    with ws.session() as s:
        assert verify_chain(s).ok


def _save_then_fill_the_disk(ws, code: str, full: Exception) -> None:  # type: ignore[no-untyped-def]
    with ws.write_connection() as w:
        _save(w, code, {"result": "minor_gap"})
        raise full


def test_a_full_disk_in_the_block_is_one_error_and_frees_the_connection(started) -> None:
    ws, code = started
    full = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(WorkspaceWriteFailed) as caught:
        _save_then_fill_the_disk(ws, code, full)
    assert caught.value.__cause__ is full
    assert ws.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert _values(ws, code)["result"] == "not_assessed"
    with ws.write_connection() as w:
        _save(w, code, {"result": "conforms"})
    assert _values(ws, code)["result"] == "conforms"

def test_an_error_before_the_block_frees_the_connection(started) -> None:
    ws, _code = started
    with ws.engine.connect() as c:  # the pooled connection waits 50 ms, not 5 s
        c.exec_driver_sql("PRAGMA busy_timeout=50")
    holder = sqlite3.connect(ws.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ran = []
    try:
        with pytest.raises(WorkspaceBusy), ws.write_connection():
            ran.append(True)  # never: the BEGIN fails
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ran == []
    assert ws.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
