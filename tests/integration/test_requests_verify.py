"""verify replays each request's moves and the items recorded as shown (issue 11, QA #1)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from server import pg_backend

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services import requests as req_service


@pytest.fixture
def presented_workspace(fnd_inspection) -> Path:
    ws, code = fnd_inspection
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, text="Complaint log",
                                requested_at="2026-05-31T09:00:00+00:00")
        req_service.move_request(s, "Alice", code, "R-001", "in_retrieval",
                                 at="2026-05-31T09:05:00+00:00")
        req_service.present_items(s, "Alice", code, "R-001", [
            {"document_id": "SOP-001", "version": "C", "filename": "sop.txt", "data": b"SOP C"},
            {"document_id": "LOG-7", "version": "2"},
        ], at="2026-05-31T09:20:00+00:00")
        req_service.add_request(s, "Alice", inspection_code=code, text="Training", prepared=True)
    ws.close()
    return pg_backend.target_of(ws)  # a server database in the PostgreSQL pass


def _problems(path: Path) -> list[str]:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    return list(report.data_problems)


def _sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


def test_untouched_request_history_verifies(presented_workspace: Path) -> None:
    assert _problems(presented_workspace) == []


CASES = {
    "edit an item's version": "UPDATE presented_items SET version = 'D' WHERE version = 'C'",
    "edit an item's sha256": "UPDATE presented_items SET sha256 = 'ab' WHERE sha256 != ''",
    "delete an item": "DELETE FROM presented_items WHERE document_id = 'LOG-7'",
    "insert an item": (
        "INSERT INTO presented_items (request_id, document_id, version, sha256, presented_at,"
        " presented_by, note) SELECT request_id, 'SOP-9', 'A', '', presented_at, presented_by, ''"
        " FROM presented_items LIMIT 1"),
    "move a stamp": "UPDATE request_moves SET at = '2026-05-31 09:01:00'"
                    " WHERE status = 'presented'",
    "change a move's status": "UPDATE request_moves SET status = 'requested'"
                              " WHERE status = 'in_retrieval'",
    "delete a move": "DELETE FROM request_moves WHERE status = 'in_retrieval'",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampering_with_request_history_names_the_request(
    presented_workspace: Path, case: str
) -> None:
    _sql(presented_workspace, CASES[case])
    problems = _problems(presented_workspace)
    assert any("request " in p and "/R-001" in p for p in problems), problems
