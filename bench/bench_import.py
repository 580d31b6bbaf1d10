"""Workbook import benchmark (issue 8 item 7): plan a ~5,000-row returned pack.

Builds 4,520 questions and 500 findings through the services, exports the pack, edits 100 cells
with openpyxl (as a colleague would), then times ``plan_workbook_import`` against a bare
openpyxl read of the same file (read-only, cached values, every row of every sheet), run
alternately so both see the same machine load. Prints the medians and the ratio; the aim is
≤ 3×. Asserts nothing. Run: ``.venv/bin/python bench/bench_import.py [WORKSPACE]`` (a workspace
built earlier by ``_export_fixture.build(path, findings=500, questions=4520)`` skips the build).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _export_fixture

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export import export_xlsx
from qmsr_ready.core.report import build_report

QUESTIONS = 4520  # 8 areas x 113 elements x 5 questions
FINDINGS = 500
RUNS = 5
AIM = 3.0


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table: what was timed, against what, and the aim."""

    name: str
    seconds: float
    baseline: float
    aim: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline

    @property
    def ok(self) -> bool:
        return self.ratio <= self.aim

    def line(self) -> str:
        flag = "ok" if self.ok else f"over the {self.aim:g}x aim"
        return (f"{self.name}: {self.seconds:.3f} s, bare openpyxl read {self.baseline:.3f} s, "
                f"ratio {self.ratio:.2f}x ({flag})")


def bare_read(path: Path) -> int:
    """Every cell value of every sheet, the cheapest way openpyxl offers."""
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += len(row)
    wb.close()
    return n


def edit_cells(src: Path, dst: Path, count: int = 100) -> None:
    wb = load_workbook(src)
    ws = wb["Checklist"]
    notes = [c.value for c in ws[1]].index("Notes") + 1
    for r in range(2, 2 + count):
        ws.cell(r, notes).value = f"Edited in the workbook, row {r}"
    wb.save(dst)


def medians(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median of ``runs`` timings of two jobs run alternately."""
    ta, tb = [], []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def measure(folder: Path, ws_path: Path | None = None) -> list[Row]:
    """Build (unless given), export, edit and time; the rows a summary table shows."""
    if ws_path is None:
        t = time.perf_counter()
        ws_path = _export_fixture.build(folder / "bench-import.qmsr", findings=FINDINGS,
                                        questions=QUESTIONS)
        print(f"fixture: {time.perf_counter() - t:.1f} s", flush=True)
    with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
        report = build_report(s, _export_fixture.INSPECTION)
    export_xlsx(report, folder / "pack.xlsx")
    edit_cells(folder / "pack.xlsx", folder / "returned.xlsx")
    pack = folder / "returned.xlsx"
    with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
        plan = plan_workbook_import(s, pack)
        rows = len(plan.rows)
        print(f"pack: {pack.stat().st_size / 2**20:.1f} MB, {rows:,} rows planned, "
              f"{plan.counts()['updates']} updates, {bare_read(pack):,} cells", flush=True)
        plan_t, bare_t = medians(lambda: plan_workbook_import(s, pack), lambda: bare_read(pack),
                                 RUNS)
    return [Row(f"import plan ({rows:,} rows)", plan_t, bare_t, AIM)]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        given = Path(sys.argv[1]) if len(sys.argv) > 1 else None
        for row in measure(Path(tmp), given):
            print(row.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
