"""Reads one data sheet of a returned pack into canonical rows, finding columns by header.

People reorder, hide and delete columns, so columns are found by their header (the field
labels in ``fields``); a deleted column is simply not compared. Every cell that cannot be read
as its field is collected as a problem with its reference (``Checklist!H12: …``) so the user
sees all of them at once, and a formula without a saved value is named, never calculated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from qmsr_ready.core.exchange.fields import CellValueError, EntitySpec, FieldKind, FieldSpec
from qmsr_ready.core.exchange.workbook_safety import FormulaCell
from qmsr_ready.core.fields.spec import DATE_MAX as _DATE_MAX
from qmsr_ready.core.fields.spec import DATE_MIN as _DATE_MIN

DATE_MIN, DATE_MAX = _DATE_MIN, _DATE_MAX  # the field spec's date range, kept under old names


@dataclass
class SheetRow:
    """One data row as read: its key, canonical values and where each came from."""

    row: int  # 1-based sheet row
    key: str
    values: dict[str, Any]  # field name -> canonical value
    cells: dict[str, str]  # field name -> "Checklist!H12"
    raw: tuple[Any, ...]  # the row's cells as read (for format 1 fingerprints)
    # field name -> "Checklist!N2: Due date 2206-05-31 is out of range (...)": a problem only
    # if the import would take the value (a date stored earlier may come back unchanged)
    out_of_range: dict[str, str] = field(default_factory=dict)


@dataclass
class SheetRead:
    """Everything read from one sheet."""

    sheet: str
    headers: dict[str, int]  # folded header -> 0-based column
    compared: tuple[FieldSpec, ...]
    missing: tuple[FieldSpec, ...]  # fields whose column is gone
    rows: list[SheetRow] = field(default_factory=list)
    formula_values: list[str] = field(default_factory=list)  # cells read from saved results

    def column_of(self, label: str) -> int | None:
        return self.headers.get(fold(label))


def fold(header: Any) -> str:
    """Header text as compared: spacing and case do not matter."""
    return " ".join(str(header).split()).casefold() if header is not None else ""


def _key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_sheet(
    spec: EntitySpec,
    rows: Iterable[tuple[Any, ...]],
    formulas: Mapping[str, FormulaCell],
    problems: list[str],
    *,
    allow_new: bool,
) -> SheetRead:
    """Read ``spec.sheet``'s rows (header first); append cell problems to ``problems``."""
    sheet = spec.sheet
    it = iter(rows)
    header_row = next(it, ())
    headers: dict[str, int] = {}
    for i, value in enumerate(header_row):
        label = fold(value)
        if not label:
            continue
        if label in headers and _is_ours(spec, label):
            problems.append(
                f"{sheet}!{get_column_letter(i + 1)}1: the column {value!r} appears twice; "
                "keep one"
            )
        headers.setdefault(label, i)
    key_col = headers.get(fold(spec.key_label))
    if key_col is None:
        problems.append(f"{sheet}!1: the {spec.key_label!r} column is missing; rows cannot be "
                        "matched without it")
        return SheetRead(sheet, headers, (), spec.fields)
    compared = tuple(fs for fs in spec.fields if fold(fs.label) in headers)
    missing = tuple(fs for fs in spec.fields if fold(fs.label) not in headers)
    read = SheetRead(sheet, headers, compared, missing)
    columns = [(fs, headers[fold(fs.label)]) for fs in compared]
    letters = {col: get_column_letter(col + 1) for _fs, col in columns}
    key_letter = get_column_letter(key_col + 1)
    used = [key_col, *(col for _fs, col in columns)]
    first_row: dict[str, int] = {}
    for r, raw in enumerate(it, start=2):
        if all(_blank(raw[c] if c < len(raw) else None) for c in used):
            continue
        key = _key(raw[key_col] if key_col < len(raw) else None)
        if f"{key_letter}{r}" in formulas:
            problems.append(f"{sheet}!{key_letter}{r}: a formula stands in the "
                            f"{spec.key_label} column; type the ID itself")
        if key:
            if key in first_row:
                problems.append(
                    f"{sheet}!{key_letter}{r}: {spec.key_label} {key} appears again (first in "
                    f"row {first_row[key]}); keep one row per {spec.key_label}"
                )
            first_row.setdefault(key, r)
        elif allow_new:
            for fs in missing:
                if fs.required:
                    problems.append(f"{sheet}!{r}: a new {spec.label.lower()} needs a "
                                    f"{fs.label!r} column")
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        out_of_range: dict[str, str] = {}
        for fs, col in columns:
            ref = f"{letters[col]}{r}"
            cells[fs.name] = f"{sheet}!{ref}"
            formula = formulas.get(ref)
            if formula is not None:
                if not formula.cached:
                    problems.append(
                        f"{sheet}!{ref}: {fs.label} holds a formula with no saved value; type "
                        "the value itself (formulas are never calculated)"
                    )
                    continue
                read.formula_values.append(f"{sheet}!{ref}")
            value = raw[col] if col < len(raw) else None
            try:
                values[fs.name] = fs.canonical(value)
            except CellValueError as exc:
                problems.append(f"{sheet}!{ref}: {exc}")
                continue
            if fs.kind is FieldKind.DATE and fs.date_problem(values[fs.name]):
                out_of_range[fs.name] = f"{sheet}!{ref}: {fs.date_problem(values[fs.name])}"
        read.rows.append(SheetRow(r, key, values, cells, tuple(raw), out_of_range))
    return read


def canonical_cell(fs: FieldSpec, value: Any) -> Any:
    """``fs.canonical`` plus the spec's date range (a cell taken as it stands; ``read_sheet``
    leaves the range to the plan, which refuses it only for a value the import would take)."""
    result = fs.canonical(value)
    if fs.kind is FieldKind.DATE and fs.date_problem(result):
        raise CellValueError(fs.date_problem(result))
    return result


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_ours(spec: EntitySpec, label: str) -> bool:
    return label == fold(spec.key_label) or any(label == fold(fs.label) for fs in spec.fields)
