"""The audit chain detects rows edited, inserted or deleted behind the application's back."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import GENESIS_HASH, events_for, verify_chain
from qmsr_ready.core.db import open_workspace


@pytest.fixture
def closed_workspace(fnd_inspection) -> Path:
    """A workspace with a few audited changes, closed so plain sqlite3 can tamper with it."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(
            s, "Alice", inspection_code=code, question_id="MO-01-Q01", result="conforms"
        )
        services.raise_finding(
            s, "Alice", inspection_code=code, title="No MDF index", classification="major"
        )
    ws.close()
    return ws.path


def _verify(path: Path):
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return verify_chain(s)


def _sql(path: Path, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement, params)
    conn.commit()
    conn.close()


def test_intact_chain_links_every_event(closed_workspace: Path) -> None:
    report = _verify(closed_workspace)
    assert report.ok, report.problem
    with open_workspace(closed_workspace, read_only=True) as ws, ws.session() as s:
        events = events_for(s)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert report.head_hash == events[-1].hash
    assert report.event_count == len(events) >= 5
    actions = [e.action for e in events]
    assert actions[:3] == ["workspace.create", "site.create", "template.snapshot"]
    assert "response.record" in actions
    assert "finding.raise" in actions


def test_edited_changes_are_detected(closed_workspace: Path) -> None:
    _sql(closed_workspace, "UPDATE audit_events SET changes = '{}' WHERE seq = 3")
    report = _verify(closed_workspace)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert "altered" in report.problem


def test_edited_actor_is_detected(closed_workspace: Path) -> None:
    _sql(closed_workspace, "UPDATE audit_events SET actor = 'Mallory' WHERE seq = 2")
    report = _verify(closed_workspace)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_deleted_middle_event_is_detected(closed_workspace: Path) -> None:
    _sql(closed_workspace, "DELETE FROM audit_events WHERE seq = 4")
    report = _verify(closed_workspace)
    assert (report.ok, report.first_broken_seq) == (False, 4)
    assert "missing" in report.problem


def test_deleted_last_event_is_detected(closed_workspace: Path) -> None:
    _sql(
        closed_workspace, "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"
    )
    report = _verify(closed_workspace)
    assert not report.ok
    assert "deleted" in report.problem


def test_inserted_event_is_detected(closed_workspace: Path) -> None:
    conn = sqlite3.connect(closed_workspace)
    last_seq, last_hash = conn.execute(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    conn.execute(
        "INSERT INTO audit_events (seq, at, actor, action, entity_type, entity_id,"
        " inspection_code, changes, prev_hash, hash) VALUES (?, '2026-01-01 00:00:00.000000',"
        " 'Mallory', 'finding.delete', 'finding', 'x', NULL, '{}', ?, ?)",
        (last_seq + 1, last_hash, "f" * 64),
    )
    conn.commit()
    conn.close()
    report = _verify(closed_workspace)
    assert (report.ok, report.first_broken_seq) == (False, last_seq + 1)


def test_renumbered_events_break_the_chain(closed_workspace: Path) -> None:
    # delete event 2 and shift the rest down so there is no gap: the hashes still break
    conn = sqlite3.connect(closed_workspace)
    conn.execute("DELETE FROM audit_events WHERE seq = 2")
    conn.execute("UPDATE audit_events SET seq = seq - 1 WHERE seq > 2")
    conn.commit()
    conn.close()
    report = _verify(closed_workspace)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_appending_after_verify_keeps_chain_intact(closed_workspace: Path) -> None:
    with open_workspace(closed_workspace) as ws:
        with ws.begin() as s:
            services.create_site(s, "Bob", name="Second site")
        with ws.session() as s:
            assert verify_chain(s).ok


@pytest.mark.parametrize(
    ("column", "value"),
    [("changes", "{not json"), ("at", "yesterday"), ("prev_hash", "0" * 64)],
)
def test_unreadable_or_forged_values_are_reported_not_crashing(
    closed_workspace: Path, column: str, value: str
) -> None:
    _sql(closed_workspace, f"UPDATE audit_events SET {column} = ? WHERE seq = 3", (value,))
    report = _verify(closed_workspace)
    assert (report.ok, report.first_broken_seq) == (False, 3)
