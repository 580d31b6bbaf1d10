"""Damaged stored values: ``verify`` and the exports agree on what is damaged (issue 13 QA #4, #9).

Text in an integer column crashed the report build (``_top_risks``) while ``verify`` said OK;
bad JSON, non-ISO dates and bad UTF-8 were refused by readers and passed by ``verify``. One
definition (``core/damaged.py``) now feeds both: ``verify`` lists the value, export refuses with
one line naming it (exit 2), never a traceback.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.report.build import build_report


@pytest.fixture
def closed_workspace(fnd_inspection) -> tuple[Path, str]:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="major_gap", notes="No index")
        services.raise_finding(s, "Alice", inspection_code=code, title="No MDF index",
                               classification="major", question_ids=["MO-01-Q01"])
    ws.close()
    return ws.path, code


# (table, column, a damaged value as SQL)
DAMAGE = [
    ("findings", "severity", "'high'"),
    ("findings", "likelihood", "'3.5x'"),
    ("findings", "likely_483", "'yes'"),
    ("findings", "due_date", "'next week'"),
    ("findings", "title", "CAST(X'ff00fe' AS TEXT)"),
    ("responses", "assessed_at", "'yesterday'"),
    ("responses", "sample_size", "'ten'"),
    ("responses", "notes", "CAST(X'c328' AS TEXT)"),
    ("sites", "device_classes", "'[\"II\"'"),
    ("inspections", "team", "'{not json'"),
    ("inspections", "planned_start", "'2026-13-45'"),
]


def _damage(path: Path, table: str, column: str, value_sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE {table} SET {column} = {value_sql}")
    conn.commit()
    conn.close()


@settings(max_examples=len(DAMAGE) * 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(DAMAGE))
def test_verify_and_the_report_agree_a_value_is_damaged(
        closed_workspace: tuple[Path, str], case: tuple[str, str, str],
        tmp_path_factory: pytest.TempPathFactory) -> None:
    path, code = closed_workspace
    copy = tmp_path_factory.mktemp("damaged") / "w.qmsr"
    copy.write_bytes(path.read_bytes())
    table, column, value_sql = case
    _damage(copy, table, column, value_sql)
    with open_workspace(copy, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
        assert not report.ok
        assert f"damaged value: {table}.{column}" in report.problem, report.data_problems
        with pytest.raises(QmsrError, match=f"damaged value: {table}.{column}"):
            build_report(s, code)


def test_export_of_text_in_an_integer_column_is_one_line_exit_2(
        closed_workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, code = closed_workspace
    _damage(path, "findings", "severity", "'high'")
    out = tmp_path / "pack.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "export", str(path), "--inspection", code,
         "--xlsx", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "findings.severity" in result.stderr
    assert not out.exists()


def test_an_intact_workspace_has_no_damaged_values(closed_workspace: tuple[Path, str]) -> None:
    path, code = closed_workspace
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        assert verify_chain(s).ok
        assert build_report(s, code).inspection.code == code
