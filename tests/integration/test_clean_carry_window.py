"""A save carries "this inspection was found clean" to its new head only when nothing else wrote
the file: another program that waited for the write lock can write the moment a save's COMMIT
releases it, before the save stamps the files (QA 5 item 2). Such a write is never vouched for:
the next report scans and shows what it wrote."""

from __future__ import annotations

import sqlite3

import pytest

from qmsr_ready.core import damaged, services
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.services.responses import save_response

DAMAGE = "UPDATE responses SET sample_size = 'twelve' WHERE question_id = 'MA-03-Q01'"


@pytest.fixture
def clean(fnd_inspection):  # type: ignore[no-untyped-def]
    """A file workspace, its inspection in progress and found clean by a report."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a file's stamp")
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")
    with ws.session() as s:
        build_report(s, code)
    return ws, code


def _write_after_our_commit(ws, monkeypatch: pytest.MonkeyPatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Make another program write between the next save's COMMIT and its stamp."""
    real = damaged._stamp_carried
    done: list[int] = []

    def outside_then_stamp(owner) -> None:  # type: ignore[no-untyped-def]
        other = sqlite3.connect(ws.database_file, isolation_level=None)
        try:
            other.execute(DAMAGE)
        finally:
            other.close()
        done.append(1)
        real(owner)

    monkeypatch.setattr(damaged, "_stamp_carried", outside_then_stamp)
    return done


def _report_refuses(ws, code: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        with ws.session() as s:
            build_report(s, code)
    except QmsrError:
        return True
    return False


def test_a_write_between_an_autosaves_commit_and_its_stamp_is_scanned(
        clean, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ws, code = clean
    done = _write_after_our_commit(ws, monkeypatch)
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"notes": "seen on the floor"})
    assert done == [1]
    assert _report_refuses(ws, code)  # scanned: the damaged count is found


def test_a_write_between_a_sessions_commit_and_its_stamp_is_scanned(
        clean, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ws, code = clean
    done = _write_after_our_commit(ws, monkeypatch)
    with ws.begin() as s:
        services.record_response(s, "Bob", inspection_code=code, question_id="MO-01-Q01",
                                 result="minor_gap")
    assert done == [1]
    assert _report_refuses(ws, code)


def test_saves_with_no_other_writer_still_carry_the_clean_scan(
        clean, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ws, code = clean
    scans: list[object] = []
    real_scan = damaged.find_damaged
    monkeypatch.setattr(damaged, "find_damaged",
                        lambda s, c=None, limit=50: scans.append(c) or real_scan(s, c, limit))
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"notes": "one"})
    with ws.begin() as s:
        services.record_response(s, "Bob", inspection_code=code, question_id="MO-01-Q02",
                                 result="conforms")
    with ws.session() as s:
        build_report(s, code)
    assert scans == []
