"""The report build's damaged-value scan is remembered per stored audit head (issue 9 item 5):
a refresh after an autosave does not rescan, but a head this process did not write (another
writer) or a reopened file is scanned again, so a damaged value is never passed over."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qmsr_ready.core import damaged, services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.report.build import build_report

_DAMAGED = r"damaged value: responses\.sample_size"


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The inspection code of every real scan."""
    seen: list[str | None] = []
    real = damaged.find_damaged

    def counting(session, inspection_code=None, limit=50):  # type: ignore[no-untyped-def]
        seen.append(inspection_code)
        return real(session, inspection_code, limit)

    monkeypatch.setattr(damaged, "find_damaged", counting)
    return seen


def _save(ws, code: str, result: str) -> None:  # type: ignore[no-untyped-def]
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result=result)


def _damage(path: Path, *, new_head: bool = False) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE responses SET sample_size = 'ten'")
    if new_head:  # as another writer's event moves it (its hash is not one this process made)
        conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_hash'",
                     ("f" * 64,))
    conn.commit()
    conn.close()


def test_a_save_through_the_services_keeps_the_inspection_known_clean(
        fnd_inspection, scans: list[str | None]) -> None:
    ws, code = fnd_inspection
    _save(ws, code, "conforms")
    for result in ("minor_gap", "conforms", "major_gap"):
        with ws.session() as s:
            build_report(s, code)
        _save(ws, code, result)
    with ws.session() as s:
        assert build_report(s, code).questions
    assert scans == [code]  # the first build only


def test_a_head_written_by_another_writer_is_scanned_again(
        fnd_inspection, scans: list[str | None]) -> None:
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("damages the file with sqlite3")
    _save(ws, code, "conforms")
    with ws.session() as s:
        build_report(s, code)
    _damage(ws.path, new_head=True)
    with ws.session() as s, pytest.raises(QmsrError, match=_DAMAGED):
        build_report(s, code)
    assert scans == [code, code]


def test_a_reopened_workspace_is_scanned_again(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("damages the file with sqlite3")
    _save(ws, code, "conforms")
    with ws.session() as s:
        build_report(s, code)
    path = ws.path
    ws.close()
    _damage(path)
    with open_workspace(path) as again, again.session() as s, pytest.raises(
            QmsrError, match=_DAMAGED):
        build_report(s, code)


_BLOB_TITLE = r"damaged value: findings\.title \(row \d+\) holds binary data"


def _raise(ws, code: str) -> None:  # type: ignore[no-untyped-def]
    with ws.begin() as s:
        services.raise_finding(s, "Alice", inspection_code=code, title="Training records",
                               classification="minor", question_ids=["MO-01-Q01"])


def _blob_into_titles(path: Path) -> None:
    """Another connection (as ``sqlite3`` would) writes a BLOB, appending no audit event."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE findings SET title = X'00ff10'")
    conn.commit()
    conn.close()


def test_an_outside_write_without_an_event_is_scanned_again(
        fnd_inspection, scans: list[str | None]) -> None:
    """Issue 13: the head does not move, but the files do; export refuses in one line."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("damages the file with sqlite3")
    _raise(ws, code)
    with ws.session() as s:
        build_report(s, code)  # the cache is warm
    with ws.session() as s:
        build_report(s, code)
    assert scans == [code]
    _blob_into_titles(ws.path)
    with ws.session() as s, pytest.raises(QmsrError, match=_BLOB_TITLE) as refused:
        build_report(s, code)
    assert "\n" not in str(refused.value)
    assert scans == [code, code]


def test_a_save_after_an_outside_write_does_not_vouch_for_it(
        fnd_inspection, scans: list[str | None]) -> None:
    """A service save carries the clean mark only from files nobody else wrote since."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("damages the file with sqlite3")
    _raise(ws, code)
    with ws.session() as s:
        build_report(s, code)
    _blob_into_titles(ws.path)
    _save(ws, code, "minor_gap")  # appends an event on top of the outside write
    with ws.session() as s, pytest.raises(QmsrError, match=_BLOB_TITLE):
        build_report(s, code)
