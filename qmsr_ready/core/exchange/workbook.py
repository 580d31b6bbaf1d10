"""Plans the import of a returned workbook: every field three ways, nothing written.

``plan_workbook_import`` checks the file (``workbook_safety``), reads the pack's metadata and
refuses a pack of another workspace, inspection or template (``workbook_meta``), reads the
Checklist and Findings sheets by header (``workbook_read``) and compares each field with the
export-time base and the workspace now (``plan.compare_row``). The base is the per-field hash of
a format 2 pack; for a format 1 pack it is derived from the row fingerprints: a row whose
fingerprint still matches was not edited in the workbook; otherwise the workspace's current row
fingerprint tells a clean update from a conflict.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import Cancelled
from qmsr_ready.core.exchange.errors import ImportRefused, refuse_signed_off
from qmsr_ready.core.exchange.fields import (
    FINDING,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    EntitySpec,
    value_hash,
)
from qmsr_ready.core.exchange.plan import (
    ExchangePlan,
    FieldPlan,
    Outcome,
    RowPlan,
    RowStatus,
    SourceInfo,
    compare_row,
    new_row_fields,
)
from qmsr_ready.core.exchange.snapshot import Side, read_mine
from qmsr_ready.core.exchange.workbook_meta import MetaRow, PackMeta, check_identity, read_meta
from qmsr_ready.core.exchange.workbook_read import SheetRead, SheetRow, read_sheet
from qmsr_ready.core.exchange.workbook_safety import CheckedPackage, check_package
from qmsr_ready.core.export.progress import NullProgress, Progress
from qmsr_ready.core.export.xlsx import checklist, findings
from qmsr_ready.core.export.xlsx.meta import META_SHEET, fingerprint
from qmsr_ready.core.export.xlsx.table import excel_value
from qmsr_ready.core.fields.spec import LONG_TEXT, cut_by_spreadsheet
from qmsr_ready.core.models import Inspection
from qmsr_ready.core.services.responses import check_response_values

SPECS: tuple[EntitySpec, ...] = (RESPONSE, FINDING, REQUEST, NOTE, ROSTER)
NEWABLE = (FINDING, REQUEST, NOTE)  # a row without an ID is a new one
DAY_SPECS = (REQUEST, NOTE, ROSTER)  # sheets written only when the inspection has such records
EXPORT_COLUMNS = {RESPONSE.sheet: checklist.COLUMNS, FINDING.sheet: findings.COLUMNS}
PLURAL = {RESPONSE.entity: "responses", FINDING.entity: "findings", REQUEST.entity: "requests",
          NOTE.entity: "scribe notes", ROSTER.entity: "roster entries"}
TITLE_COLUMN = {RESPONSE.entity: "Question", FINDING.entity: "Title",
                REQUEST.entity: "What was asked", NOTE.entity: "Note", ROSTER.entity: "Area"}
NEW_NOTE = {FINDING.entity: "would be raised as a new finding",
            REQUEST.entity: "would be logged as a new request",
            NOTE.entity: "would be taken as a new scribe note"}
SHOWN_CELLS = 10
Base = Callable[[EntitySpec, SheetRead, SheetRow, Mapping[str, Any]], dict[str, str] | None]


class _Where(TypedDict):
    """Where a planned row sits in the pack (``RowPlan.sheet`` and ``RowPlan.row``)."""

    sheet: str
    row: int


def plan_workbook_import(
    session: Session, path: str | os.PathLike[str], progress: Progress | None = None
) -> ExchangePlan:
    """What importing the returned pack at ``path`` would change; raises ``ImportRefused``."""
    progress = progress or NullProgress()
    _step(progress, 0, "Checking the workbook file")
    pkg = check_package(path, [s.sheet for s in SPECS])
    _step(progress, 1, "Reading the workbook")
    meta, reads, problems, insp = _read_pack(session, pkg)
    refuse_signed_off(insp, "import into it")
    _step(progress, 2, "Reading this workspace")
    mine = read_mine(session, insp.code)
    _step(progress, 3, "Comparing field by field")
    base_of = format1_base(session, insp, meta) if meta.format == "1" else format2_base(meta)
    rows: list[RowPlan] = []
    for spec in SPECS:
        read = reads.get(spec.entity)
        if read is not None:
            rows.extend(plan_sheet(spec, read, meta, mine, base_of, insp.code, problems))
    if problems:
        raise ImportRefused.from_problems(pkg.name, problems)
    progress.report(4, 4, "Plan ready")
    return ExchangePlan(
        inspection_code=insp.code,
        template_sha256=insp.template.sha256,
        source=SourceInfo(
            kind="workbook", name=pkg.name, sha256=pkg.sha256,
            workspace_id=meta.get("workspace_id"), exported_at=meta.get("generated_at"),
            base="field hashes" if meta.format != "1" else "row fingerprints",
        ),
        rows=tuple(rows),
        notices=tuple(_notices(meta, reads)),
    )


def _step(progress: Progress, done: int, message: str) -> None:
    if progress.cancelled():
        raise Cancelled("Import cancelled; nothing was changed.")
    progress.report(done, 4, message)


def _read_pack(
    session: Session, pkg: CheckedPackage
) -> tuple[PackMeta, dict[str, SheetRead], list[str], Inspection]:
    """Metadata, identity and both data sheets; parser failures become one clear refusal."""
    meta, reads, problems = read_pack_file(pkg)
    insp = check_identity(session, meta, pkg.name)
    return meta, reads, problems, insp


def read_pack_file(pkg: CheckedPackage) -> tuple[PackMeta, dict[str, SheetRead], list[str]]:
    """The pack's metadata and data sheets as the import reads them (the file only; the
    workspace is not queried). Parser failures become one clear refusal. ``verify --against``
    reads a pack with this too."""
    problems: list[str] = []
    try:
        wb = load_workbook(pkg.stream(), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign package
        raise _unreadable(pkg, exc) from exc
    try:
        names = list(wb.sheetnames)
        meta = read_meta(names, _rows(wb, META_SHEET) if META_SHEET in names else (), pkg.name)
        reads: dict[str, SheetRead] = {}
        for spec in SPECS:
            if meta.format == "1" and spec.sheet not in EXPORT_COLUMNS:
                continue  # format 1 has no base for it: not comparable (see _notices)
            if spec.sheet in meta.sheets and spec.sheet in names:
                reads[spec.entity] = read_sheet(
                    spec, _rows(wb, spec.sheet), pkg.formulas.get(spec.sheet, {}), problems,
                    allow_new=spec in NEWABLE,
                )
    except (ImportRefused, Cancelled):
        raise
    except Exception as exc:  # a cell or part openpyxl cannot make sense of
        raise _unreadable(pkg, exc) from exc
    finally:
        wb.close()
    return meta, reads, problems


def _rows(wb: Any, sheet: str) -> Any:
    ws = wb[sheet]
    ws.reset_dimensions()  # a wrong <dimension> must not cut rows off
    return ws.iter_rows(values_only=True)


def _unreadable(pkg: CheckedPackage, exc: Exception) -> ImportRefused:
    return ImportRefused(
        f"{pkg.name} could not be read as a workbook ({type(exc).__name__}: {exc}); open it in "
        "Excel or LibreOffice, save it as .xlsx and import it again."
    )


# -- bases ----------------------------------------------------------------------------------


def format2_base(meta: PackMeta) -> Base:
    def base(spec: EntitySpec, read: SheetRead, row: SheetRow, mine: Mapping[str, Any]
             ) -> dict[str, str] | None:
        exported = meta.exported(spec.sheet).get(row.key)
        return exported.base or None if exported is not None else None

    return base


def format1_base(session: Session, insp: Inspection, meta: PackMeta) -> Base:
    """Per-field bases derived from row fingerprints (packs of QMSR Ready before format 2)."""
    current = _current_fingerprints(session, insp.code, meta.get("generated_at"))

    def base(spec: EntitySpec, read: SheetRead, row: SheetRow, mine: Mapping[str, Any]
             ) -> dict[str, str] | None:
        exported: MetaRow | None = meta.exported(spec.sheet).get(row.key)
        if exported is None:
            return None
        names = [fs.name for fs in read.compared]
        if _read_fingerprint(read, row) == exported.fingerprint:  # untouched in the workbook
            return {n: value_hash(row.values.get(n)) for n in names}
        if current.get((spec.sheet, row.key)) == exported.fingerprint:  # untouched here
            return {n: value_hash(mine.get(n)) for n in names}
        # Both sides touched the row: a field they now disagree on is a conflict.
        return {n: value_hash(mine.get(n)) if mine.get(n) == row.values.get(n) else "?"
                for n in names}

    return base


def _read_fingerprint(read: SheetRead, row: SheetRow) -> str | None:
    """The row's fingerprint as exported, or None when a column of the export is gone."""
    values = []
    for column in EXPORT_COLUMNS[read.sheet]:
        col = read.column_of(column.header)
        if col is None:
            return None
        values.append(row.raw[col] if col < len(row.raw) else None)
    return fingerprint(values)


