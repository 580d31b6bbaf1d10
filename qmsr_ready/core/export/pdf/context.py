"""What every PDF section function receives, and small table helpers they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reportlab.platypus import Table, TableStyle

from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.pdf.doc import Heading, Registry
from qmsr_ready.core.export.pdf.styles import GRID, LIGHT, NAVY, Styles
from qmsr_ready.core.export.progress import Progress
from qmsr_ready.core.report.model import ReadinessReport

_T = TypeVar("_T")


@dataclass
class PdfContext:
    """Report, options, styles and the contents entries (level, title, bookmark key)."""

    report: ReadinessReport
    options: ExportOptions
    styles: Styles
    registry: Registry
    progress: Progress
    entries: list[tuple[int, str, str]] = field(default_factory=list)

    def heading(self, title: str, key: str, level: int = 0) -> Heading:
        """A section (level 0) or area (level 1) heading that is bookmarked."""
        style = self.styles.h1 if level == 0 else self.styles.h2
        return Heading(title, style, key, level)


def grid_table(
    rows: Sequence[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
    zebra: bool = True,
) -> Table:
    """A wrapped, page-splitting table with a navy header row repeated on every page."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                  splitByRow=1, splitInRow=1, hAlign="LEFT")
    cmds: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), NAVY))
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, LIGHT]))
    cmds.extend(extra)
    table.setStyle(TableStyle(cmds))
    return table


def chunks(items: Sequence[_T], size: int) -> list[Sequence[_T]]:
    """Split long registers into tables of ``size`` rows (splitting one huge table is slow)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]

