"""Plan the merge of another auditor's workspace: same inspection, compared field by field.

The base is what both files share: the longest common prefix of their hash-chained audit trails
(same seq, same hash). Replaying that prefix's events for the inspection gives every row's
values when the copies parted, so each field is compared three ways exactly like a returned
workbook. Findings only the other side raised become new findings (renumbered when both sides
used the same code for different findings); evidence this side lacks is copied with its links.
Sign-offs are never merged, and a signed-off inspection here refuses the merge.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qmsr_ready.core.audit import GENESIS_HASH
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.exchange.errors import ImportRefused, refuse_signed_off
from qmsr_ready.core.exchange.evidence_copy import EvidenceCopy
from qmsr_ready.core.exchange.fields import (
    FINDING,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    CellValueError,
    EntitySpec,
    entity_spec,
    value_hash,
)
from qmsr_ready.core.exchange.plan import (
    ExchangePlan,
    RowPlan,
    RowStatus,
    SourceInfo,
    compare_row,
    new_row_fields,
)
from qmsr_ready.core.exchange.snapshot import Side, read_mine
from qmsr_ready.core.export.progress import NullProgress, Progress
from qmsr_ready.core.models import AuditEvent, Evidence, EvidenceBlob, Finding, Inspection
from qmsr_ready.core.services._common import get_inspection, next_code

Base = dict[str, dict[str, dict[str, Any]]]  # entity -> key -> {field: value as audited}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (workspaces with evidence can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _main_file(session: Session) -> str:
    rows = session.connection().exec_driver_sql("PRAGMA database_list").fetchall()
    return next((str(r[2]) for r in rows if r[1] == "main"), "")


def _chain(session: Session) -> list[tuple[int, str]]:
    return [(int(s), str(h)) for s, h in
            session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq))]


def shared_prefix(mine: list[tuple[int, str]], theirs: list[tuple[int, str]]) -> int:
    """The seq of the last event both audit chains share (0 when they share none)."""
    last = 0
    for a, b in zip(mine, theirs, strict=False):
        if a != b:
            break
        last = a[0]
    return last


def replay_base(session: Session, code: str, upto_seq: int) -> tuple[Base, set[str]]:
    """Each response's and finding's values after the shared events, and the evidence hashes."""
    base: Base = {spec.entity: {} for spec in (RESPONSE, FINDING, REQUEST, NOTE, ROSTER)}
    shas: set[str] = set()
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.inspection_code == code, AuditEvent.seq <= upto_seq)
        .order_by(AuditEvent.seq)
    )
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        if ev.entity_type == "evidence":
            old, new = _pair(changes.get("sha256"))
            if new:
                shas.add(str(new))
            elif old:
                shas.discard(str(old))
            continue
        if ev.entity_type not in base or "/" not in ev.entity_id:
            continue
        key = ev.entity_id.split("/", 1)[1]
        rows = base[ev.entity_type]
        if ev.action.endswith(".delete"):
            rows.pop(key, None)
            continue
        spec = entity_spec(ev.entity_type)
        row = rows.setdefault(key, spec.defaults() if spec in (RESPONSE, ROSTER) else {})
        for name, pair in changes.items():
            if name in spec.names and _pair(pair) != (None, None):
                row[name] = _pair(pair)[1]
    return base, shas


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def base_hashes(entity: str, row: dict[str, Any] | None) -> dict[str, str] | None:
    """``value_hash`` of each base value in canonical form (``None``: the row had no base)."""
    if row is None:
        return None
    spec = entity_spec(entity)
    hashes: dict[str, str] = {}
    for name, value in row.items():
        try:
            hashes[name] = value_hash(spec.field(name).canonical(value))
        except (CellValueError, KeyError):
            continue  # a value today's rules cannot read: compare that field without a base
    return hashes


def _refuse_input(session: Session, other: Path, code: str) -> Inspection:
    here = _main_file(session)
    if not other.exists():
        raise ImportRefused(f"No workspace at {other}.")
    if here and os.path.exists(here) and os.path.samefile(here, other):
        raise ImportRefused(
            f"{other.name} is this workspace itself; choose a colleague's copy to merge."
        )
    insp = get_inspection(session, code)
    refuse_signed_off(insp, "merge into it")  # signed off here: refuse, say how to reopen
    return insp


def _their_inspection(their: Session, other: Path, code: str, ours: Inspection) -> Inspection:
    try:
        insp = get_inspection(their, code)
    except NotFound:
        held = ", ".join(their.scalars(select(Inspection.code).order_by(Inspection.code))) \
            or "no inspections"
        raise ImportRefused(
            f"{other.name} has no inspection {code} (it holds: {held}); a merge needs the same "
            "inspection in both workspaces."
        ) from None
    mine_t, their_t = ours.template, insp.template
    if mine_t.sha256 != their_t.sha256:
        raise ImportRefused(
            f"Inspection {code} uses template {mine_t.key} {mine_t.version} (SHA-256 "
            f"{mine_t.sha256[:12]}) here but {their_t.key} {their_t.version} (SHA-256 "
            f"{their_t.sha256[:12]}) in {other.name}; a merge needs the same template version."
        )
    return insp


def plan_workspace_merge(
    session: Session,
    other_path: str | os.PathLike[str],
    inspection_code: str,
    progress: Progress | None = None,
) -> ExchangePlan:
    """Compare inspection ``inspection_code`` here with the same one in ``other_path``.

    Raises ``ImportRefused`` when the other file lacks the inspection, uses another template
    version or is this file, and ``InspectionLocked`` when the inspection is signed off here.
    """
    progress = progress or NullProgress()
    other = Path(other_path).expanduser().absolute()
    ours = _refuse_input(session, other, inspection_code)
    progress.report(0, 4, f"Reading {other.name}")
    with open_workspace(other, read_only=True) as ws, ws.session() as their:
        their_insp = _their_inspection(their, other, inspection_code, ours)
        theirs = read_mine(their, inspection_code)
        their_chain = _chain(their)
        their_evidence = _evidence_of(their, their_insp.id)
        signed_there = any(s.superseded_at is None for s in their_insp.signoffs)
        workspace_id = ws.workspace_id
    progress.report(1, 4, "Finding the shared history")
    prefix = shared_prefix(_chain(session), their_chain)
    base, base_shas = replay_base(session, inspection_code, prefix)
    mine = read_mine(session, inspection_code)
    progress.report(2, 4, "Comparing responses and findings")
    rows = _response_rows(mine, theirs, base)
    finding_rows, finding_map, removed = _finding_rows(mine, theirs, base)
    rows += finding_rows
    rows += _day_rows(mine, theirs, base, finding_map, bool(prefix))
    progress.report(3, 4, "Comparing evidence")
    here_shas = set(session.scalars(
        select(Evidence.sha256).where(Evidence.inspection_id == ours.id)))
    copies, ev_rows = _evidence_rows(session, their_evidence, here_shas, base_shas, finding_map,
                                     removed)
    rows += ev_rows
    notices = []
    if signed_there:
        notices.append(f"{inspection_code} is signed off in {other.name}; sign-offs are never "
                       "merged.")
    if not prefix:
        notices.append(f"{other.name} shares no audit history with this workspace; every "
                       "difference is compared without a base.")
    head = their_chain[-1][1] if their_chain else GENESIS_HASH
    source = SourceInfo(
        kind="workspace", name=other.name, sha256=file_sha256(other), workspace_id=workspace_id,
        audit_head=head,
        base=f"audit history ({prefix} shared events)" if prefix else "none",
    )
    progress.report(4, 4, "Merge plan ready")
    return ExchangePlan(
        inspection_code=inspection_code, template_sha256=ours.template.sha256, source=source,
        rows=tuple(rows), notices=tuple(notices),
        extras={"evidence": [c.as_dict() for c in copies], "finding_codes": finding_map,
                "source_path": str(other)},
    )


def _response_rows(mine: Side, theirs: Side, base: Base) -> list[RowPlan]:
    rows = []
    entity = RESPONSE.entity
    for qid, their_row in theirs.of(entity).items():
        my_row = mine.of(entity).get(qid, RESPONSE.defaults())
        fields = compare_row(RESPONSE, my_row, their_row,
                             base_hashes(entity, base[entity].get(qid)))
        rows.append(RowPlan(entity, qid, RowStatus.MATCHED, mine.titles.get((entity, qid), ""),
                            fields, sheet="Checklist"))
    return rows


def _day_rows(mine: Side, theirs: Side, base: Base, finding_map: dict[str, str],
              shared: bool) -> list[RowPlan]:
    """Requests and notes like findings (new ones renumbered on a clash, their links to
    renumbered findings and requests following); the roster area by area like responses."""
    rows, request_map, _removed = _coded_rows(REQUEST, "R-", mine, theirs, base)
    maps = {"finding_codes": finding_map, "request_codes": request_map}
    rows = [_relink(r, {"finding_codes": finding_map}) for r in rows]
    note_rows, _map, _removed = _coded_rows(NOTE, "N-", mine, theirs, base)
    rows += [_relink(r, maps) for r in note_rows]
    entity = ROSTER.entity
    for area_id, their_row in theirs.of(entity).items():
        if area_id not in mine.of(entity):
            continue  # same template on both sides: cannot happen
        # With shared history, an area the history never set was still empty when they parted.
        known = base[entity].get(area_id) or (ROSTER.defaults() if shared else None)
        fields = compare_row(ROSTER, mine.of(entity)[area_id], their_row,
                             base_hashes(entity, known))
        rows.append(RowPlan(entity, area_id, RowStatus.MATCHED,
                            mine.titles.get((entity, area_id), ""), fields, sheet=ROSTER.sheet))
    return rows


def _relink(row: RowPlan, maps: dict[str, dict[str, str]]) -> RowPlan:
    """A new row's links to renumbered rows, rewritten to their new codes."""
    if row.status is not RowStatus.NEW or not any(maps.values()):
        return row
    fields = []
    for fp in row.fields:
        mapping = maps.get(fp.name)
        if mapping and fp.theirs:
            fp = replace(fp, theirs=tuple(mapping.get(c, c) for c in fp.theirs))
        fields.append(fp)
    return replace(row, fields=tuple(fields))