def _current_fingerprints(session: Session, code: str, generated_at: str
                          ) -> dict[tuple[str, str], str]:
    """What each row's fingerprint would be if the pack were exported now (same 'today')."""
    from qmsr_ready.core.report import build_report

    try:
        today = dt.date.fromisoformat(generated_at[:10])
    except ValueError:
        today = None
    report = build_report(session, code, today=today)
    out = {(RESPONSE.sheet, q.question_id): fingerprint(
        [excel_value(v) for v in checklist.row_values(q)]) for q in report.questions}
    out.update({(FINDING.sheet, f.code): fingerprint(
        [excel_value(v) for v in findings.row_values(f)]) for f in report.findings})
    return out


# -- rows -----------------------------------------------------------------------------------


# Outcomes that would write the workbook's value: only then is a cell outside the field's range
# refused (a date stored before the range existed comes back unchanged without a word).
_TAKES = (Outcome.CLEAN_UPDATE, Outcome.CONFLICT)


def plan_sheet(
    spec: EntitySpec, read: SheetRead, meta: PackMeta, mine: Side, base_of: Base, code: str,
    problems: list[str],
) -> list[RowPlan]:
    ours = mine.of(spec.entity)
    exported = meta.exported(spec.sheet)
    seen: set[str] = set()
    plans: list[RowPlan] = []
    title_col = read.column_of(TITLE_COLUMN[spec.entity])
    for row in read.rows:
        where: _Where = {"sheet": spec.sheet, "row": row.row}
        seen.add(row.key)
        theirs_title = _cell_text(row, title_col)
        if not row.key:
            if spec in NEWABLE:
                problems.extend(row.out_of_range.values())
                plans.append(RowPlan(
                    spec.entity, "", RowStatus.NEW, theirs_title,
                    new_row_fields(spec, row.values, row.cells), **where,
                    note=_new_row_note(spec, row, ours, exported),
                    ref=f"{spec.sheet}!row {row.row}",
                ))
            else:
                plans.append(RowPlan(spec.entity, "", RowStatus.UNKNOWN, theirs_title, **where,
                                     note=f"no {spec.key_label}: not applied",
                                     ref=f"{spec.sheet}!row {row.row}"))
            continue
        if row.key in ours:
            mine_row = ours[row.key]
            fields = compare_row(spec, mine_row, row.values, base_of(spec, read, row, mine_row),
                                 row.cells)
            problems.extend(row.out_of_range[fp.spec.name] for fp in fields
                            if fp.spec.name in row.out_of_range and fp.outcome in _TAKES)
            fields, cut_note = _keep_cut_text(fields)
            if spec is RESPONSE:
                _check_response(row, fields, mine_row, problems)
            plans.append(RowPlan(spec.entity, row.key, RowStatus.MATCHED,
                                 mine.titles.get((spec.entity, row.key), theirs_title),
                                 fields, **where, note=cut_note))
        elif row.key in exported:
            plans.append(RowPlan(spec.entity, row.key, RowStatus.REMOVED_HERE, theirs_title,
                                 **where, note="deleted in this workspace after the export"))
        else:
            where_known = (f"the checklist template of {code}"
                           if spec in (RESPONSE, ROSTER) else f"inspection {code}")
            plans.append(RowPlan(spec.entity, row.key, RowStatus.UNKNOWN, theirs_title, **where,
                                 note=f"{spec.key_label} {row.key} is not in {where_known}"))
    for key, meta_row in exported.items():
        if key not in seen:
            plans.append(RowPlan(
                spec.entity, key, RowStatus.MISSING, mine.titles.get((spec.entity, key), ""),
                sheet=spec.sheet, row=meta_row.row, note="row deleted from the workbook",
            ))
    return plans


