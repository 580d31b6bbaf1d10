"""Formula-injection guard: risky strings are stored as text cells, read back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from qmsr_ready.core.export.safe_text import clean_for_cell, is_risky, write_text

RISKY = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", RISKY)
def test_risky_values_are_detected(value: str) -> None:
    assert is_risky(value)


@pytest.mark.parametrize("value", ["plain", "a=b", "", 5, None, "1+1"])
def test_ordinary_values_are_not_risky(value: object) -> None:
    assert not is_risky(value)


def test_risky_text_round_trips_as_quoted_string(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i, value in enumerate([*RISKY, "safe"], start=1):
        write_text(ws.cell(row=i, column=1), clean_for_cell(value))
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    for i, value in enumerate(RISKY, start=1):
        cell = back.cell(row=i, column=1)
        assert cell.value == clean_for_cell(value)
        assert cell.data_type == "s"
        assert cell.quotePrefix == is_risky(clean_for_cell(value))  # CR becomes a harmless LF
    assert back.cell(row=len(RISKY) + 1, column=1).quotePrefix is False


def test_control_characters_openpyxl_refuses_are_dropped() -> None:
    assert clean_for_cell("a\x00b\x07c\nd") == "abc\nd"
    assert clean_for_cell("\rx\r\ny") == "\nx\ny"


def test_wrapped_rows_get_the_height_their_text_needs() -> None:
    from qmsr_ready.core.export.xlsx.table import LINE_POINTS, MAX_LINES, Column, wrapped_height

    columns = [Column("ID", 10), Column("Notes", 21, "wrap")]
    assert wrapped_height(columns, ["Q-1", "short"]) is None
    assert wrapped_height(columns, ["Q-1", "x" * 45]) == 3 * LINE_POINTS  # 20 chars a line
    assert wrapped_height(columns, ["Q-1", "a\nb\nc\nd"]) == 4 * LINE_POINTS
    assert wrapped_height(columns, ["Q-1", "y" * 10_000]) == MAX_LINES * LINE_POINTS
    assert wrapped_height(columns, ["z" * 500, "short"]) is None, "only wrapped columns count"
