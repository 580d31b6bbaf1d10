"""A workspace file replaced under its name while open (a sync client, a restore: QA 3 item 1).

The pooled connection still has the old file open, so a write through it was acknowledged and
went to the old file's ``-wal``, which now sits beside the new file: the new file read it as its
own and ``verify`` reported a broken chain. Every write transaction now checks the name still
leads to the file the workspace opened, before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import WorkspaceReplaced
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.views.undo import response_values

QID = "MO-01-Q01"


@pytest.fixture
def swapped(fnd_inspection, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The open workspace after its file was replaced by a copy taken before its last save; the
    pool keeps the connection that saved."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a file only")
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=QID,
                                 result="conforms")
    copy = tmp_path / "copy.qmsr"
    ws.backup_to(copy)
    with ws.write_connection() as w:  # in the old file's -wal, not checkpointed
        save_response(w, "Alice", inspection_code=code, question_id=QID,
                      values={"notes": "only in the old file"})
    os.replace(copy, ws.path)
    return ws, code


def _state(path: Path, code: str) -> tuple[bool, dict]:
    with open_workspace(path, read_only=True) as ro, ro.session() as s:
        return verify_chain(s).ok, response_values(s, code, QID, ["result", "notes"])


def test_a_session_write_is_refused_and_the_new_file_is_left_alone(swapped) -> None:
    ws, code = swapped
    with pytest.raises(WorkspaceReplaced, match="was replaced while open; reopen it"), \
            ws.begin() as s:
        services.record_response(s, "Bob", inspection_code=code, question_id=QID,
                                 result="major_gap")
    ws.close()
    assert _state(ws.path, code) == (True, {"result": "conforms", "notes": ""})


def test_a_lean_write_is_refused_and_the_new_file_is_left_alone(swapped) -> None:
    ws, code = swapped
    with pytest.raises(WorkspaceReplaced, match="was replaced while open; reopen it"), \
            ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id=QID,
                      values={"result": "major_gap"})
    ws.close()
    assert _state(ws.path, code) == (True, {"result": "conforms", "notes": ""})


def test_the_workspace_reopened_by_its_name_writes_the_new_file(swapped) -> None:
    ws, code = swapped
    path = ws.path
    ws.close()
    with open_workspace(path) as again, again.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id=QID,
                      values={"result": "minor_gap"})
    assert _state(path, code) == (True, {"result": "minor_gap", "notes": ""})
