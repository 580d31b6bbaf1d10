"""Workbook look: one palette and a handful of named cell styles, applied by index copy.

Styles are resolved once per workbook into openpyxl ``StyleArray`` prototypes and copied onto
cells, which is several times faster than assigning Font/Fill/Alignment objects cell by cell.
"""

from __future__ import annotations

from copy import copy
from typing import Any, cast

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.styleable import StyleableObject
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from qmsr_ready.core.report.bands import Band

NAVY = "1F3A5F"
LIGHT = "E8EEF5"
RED_FILL = PatternFill("solid", fgColor="F8D7DA")
AMBER_FILL = PatternFill("solid", fgColor="FFF3CD")
GREEN_FILL = PatternFill("solid", fgColor="D4EDDA")
RED_FONT = Font(color="8B1A1A")
AMBER_FONT = Font(color="7A5B00")

_THIN = Side(style="thin", color="C9D3DF")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)

STYLE_DEFS: dict[str, dict[str, Any]] = {
    "header": {
        "font": Font(bold=True, color="FFFFFF"),
        "fill": PatternFill("solid", fgColor=NAVY),
        "alignment": Alignment(vertical="center", wrap_text=True),
        "border": _GRID,
    },
    "title": {"font": Font(bold=True, size=16, color=NAVY)},
    "subtitle": {"font": Font(italic=True, size=10, color="555555")},
    "label": {"font": Font(bold=True), "alignment": _TOP},
    "kpi": {"font": Font(bold=True, size=14, color=NAVY)},
    "section": {"font": Font(bold=True, size=12, color=NAVY)},
    "text": {"alignment": _TOP, "border": _GRID},
    "wrap": {"alignment": _WRAP, "border": _GRID},
    "int": {"alignment": _TOP, "border": _GRID, "number_format": "0"},
    "pct": {"alignment": _TOP, "border": _GRID, "number_format": '0"%"'},
    "date": {"alignment": _TOP, "border": _GRID, "number_format": "yyyy-mm-dd"},
    "datetime": {"alignment": _TOP, "border": _GRID, "number_format": "yyyy-mm-dd hh:mm"},
    "plain": {"alignment": _TOP},
    "plain_wrap": {"alignment": _WRAP},
}
# One style per conformance band (core.report.bands.Band values): the word is in the cell, the
# fill only repeats it.
_BAND_LOOKS: dict[Band, dict[str, Any]] = {
    Band.ON_TARGET: {"fill": GREEN_FILL},
    Band.NEEDS_WORK: {"fill": AMBER_FILL, "font": AMBER_FONT},
    Band.OFF_TARGET: {"fill": RED_FILL, "font": RED_FONT},
    Band.NO_DATA: {},
}
STYLE_DEFS.update({
    f"band_{band.value}": {"alignment": _TOP, "border": _GRID, **look}
    for band, look in _BAND_LOOKS.items()
})


class StyleCache:
    """Per-workbook prototypes of the named styles (plus quote-prefixed twins for text)."""

    def __init__(self, wb: Workbook) -> None:
        # A workbook that is not write-only always has an active worksheet.
        scratch = Cell(cast(Worksheet, wb.active), row=1, column=1)
        self._arrays: dict[str, Any] = {}
        self._quoted: dict[str, Any] = {}
        for name, attrs in STYLE_DEFS.items():
            cell = copy(scratch)
            for attr, value in attrs.items():
                setattr(cell, attr, value)
            self._arrays[name] = copy(cell._style)  # type: ignore[attr-defined]  # stubs omit _style
            quoted = copy(cell._style)  # type: ignore[attr-defined]  # stubs omit the StyleArray
            quoted.quotePrefix = 1
            self._quoted[name] = quoted

    def array(self, name: str, quoted: bool = False) -> Any:
        """The named style's prototype ``StyleArray``, shared: pass it as ``Cell(style_array=)``
        (which copies it), never assign it to a cell."""
        return (self._quoted if quoted else self._arrays)[name]

    def apply(self, cell: StyleableObject, name: str, quoted: bool = False) -> None:
        """Give ``cell`` the named style (``quoted`` marks literal text, see safe_text)."""
        style = (self._quoted if quoted else self._arrays)[name]
        cell._style = copy(style)  # type: ignore[attr-defined]  # openpyxl's stubs omit _style
