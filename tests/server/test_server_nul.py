"""NUL (``\\x00``) in text: refused by the field rules on both backends; old data that holds one
is named (table, row, column) by copy and merge instead of failing or vanishing on a server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from server import pg_backend
from sqlalchemy.engine import URL

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.exchange.runner import run_merge
from qmsr_ready.core.transfer.copy import CopyRefused, copy_workspace

CODE_FINDING = "F-001"
DEMO_CODE = "MI-2026-002"  # the demo's inspection under way


def test_nul_is_refused_by_the_field_rules_naming_the_field(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.raise_finding(s, "Ann", inspection_code=code, title="Gap", classification="minor")
    with pytest.raises(InvalidInput, match=r"(?i)owner contains a NUL character"), \
            ws.begin() as s:
        services.update_finding(s, "Ann", code, CODE_FINDING, owner="Ann\x00Lee")
    with pytest.raises(InvalidInput, match="NUL"), ws.begin() as s:
        services.raise_finding(s, "Ann", inspection_code=code, title="bad\x00title",
                               classification="minor")


def _write_nul_as_an_old_version_did(path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Save (and audit) a finding owner holding a NUL, as a version that did not refuse it yet;
    returns the finding's id."""
    from qmsr_ready.core.fields import validate
    from qmsr_ready.core.models import Finding, Inspection

    with monkeypatch.context() as m:
        m.setattr(validate, "_check_encodable", lambda value, what: None)
        with open_workspace(path) as ws, ws.begin() as s:
            insp = s.query(Inspection).filter_by(code=DEMO_CODE).one()
            finding = s.query(Finding).filter_by(inspection_id=insp.id).order_by(Finding.id).first()
            assert finding is not None
            services.update_finding(s, "Ann", DEMO_CODE, finding.code, owner="Ann\x00Lee")
            return int(finding.id)


def test_copy_into_a_server_names_the_row_and_column_holding_nul(
        tmp_path: Path, empty_server_url: URL, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    _write_nul_as_an_old_version_did(path, monkeypatch)
    with pytest.raises(CopyRefused) as caught:
        copy_workspace(path, pg_backend.url_text(empty_server_url))
    message = caught.value.message
    # the audit trail (copied first) recorded the value: named by its sequence number
    assert "audit_events (seq " in message
    assert "column changes" in message
    assert "NUL" in message
    assert "Nothing was written" in message


def test_merge_into_a_server_names_the_finding_holding_nul(
        tmp_path: Path, empty_server_url: URL, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = tmp_path / "clean.qmsr"
    build_demo(clean, today=dt.date(2026, 11, 25))
    url = pg_backend.url_text(empty_server_url)
    assert copy_workspace(clean, url).kept
    laptop = tmp_path / "laptop.qmsr"
    assert copy_workspace(url, laptop).kept
    _write_nul_as_an_old_version_did(laptop, monkeypatch)
    with open_workspace(url) as ws:
        with pytest.raises(QmsrError, match=r"findings \(id \d+\), column owner holds a NUL"):
            run_merge(ws, "Ann", laptop, DEMO_CODE, dry_run=False)
        with ws.session() as s:
            from qmsr_ready.core.audit import verify_chain

            assert verify_chain(s).ok
