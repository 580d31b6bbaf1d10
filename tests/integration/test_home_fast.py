"""The home list's start-up read (core.views.home_fast): plain sqlite3, no SQLAlchemy, and it
steps aside (None) for anything the full open must judge: a server URL, a damaged, locked or
migrating file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services.queries import list_inspections
from qmsr_ready.core.views.home_fast import read_home_fast


def _two_inspections(fnd_inspection, fnd_template) -> Path:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.start_inspection(s, "Alice", site_code="SITE-001", template=fnd_template,
                                  inspection_type="for_cause", title="Second look")
        services.raise_finding(s, "Alice", inspection_code=code, title="Gap",
                               classification="minor")
        services.raise_finding(s, "Alice", inspection_code=code, title="Other gap",
                               classification="minor")
    path = ws.path
    ws.close()
    return path


def test_lines_match_the_full_list_in_the_same_order(fnd_inspection, fnd_template) -> None:
    path = _two_inspections(fnd_inspection, fnd_template)
    lines = read_home_fast(path)
    ws = open_workspace(path, read_only=True)
    try:
        with ws.session() as s:
            full = list_inspections(s)
    finally:
        ws.close()
    assert lines is not None
    assert len(lines) == 2
    assert [(ln.code, ln.title, ln.site_code, ln.site_name, ln.inspection_type, ln.model,
             ln.status, ln.planned_start, ln.planned_end, ln.findings_open) for ln in lines] == [
        (f.code, f.title, f.site_code, f.site_name, f.inspection_type, f.model, f.status,
         f.planned_start, f.planned_end, f.findings_open) for f in full]
    assert lines[0].findings_open == 2


def test_reading_it_leaves_sqlalchemy_unimported(fnd_inspection) -> None:
    path = fnd_inspection[0].path
    fnd_inspection[0].close()
    code = (
        "import sys\n"
        "from qmsr_ready.core.views.home_fast import read_home_fast\n"
        f"lines = read_home_fast({str(path)!r})\n"
        "assert lines and lines[0].code, lines\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_server_url_is_skipped() -> None:
    assert read_home_fast("postgresql+psycopg://qa@db.example/qmsr") is None
    assert read_home_fast("postgres://qa@localhost/qmsr") is None


def test_a_missing_or_foreign_file_is_skipped(tmp_path: Path) -> None:
    assert read_home_fast(tmp_path / "none.qmsr") is None
    foreign = tmp_path / "foreign.qmsr"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)").connection.commit()
    assert read_home_fast(foreign) is None


def test_a_damaged_value_or_page_is_skipped(fnd_inspection, tmp_path: Path) -> None:
    ws = fnd_inspection[0]
    path = ws.path
    ws.close()
    assert read_home_fast(path)
    for sql in ("UPDATE inspections SET title = x'00ff'",  # a BLOB title
                "UPDATE inspections SET planned_start = '25/12/2026'"):  # not an ISO date
        copy = tmp_path / f"copy{len(sql)}.qmsr"
        copy.write_bytes(path.read_bytes())
        with sqlite3.connect(copy) as conn:
            conn.execute(sql)
        conn.close()
        assert read_home_fast(copy) is None, sql
    garbled = tmp_path / "garbled.qmsr"
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xa5" * 4096  # page 2 onwards: random bytes where tables live
    garbled.write_bytes(bytes(data))
    assert read_home_fast(garbled) is None


def test_a_file_open_for_writing_elsewhere_is_skipped(fnd_inspection) -> None:
    ws = fnd_inspection[0]  # still open: it holds the writer lock
    assert read_home_fast(ws.path) is None
    path = ws.path
    ws.close()
    assert read_home_fast(path)  # released: read again


def test_a_workspace_to_migrate_is_skipped(fnd_inspection) -> None:
    ws = fnd_inspection[0]
    path = ws.path
    ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    conn.close()
    assert read_home_fast(path) is None
