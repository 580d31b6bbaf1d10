"""The pack's row writer (core.export.xlsx.rows) writes what openpyxl writes, faster.

A workbook with every kind of cell is saved twice, by openpyxl and by ``save_workbook``: every
part but the document properties (which hold the save time) must be the same bytes, and only
the cells the fast writer hands back (formulas, rich text, hyperlinks) may reach openpyxl's cell
serialiser.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from qmsr_ready.core.export.safe_text import clean_for_cell
from qmsr_ready.core.export.xlsx import meta, rows
from qmsr_ready.core.export.xlsx.save import save_workbook
from qmsr_ready.core.export.xlsx.table import Column, wrapped_height
from qmsr_ready.core.fields.spec import value_hash

PLAIN = [
    "plain", "  leading", "trailing  ", "   ", "", "a & b < c > d \"q\" 'a'", "line\nbreak",
    "tab\tinside", "Zoë Łukasiewicz-Ψ ✓ 𝔘", "=1+1", "+SUM(A1)", "-2", "@cmd", "]]>",
    0, 1, -7, 2**40, 3.5, 1e-9, 1 / 3, 1e20, float("nan"), float("inf"), True, False, None,
    dt.datetime(2026, 2, 2, 9, 30, 15), dt.date(2026, 10, 1),
]


def _sheet(wb: Workbook, title: str) -> None:
    ws = wb.create_sheet(title)
    ws.append(["header", "&", "x"])
    for i, value in enumerate(PLAIN, start=2):
        ws.cell(row=i, column=1, value=value)
        styled = ws.cell(row=i, column=2, value=value)
        styled.font = Font(bold=True)
        styled.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
            styled.data_type = "s"  # the formula guard's literal text
            styled.quotePrefix = True
    ws.cell(row=3, column=5).font = Font(italic=True)  # styled, empty
    ws.row_dimensions[4].height = 45
    ws.row_dimensions[60].height = 30  # a row with a height and no cells
    ws.row_dimensions[5].hidden = True
    # what the fast writer hands to openpyxl
    ws["G2"] = "=SUM(A2:A3)"
    ws["G3"] = CellRichText("rich ", TextBlock(InlineFont(b=True), "bold"))
    ws["G4"] = "link"
    ws["G4"].hyperlink = "https://example.org/?a=1&b=2"
    ws["G5"] = dt.time(8, 15)
    ws["G6"] = dt.timedelta(hours=30)
    ws["G7"] = "#N/A"
    ws["G7"].data_type = "e"
    ws["H2"] = "with a comment"
    ws["H2"].comment = Comment("note & <more>", "Auditor")


def _workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "One")
    _sheet(wb, "Two & more")
    return wb


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_every_part_is_what_openpyxl_writes(tmp_path: Path) -> None:
    _workbook().save(tmp_path / "openpyxl.xlsx")
    save_workbook(_workbook(), tmp_path / "ours.xlsx")
    theirs, ours = _parts(tmp_path / "openpyxl.xlsx"), _parts(tmp_path / "ours.xlsx")
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name


def test_plain_cells_skip_openpyxl_serialiser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[str] = []
    original = rows.write_cell

    def counting(xf: object, ws: object, cell: object, styled: object = None) -> None:
        handed.append(cell.coordinate)  # type: ignore[attr-defined]
        original(xf, ws, cell, styled)

    monkeypatch.setattr(rows, "write_cell", counting)
    save_workbook(_workbook(), tmp_path / "ours.xlsx")
    # per sheet: the formulas (A11 is the unguarded "=1+1"), rich text, hyperlink, time and
    # timedelta cells only
    assert sorted(handed) == sorted(["A11", "G2", "G3", "G4", "G5", "G6"] * 2)


def test_value_hash_cache_keeps_equal_values_of_other_types_apart() -> None:
    # True == 1 == 1.0 share one dictionary key; their canonical hashes must not
    for value in (1, True, 1.0, 0, False, "1", (), None, ""):
        assert meta._value_hash(value) == value_hash(value), repr(value)
    assert meta._value_hash(["a", "b"]) == value_hash(["a", "b"])  # not hashable: not cached


def _reference_height(columns: list[Column], values: list[object]) -> float | None:
    """The row height formula as first written (every wrapped cell measured)."""
    lines = 1
    for column, value in zip(columns, values, strict=False):
        if column.kind != "wrap" or not isinstance(value, str) or not value:
            continue
        per_line = max(int(column.width) - 1, 1)
        lines = max(lines, sum(max(1, -(-len(p) // per_line)) for p in value.split("\n")))
    return None if lines == 1 else 15 * min(lines, 20)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["wrap", "text", "int"]),
            st.integers(1, 70),
            st.one_of(st.none(), st.integers(), st.text(alphabet="ab \n", max_size=300)),
        ),
        max_size=8,
    ),
    st.integers(0, 3),
)
def test_row_height_shortcut_matches_full_measure(
    cells: list[tuple[str, int, object]], extra: int
) -> None:
    columns = [Column("h", width, kind) for kind, width, _ in cells]
    values = [v for _, _, v in cells][: max(len(cells) - extra, 0)]  # rows may be short
    assert wrapped_height(columns, values) == _reference_height(columns, values)


_CELL_VALUES = st.one_of(
    st.text(max_size=40).map(clean_for_cell),  # what the pack's cells hold: no control chars
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL_VALUES, max_size=6), max_size=6), st.booleans())
def test_any_plain_values_match_openpyxl(grid: list[list[object]], styled: bool) -> None:
    def build() -> Workbook:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        for values in grid:
            ws.append(values)
        if styled:
            for row in ws.iter_rows():
                for cell in row:
                    cell.font = Font(bold=True)
        return wb

    with tempfile.TemporaryDirectory() as tmp:
        build().save(Path(tmp) / "openpyxl.xlsx")
        save_workbook(build(), Path(tmp) / "ours.xlsx")
        assert _parts(Path(tmp) / "ours.xlsx") == _parts(Path(tmp) / "openpyxl.xlsx")
