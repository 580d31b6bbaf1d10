"""Workbook import benchmark (issue 8 item 7): plan a ~5,000-row returned pack.

4,520 questions and 500 findings built through the services (cached in ``bench/results/`` by
fixture and schema version), the pack exported and 100 cells edited with openpyxl (as a
colleague would); then ``plan_workbook_import`` is timed against a bare openpyxl read of the same
file (read-only, cached values, every row of every sheet), alternately, medians of 5. Target:
≤ 3×. ``rows()`` feeds ``make bench``; run alone with ``.venv/bin/python bench/bench_import.py``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _export_fixture
from _table import BenchRow, paired_medians, render

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export import export_xlsx
from qmsr_ready.core.report import build_report

HERE = Path(__file__).resolve().parent
QUESTIONS = 4520  # 8 areas x 113 elements x 5 questions
FINDINGS = 500
EDITED = 100
RUNS = 5
TARGET = 3.0


def bare_read(path: Path) -> int:
    """Every cell value of every sheet, the cheapest way openpyxl offers."""
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += len(row)
    wb.close()
    return n


def edit_cells(src: Path, dst: Path, count: int = EDITED) -> None:
    wb = load_workbook(src)
    ws = wb["Checklist"]
    notes = [c.value for c in ws[1]].index("Notes") + 1
    for r in range(2, 2 + count):
        ws.cell(r, notes).value = f"Edited in the workbook, row {r}"
    wb.save(dst)


def import_workspace() -> Path:
    """The 5,020-row workspace, built once per fixture and schema version, then reused."""
    key = hashlib.sha256(
        (HERE / "_export_fixture.py").read_bytes()
        + (HERE.parent / "qmsr_ready" / "core" / "models.py").read_bytes()
        + f"{QUESTIONS}/{FINDINGS}".encode()
    ).hexdigest()[:12]
    path = HERE / "results" / f"import-{key}.qmsr"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        start = time.perf_counter()
        _export_fixture.build(partial, findings=FINDINGS, questions=QUESTIONS)
        os.replace(partial, path)
        print(f"built the import workspace in {time.perf_counter() - start:.0f} s",
              file=sys.stderr)
    return path


def rows() -> list[BenchRow]:
    """Plan the returned pack vs a bare openpyxl read of the same file."""
    ws_path = import_workspace()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
            report = build_report(s, _export_fixture.INSPECTION)
        export_xlsx(report, folder / "pack.xlsx")
        pack = folder / "returned.xlsx"
        edit_cells(folder / "pack.xlsx", pack)
        with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
            plan = plan_workbook_import(s, pack)
            planned = len(plan.rows)
            updates = plan.counts()["updates"]
            ours, bare = paired_medians(RUNS, lambda: plan_workbook_import(s, pack),
                                        lambda: bare_read(pack))
        size = pack.stat().st_size / 2**20
    return [BenchRow(
        f"import plan, {planned:,} rows", ours, bare, "ms", TARGET,
        f"plan_workbook_import of a {size:.1f} MB pack with {updates} edited cells vs a bare "
        "openpyxl read-only read of every sheet of the same file; medians of 5, alternated",
    )]


if __name__ == "__main__":
    print(render(rows()))