def _finding_rows(
    mine: Side, theirs: Side, base: Base
) -> tuple[list[RowPlan], dict[str, str], set[str]]:
    """Finding rows, the renumbering of their codes, and their codes deleted here."""
    return _coded_rows(FINDING, "F-", mine, theirs, base)


def _coded_rows(
    spec: EntitySpec, prefix: str, mine: Side, theirs: Side, base: Base
) -> tuple[list[RowPlan], dict[str, str], set[str]]:
    """Rows keyed by a code one side hands out (findings, requests, notes): matched, new
    (renumbered when both sides used the code for different rows), deleted on either side."""
    entity = spec.entity
    my_rows, their_rows, base_rows = mine.of(entity), theirs.of(entity), base[entity]
    rows: list[RowPlan] = []
    renumber: list[str] = []
    removed: set[str] = set()
    for code, their_row in their_rows.items():
        title = theirs.titles.get((entity, code), "")
        if code in my_rows:
            if code in base_rows or my_rows[code] == their_row:
                fields = compare_row(spec, my_rows[code], their_row,
                                     base_hashes(entity, base_rows.get(code)))
                rows.append(RowPlan(entity, code, RowStatus.MATCHED, title, fields,
                                    sheet=spec.sheet))
            else:
                renumber.append(code)
        elif code in base_rows:
            removed.add(code)
            rows.append(RowPlan(entity, code, RowStatus.REMOVED_HERE, title, sheet=spec.sheet,
                                note="deleted in this workspace; not restored"))
        else:
            rows.append(RowPlan(entity, code, RowStatus.NEW, title,
                                new_row_fields(spec, their_row), sheet=spec.sheet,
                                note=f"as {code}"))
    taken = set(my_rows) | set(their_rows)
    finding_map: dict[str, str] = {}
    for code in renumber:
        new_code = next_code(taken, prefix)
        taken.add(new_code)
        finding_map[code] = new_code
        rows.append(RowPlan(entity, new_code, RowStatus.NEW, theirs.titles.get((entity, code), ""),
                            new_row_fields(spec, their_rows[code]), sheet=spec.sheet,
                            note=f"renumbered from {code}"))
    for code in my_rows:
        if code not in their_rows and code in base_rows:
            rows.append(RowPlan(entity, code, RowStatus.MISSING,
                                mine.titles.get((entity, code), ""), sheet=spec.sheet,
                                note="deleted in the other workspace; kept here"))
    return rows, finding_map, removed