def _keep_cut_text(fields: tuple[FieldPlan, ...]) -> tuple[tuple[FieldPlan, ...], str]:
    """A text cell the spreadsheet program cut at its cell limit is not a change: the field
    keeps the workspace's text and the row says why."""
    cut = [fp.spec.label for fp in fields
           if fp.outcome in _TAKES and cut_by_spreadsheet(fp.mine, fp.theirs)]
    if not cut:
        return fields, ""
    kept = tuple(dataclasses.replace(fp, outcome=Outcome.WORKSPACE_ONLY)
                 if fp.spec.label in cut else fp for fp in fields)
    return kept, (f"{', '.join(cut)}: this cell was cut by the spreadsheet program at its "
                  f"{LONG_TEXT:,}-character limit; the workspace keeps the full text")


def _new_row_note(spec: EntitySpec, row: SheetRow, ours: Mapping[str, Mapping[str, Any]],
                  exported: Mapping[str, MetaRow]) -> str:
    """Say so when a row with the same title (finding) or text (request, note) was added here
    since the export: importing the same workbook twice would otherwise add it twice without
    a word."""
    name = "title" if spec is FINDING else "text"
    title = str(row.values.get(name, "")).casefold()
    same = [code for code, values in ours.items()
            if code not in exported and title and str(values.get(name, "")).casefold() == title]
    if same:
        verb = "raised" if spec is FINDING else "added"
        return (f"{NEW_NOTE[spec.entity]}; {', '.join(same)} with the same {name} was {verb} "
                "here since the export (already imported?)")
    return NEW_NOTE[spec.entity]


