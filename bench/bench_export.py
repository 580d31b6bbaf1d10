"""Export benchmark (issue 5 item 8, issue 13 item 3): 400 questions, 500 findings.

Times each pack beside a baseline in the same run: the same cells written with bare openpyxl and
the same paragraphs laid out with bare reportlab (medians of alternating runs); the target is
≤ 1.2×. Part of ``make bench``; alone: ``.venv/bin/python bench/bench_export.py [WORKSPACE]``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _export_fixture
from _table import BenchRow, paired_medians, render

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.export import (
    ExportOptions,
    NullProgress,
    export_pdf,
    export_xlsx,
)
from qmsr_ready.core.export.pdf.writer import build_story
from qmsr_ready.core.report import ReadinessReport, build_report


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


RUNS = 5
TARGET = 1.2


def rows(workspace: Path | None = None) -> list[BenchRow]:
    """Workbook and PDF pack against their bare baselines, medians of ``RUNS`` paired runs."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws_path = workspace or _export_fixture.build(folder / "bench.qmsr")
        with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
            report = build_report(s, _export_fixture.INSPECTION)
        export_xlsx(report, folder / "pack.xlsx")
        cells = pack_cells(folder / "pack.xlsx")
        xlsx = paired_medians(RUNS, lambda: export_xlsx(report, folder / "pack.xlsx"),
                              lambda: bare_xlsx(cells, folder / "bare.xlsx"))
        pdf = paired_medians(RUNS, lambda: export_pdf(report, folder / "pack.pdf"),
                             lambda: bare_pdf(report, folder / "bare.pdf"))
    return [
        BenchRow("export workbook (400 q, 500 findings) vs bare openpyxl, same cells",
                 xlsx[0], xlsx[1], "ms", TARGET),
        BenchRow("export PDF (400 q, 500 findings) vs bare reportlab, same paragraphs",
                 pdf[0], pdf[1], "ms", TARGET),
    ]


def main() -> None:
    print(render(rows(Path(sys.argv[1]) if len(sys.argv) > 1 else None)))


if __name__ == "__main__":
    main()
