"""Shared machinery for the data sheets: typed columns, guarded cells, filters, print setup.

Every data sheet is "one header row + one row per record"; this module writes that shape the
same way everywhere (frozen header, autofilter, widths, wrapped text, landscape fit-to-width
printing with header and footer) and records each row's fingerprint for the metadata sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.progress import Progress, check
from qmsr_ready.core.export.safe_text import TRIGGERS, clean_for_cell, clean_for_property
from qmsr_ready.core.export.xlsx.meta import MetaCollector, fingerprint
from qmsr_ready.core.export.xlsx.styles import StyleCache
from qmsr_ready.core.report.model import ReadinessReport


@dataclass(frozen=True)
class Column:
    """One column: header text, width in characters and value kind (text, wrap, int, pct,
    date, datetime)."""

    header: str
    width: float
    kind: str = "text"


@dataclass
class SheetContext:
    """What every sheet function receives."""

    wb: Workbook
    report: ReadinessReport
    options: ExportOptions
    styles: StyleCache
    meta: MetaCollector
    progress: Progress


FIRST_SERIAL_DATE = dt.date(1900, 3, 1)  # the first day Excel and LibreOffice number alike


def excel_value(value: Any) -> Any:
    """Convert a report value to something a cell holds (Excel has no time zones)."""
    if type(value) is str:  # most cells: skip the type checks below
        return clean_for_cell(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, dt.date) and value < FIRST_SERIAL_DATE:
        # Excel counts 1900-02-29 and LibreOffice does not, so serial days before March 1900
        # read back a day apart (and 1899-12-31 as a time of day): such a date goes out as its
        # ISO text, which every reader and the import take back exactly.
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    return clean_for_cell(value)


LINE_POINTS = 15  # one line of the body font, in points
MAX_LINES = 20  # a taller row stops being scannable; the cell still holds every character


def wrapped_height(columns: Sequence[Column], values: Sequence[Any]) -> float | None:
    """Row height that shows the wrapped text of the row, or None for one line.

    Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl, so long
    notes would be cut to one line on screen and overlap when printed. Estimate the lines from
    the column width (about one character per width unit).
    """
    return _wrapped_height(_wrap_widths(columns), values)


def _wrap_widths(columns: Sequence[Column]) -> list[tuple[int, int]]:
    """``(index, characters per line)`` of each wrapped column, worked out once per sheet."""
    return [(i, max(int(c.width) - 1, 1)) for i, c in enumerate(columns) if c.kind == "wrap"]


def _wrapped_height(wraps: Sequence[tuple[int, int]], values: Sequence[Any]) -> float | None:
    lines = 1
    for i, per_line in wraps:
        value = values[i] if i < len(values) else None
        if not isinstance(value, str) or (len(value) <= per_line * lines and "\n" not in value):
            continue  # empty, or fits in the lines already needed
        needed = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
        lines = max(lines, needed)
    if lines == 1:
        return None
    return LINE_POINTS * min(lines, MAX_LINES)


def write_table(
    ctx: SheetContext,
    ws: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[tuple[str, Sequence[Any]] | tuple[str, Sequence[Any], str]],
    *,
    title: str,
) -> int:
    """Write header and ``(row_id, values)`` rows; return the last row number written.

    A row may carry a third item, its exchanged fields' base hashes (``meta.field_hashes``),
    which the metadata sheet keeps beside the row's fingerprint.
    """
    styles = ctx.styles
    header = styles.array("header")
    ws.append([
        Cell(ws, row=1, column=i, value=c.header, style_array=header)
        for i, c in enumerate(columns, start=1)
    ])
    ws.row_dimensions[1].height = 30
    # Each column's style prototype (plain and quote-prefixed) looked up once per sheet; a cell
    # gets its own copy from ``Cell(style_array=)``, as ``StyleCache.apply`` would give it.
    plain = [styles.array(c.kind) for c in columns]
    quoted = [styles.array(c.kind, quoted=True) for c in columns]
    wraps = _wrap_widths(columns)
    add_row = ctx.meta.add_row
    title_of_sheet = ws.title
    r = 1
    for r, (row_id, raw, *base) in enumerate(rows, start=2):
        values = [excel_value(v) for v in raw]
        cells = []
        for i, value in enumerate(values[: len(columns)]):
            if isinstance(value, str) and value.startswith(TRIGGERS):
                # literal text, never a formula (see safe_text)
                cell = Cell(ws, row=r, column=i + 1, value=value, style_array=quoted[i])
                cell.data_type = "s"
            else:
                cell = Cell(ws, row=r, column=i + 1, value=value, style_array=plain[i])
            cells.append(cell)
        cells.extend(values[len(columns):])  # no column for these: unstyled, as append writes
        ws.append(cells)
        add_row(title_of_sheet, r, row_id, values, base[0] if base else "")
        height = _wrapped_height(wraps, values)
        if height:
            ws.row_dimensions[r].height = height
        if r % 200 == 0:
            check(ctx.progress)
    finish_sheet(ws, columns, r, title=title, report=ctx.report)
    return r


def finish_sheet(
    ws: Worksheet,
    columns: Sequence[Column],
    last_row: int,
    *,
    title: str,
    report: ReadinessReport,
) -> None:
    """Freeze the header, add the filter, set widths and print setup."""
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last_row, 1)}"
    ws.print_title_rows = "1:1"
    print_setup(ws, title=title, report=report)


def print_setup(ws: Worksheet, *, title: str, report: ReadinessReport) -> None:
    """Landscape, fit to one page wide, header with site/inspection, footer with page x of y."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit, header, footer = ws.sheet_properties.pageSetUpPr, ws.oddHeader, ws.oddFooter
    # openpyxl gives every new worksheet these three; the stubs allow None for read-in ones.
    assert fit is not None
    assert header is not None
    assert footer is not None
    fit.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    header.left.text = _hf(f"{report.site.name} — {report.inspection.code}")
    header.right.text = _hf(title)
    footer.left.text = _hf(f"QMSR Ready {report.app_version}")
    footer.center.text = "Page &P of &N"
    footer.right.text = _hf(f"Generated {report.generated_at:%Y-%m-%d %H:%M} UTC")


def _hf(text: str) -> str:
    """One clean line (a site name may hold a pasted vertical tab, which XML cannot carry),
    ``&`` escaped (a header/footer control character), kept short."""
    return clean_for_property(text).replace("&", "&&")[:120]


def add_list_validation(
    ws: Worksheet, col: int, last_row: int, choices: Sequence[str], prompt: str
) -> None:
    """A drop-down on one column of the data rows."""
    if last_row < 2:
        return
    letter = get_column_letter(col)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorTitle="Not in the list",
        error=f"Choose one of: {', '.join(choices)}.",
        promptTitle=prompt,
        prompt=f"Choose one of: {', '.join(choices)}.",
    )
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def column_index(columns: Sequence[Column], header: str) -> int:
    """1-based index of the column with this header."""
    return [c.header for c in columns].index(header) + 1


__all__ = ["Column", "SheetContext", "add_list_validation", "fingerprint", "write_table"]
