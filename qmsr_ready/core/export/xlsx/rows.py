"""The workbook's ``<sheetData>`` written as text, byte for byte what openpyxl writes.

openpyxl (without lxml) serialises every cell by building an ElementTree element and passing it
through ``et_xmlfile``'s namespace-aware serialiser: about two thirds of an export's time for a
pack of 36,000 cells. The cells of a pack are plain (text, numbers, booleans, dates, empty with a
style), so this writer formats them directly and hands anything else (formulas, rich text,
hyperlinks, ISO dates, time zones) to openpyxl's own cell writer, in place. Everything outside
``<sheetData>`` (columns, panes, filters, validations, conditional formats, print setup,
drawings) stays openpyxl's.

tests/unit/test_xlsx_rows.py checks the output equals openpyxl's for every kind of cell; when
the serialiser is not ``et_xmlfile``'s (lxml installed) this writer steps aside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from openpyxl import LXML
from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter

_PLAIN = (str, int, float, bool, type(None))  # values formatted here; others go to openpyxl
_DATES = (dt.datetime, dt.date)


class FastRowsWriter(WorksheetWriter):
    """``WorksheetWriter`` whose ``write_rows`` formats plain cells as text."""

    def write_rows(self) -> None:
        xf: Any = self.xf.send(True)
        raw = getattr(xf, "_file", None)  # et_xmlfile's write function for the open document
        if LXML or raw is None:
            with xf.element("sheetData"):
                for row_idx, row in self.rows():
                    self.write_row(xf, row, row_idx)
        else:
            with xf.element("sheetData"):
                for row_idx, row in self.rows():
                    self._write_row_text(xf, raw, row, row_idx)
        self.xf.send(None)  # return control to the generator, as openpyxl does

    def _write_row_text(self, xf: Any, raw: Any, row: list[Any], row_idx: int) -> None:
        ws: Any = self.ws  # a full worksheet; its private lists are not in the stubs
        dims = ws.row_dimensions.get(row_idx)
        attrs = f' r="{row_idx}"'
        if dims is not None:
            attrs += "".join(f' {k}="{_escape_attrib(v)}"' for k, v in dims)
        raw(f"<row{attrs}>")
        wb = ws.parent
        parts: list[str] = []
        for cell in row:
            comment = cell._comment
            if comment is not None:
                ws._comments.append(CommentRecord.from_cell(cell))
            styled = cell.has_style
            value = cell._value
            if value is None and not styled and comment is None:
                continue
            text = _cell_text(cell, value, styled, wb)
            if text is None:  # not a plain cell: openpyxl writes it, after what came before
                if parts:
                    raw("".join(parts))
                    parts = []
                write_cell(xf, ws, cell, styled)
            else:
                parts.append(text)
        parts.append("</row>")
        raw("".join(parts))


def _cell_text(cell: Any, value: Any, styled: bool, wb: Any) -> str | None:
    """One ``<c>`` element as openpyxl's ``etree_write_cell`` writes it, or None to let it."""
    if cell._hyperlink:
        return None
    kind = cell.data_type
    if kind == "d":
        if (
            not isinstance(value, _DATES)
            or getattr(value, "tzinfo", None) is not None
            or wb.iso_dates
        ):
            return None
        value = to_excel(value, wb.epoch)  # type: ignore[no-untyped-call]
        kind = "n"
    elif kind == "f" or not isinstance(value, _PLAIN):
        return None
    head = f'<c r="{cell.coordinate}" s="{cell.style_id}"' if styled else (
        f'<c r="{cell.coordinate}"'
    )
    if kind == "s":
        head += ' t="inlineStr"'
        if value is None or value == "":
            return head + " />"
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f"{head}><is><t{space}>{_escape_cdata(value)}</t></is></c>"
    head += f' t="{kind}"'
    if value is None or value == "":
        return head + " />"
    text = safe_string(value)
    if not text:  # NaN and infinities: an empty <v>, written short like openpyxl
        return f"{head}><v /></c>"
    return f"{head}><v>{_escape_cdata(text)}</v></c>"
