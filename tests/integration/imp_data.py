"""Helpers for the workbook import tests: a workspace with an exported pack, and cell edits.

Not a test module; imported by tests/integration/test_import_workbook*.py. The workspace is the
export tests' one (``exp_data``), left unsigned so it can be changed after the export.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import exp_data
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.plan import ExchangePlan, RowPlan, RowStatus
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export import ExportOptions, export_xlsx
from qmsr_ready.core.report import build_report

INSPECTION = exp_data.INSPECTION
ACTOR = "Import Tester"


@dataclass(frozen=True)
class Pack:
    """A workspace and the pack exported from it (copied fresh for each test)."""

    workspace: Path
    xlsx: Path


def build_pack(folder: Path, options: ExportOptions | None = None) -> Pack:
    folder.mkdir(parents=True, exist_ok=True)
    ws_path = exp_data.build_workspace(folder / "w.qmsr", signed=False)
    with open_workspace(ws_path, read_only=True) as ws, ws.session() as s:
        report = build_report(s, INSPECTION, today=exp_data.TODAY)
    xlsx = export_xlsx(report, folder / "pack.xlsx", options=options)
    return Pack(ws_path, xlsx)


def copy_pack(pack: Pack, folder: Path) -> Pack:
    """A fresh copy of the pack; in the PostgreSQL pass its workspace is a server database."""
    from server import pg_backend

    folder.mkdir(parents=True, exist_ok=True)
    xlsx = Path(shutil.copy2(pack.xlsx, folder / "pack.xlsx"))
    if pg_backend.on_postgresql():
        return Pack(pg_backend.server_copy(pack.workspace), xlsx)  # type: ignore[arg-type]
    return Pack(Path(shutil.copy2(pack.workspace, folder / "w.qmsr")), xlsx)


def header_map(ws: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def row_of(ws: Worksheet, key: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return r
    raise KeyError(key)


def edit(src: Path, dst: Path, change: Callable[[Any], None]) -> Path:
    """Load ``src`` with openpyxl (as a user's spreadsheet would), change it, save ``dst``."""
    wb = load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def set_cell(wb: Any, sheet: str, key: str, header: str, value: Any, *, text: bool = False
             ) -> str:
    """Set the cell of row ``key`` under ``header``; return its reference."""
    ws = wb[sheet]
    cell = ws.cell(row_of(ws, key), header_map(ws)[header])
    cell.value = value
    if text:
        cell.data_type = "s"  # typed as text, as Excel does after a leading apostrophe
    return f"{sheet}!{cell.coordinate}"


def plan(workspace: Path, xlsx: Path) -> ExchangePlan:
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        return plan_workbook_import(s, xlsx)


def row(plan_: ExchangePlan, entity: str, key: str) -> RowPlan:
    for r in plan_.rows:
        if r.entity == entity and r.key == key:
            return r
    raise KeyError((entity, key))


def outcomes(r: RowPlan) -> dict[str, str]:
    """Field name -> outcome value, for the fields that are not plain unchanged."""
    return {f.name: f.outcome.value for f in r.fields if f.outcome.value != "unchanged"}


def only(plan_: ExchangePlan, status: RowStatus) -> list[RowPlan]:
    return [r for r in plan_.rows if r.status is status]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
