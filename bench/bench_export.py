"""Export benchmark (issue 5 item 8): 400 questions, 500 findings.

Times each pack beside a baseline in the same run: the same cells written with bare openpyxl and
the same paragraphs laid out with bare reportlab. Prints seconds and ratios; the aim is ≤ 1.5×.
Run: ``.venv/bin/python bench/bench_export.py``.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _export_fixture

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.export import (
    ExportOptions,
    NullProgress,
    export_pdf,
    export_xlsx,
)
from qmsr_ready.core.export.pdf.writer import build_story
from qmsr_ready.core.report import ReadinessReport, build_report


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def paired(n: int, a: Callable[[], object], b: Callable[[], object]) -> tuple[float, float]:
    """Best-of-n for two jobs run alternately, so both see the same machine load."""
    ta, tb = [], []
    for _ in range(n):
        ta.append(best_of(1, a))
        tb.append(best_of(1, b))
    return min(ta), min(tb)


def pack_cells(pack: Path) -> dict[str, list[list[object]]]:
    """Every cell value of a written pack, sheet by sheet (read once, outside the timing)."""
    wb = load_workbook(pack)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def bare_xlsx(cells: dict[str, list[list[object]]], path: Path) -> None:
    """The same cells as the pack, every sheet included, with no styles, validations, charts,
    conditional formats or print setup: what bare openpyxl costs for this much data."""
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, rows in cells.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def _paragraphs(items: object) -> list[Paragraph]:
    """Every paragraph in the pack's story, tables and cell lists included, as plain copies."""
    out: list[Paragraph] = []
    stack = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, Paragraph):
            # Contents links point at bookmarks the bare document does not define.
            out.append(Paragraph(re.sub(r"</?a[^>]*>", "", item.text), item.style))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, Table):
            stack.extend(reversed(item._cellvalues))
    return out


def bare_pdf(report: ReadinessReport, path: Path) -> None:
    """The same paragraphs as the pack, in one plain flow (no tables, charts or furniture)."""
    story, _ctx = build_story(report, ExportOptions(), NullProgress())
    SimpleDocTemplate(str(path), pagesize=A4).build(_paragraphs(story))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        if len(sys.argv) > 1:  # reuse a workspace built earlier by _export_fixture.build
            ws_path = Path(sys.argv[1])
        else:
            ws_path = _export_fixture.build(folder / "bench.qmsr")
        print(f"fixture: {time.perf_counter() - t:.1f} s (400 questions, 500 findings)")
        with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
            build_t = best_of(3, lambda: build_report(s, _export_fixture.INSPECTION))
            report = build_report(s, _export_fixture.INSPECTION)
        print(f"build_report: {build_t:.3f} s")
        export_xlsx(report, folder / "pack.xlsx")
        cells = pack_cells(folder / "pack.xlsx")
        rows = [
            ("xlsx", lambda: export_xlsx(report, folder / "pack.xlsx"),
             lambda: bare_xlsx(cells, folder / "bare.xlsx")),
            ("pdf", lambda: export_pdf(report, folder / "pack.pdf"),
             lambda: bare_pdf(report, folder / "bare.pdf")),
        ]
        for name, pack, bare in rows:
            pack_t, bare_t = paired(5, pack, bare)
            ratio = pack_t / bare_t
            flag = "ok" if ratio <= 1.5 else "over the 1.5x aim"
            print(f"{name}: pack {pack_t:.3f} s, bare baseline {bare_t:.3f} s, "
                  f"ratio {ratio:.2f}x ({flag})")


if __name__ == "__main__":
    main()