def _evidence_of(session: Session, inspection_id: int) -> list[dict[str, Any]]:
    codes = dict(session.execute(
        select(Finding.id, Finding.code).where(Finding.inspection_id == inspection_id)).all())
    out = []
    for ev in session.scalars(
        select(Evidence).where(Evidence.inspection_id == inspection_id)
        .options(selectinload(Evidence.links)).order_by(Evidence.code)
    ):
        out.append({
            "code": ev.code, "sha256": ev.sha256, "filename": ev.filename,
            "media_type": ev.media_type, "size": ev.size,
            "effective_date": ev.effective_date.isoformat() if ev.effective_date else None,
            "question_ids": sorted({ln.question_id for ln in ev.links if ln.question_id}),
            "finding_codes": sorted({codes[ln.finding_id] for ln in ev.links
                                     if ln.finding_id in codes}),
        })
    return out


def _evidence_rows(
    session: Session, theirs: Iterable[dict[str, Any]], here: set[str], base_shas: set[str],
    finding_map: dict[str, str], removed: set[str],
) -> tuple[list[EvidenceCopy], list[RowPlan]]:
    copies: list[EvidenceCopy] = []
    rows: list[RowPlan] = []
    for ev in theirs:
        if ev["sha256"] in here:
            continue
        if ev["sha256"] in base_shas:
            rows.append(RowPlan("evidence", ev["code"], RowStatus.REMOVED_HERE, ev["filename"],
                                sheet="Evidence", note="removed in this workspace; not restored"))
            continue
        kept = [c for c in ev["finding_codes"] if c not in removed]
        copy = EvidenceCopy.from_dict({**ev, "finding_codes": kept})
        copies.append(copy)
        links = [*copy.question_ids, *(finding_map.get(c, c) for c in kept)]
        stored = session.get(EvidenceBlob, copy.sha256) is not None
        note = f"{copy.size:,} bytes" + ("; file already stored here, not duplicated"
                                         if stored else "")
        if links:
            note += "; linked to " + ", ".join(links)
        rows.append(RowPlan("evidence", copy.code, RowStatus.NEW, copy.filename,
                            sheet="Evidence", note=note))
    return copies, rows
