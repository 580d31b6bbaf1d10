"""Contents page: every section and area with its page number, linked to its bookmark."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table

from qmsr_ready.core.export.pdf.context import PdfContext
from qmsr_ready.core.export.pdf.doc import Heading, PageRef
from qmsr_ready.core.export.pdf.styles import CONTENT_WIDTH, GRID, Para, esc

TITLE = "Contents"


def build(ctx: PdfContext) -> list[Flowable]:
    """One row per contents entry; page numbers resolve when the PDF is saved."""
    st = ctx.styles
    rows = []
    levels = []
    for level, title, key in ctx.entries:
        style = st.toc1 if level == 0 else st.toc2
        rows.append([Para(f'<a href="#{key}">{esc(title)}</a>', style),
                     PageRef(key, ctx.registry)])
        levels.append(level)
    out: list[Flowable] = [Heading(TITLE, st.h1, "sec-contents", 0)]
    if rows:
        table = Table(rows, colWidths=[CONTENT_WIDTH - 20 * mm, 20 * mm], hAlign="LEFT",
                      splitByRow=1)
        cmds: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                       ("ALIGN", (1, 0), (1, -1), "RIGHT")]
        cmds += [("LINEBELOW", (0, i), (-1, i), 0.3, GRID)
                 for i, lv in enumerate(levels) if lv == 0]
        table.setStyle(cmds)
        out.append(table)
    out.append(PageBreak())
    return out