def _cell_text(row: SheetRow, col: int | None) -> str:
    if col is None or col >= len(row.raw) or row.raw[col] is None:
        return ""
    return " ".join(str(row.raw[col]).split())[:120]


def _check_response(row: SheetRow, fields: tuple[FieldPlan, ...], mine: Mapping[str, Any],
                    problems: list[str]) -> None:
    """What the service would refuse about the values the default plan writes (sample larger
    than its population, Not applicable without a reason), said now with the cell."""
    values = {fp.name: fp.theirs for fp in fields if fp.outcome is Outcome.CLEAN_UPDATE}
    if not values:
        return
    problem = check_response_values(row.key, values, mine)
    if problem:
        first = next((n for n in ("sample_size", "result", "notes") if n in values),
                     next(iter(values)))
        problems.append(f"{row.cells.get(first, row.key)}: {problem}")


# -- notices --------------------------------------------------------------------------------


def _notices(meta: PackMeta, reads: Mapping[str, SheetRead]) -> list[str]:
    out: list[str] = []
    if meta.format == "1":
        out.append("This pack was exported by an older QMSR Ready (metadata format 1): where a "
                   "row was edited both in the workbook and here, every field the two sides "
                   "now disagree on is shown as a conflict.")
    for spec in SPECS:
        read = reads.get(spec.entity)
        plural = PLURAL[spec.entity]
        if meta.format == "1" and spec.sheet not in EXPORT_COLUMNS:
            if spec.sheet in meta.sheets:
                out.append(f"The {spec.sheet} sheet of a format 1 pack cannot be compared (it "
                           f"carries no export-time values): {plural} were not compared.")
            continue
        if spec.sheet not in meta.sheets and spec in DAY_SPECS:
            continue  # written only when the inspection had such records: nothing to compare
        if spec.sheet not in meta.sheets:
            out.append(f"The pack has no {spec.sheet} sheet (not exported): {plural} were not "
                       "compared.")
        elif read is None:
            out.append(f"The {spec.sheet} sheet was removed from the workbook: {plural} were "
                       "not compared.")
        elif read.missing:
            labels = ", ".join(fs.label for fs in read.missing)
            out.append(f"{spec.sheet} has no column for {labels}: not compared (a deleted "
                       "column is not a request to clear it).")
    if meta.gaps_only and RESPONSE.entity in reads:
        n = len(meta.exported(RESPONSE.sheet))
        out.append(f"Gaps-only pack: only the {n} gap questions it lists were compared; the "
                   "other questions were not in it and stay as they are.")
    cells = [c for read in reads.values() for c in read.formula_values]
    if cells:
        shown = ", ".join(cells[:SHOWN_CELLS]) + (" …" if len(cells) > SHOWN_CELLS else "")
        held = "1 cell held a formula; its saved value was" if len(cells) == 1 else (
            f"{len(cells)} cells held formulas; their saved values were")
        out.append(f"{held} read (formulas are never calculated): {shown}.")
    return out


__all__ = ["plan_workbook_import"]
