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
from qmsr_ready.core.transfer import targets

Base = dict[str, dict[str, dict[str, Any]]]  # entity -> key -> {field: value as audited}
# entity -> their code -> (our code, our values right after the merge that created it)
Known = dict[str, dict[str, tuple[str, dict[str, Any] | None]]]
SOURCE_CODES = "source_codes"  # the exchange.merge field recording their code -> ours


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (workspaces with evidence can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _main_file(session: Session) -> str:
    if session.get_bind().dialect.name != "sqlite":
        return ""
    rows = session.connection().exec_driver_sql("PRAGMA database_list").fetchall()
    return next((str(r[2]) for r in rows if r[1] == "main"), "")


def _is_this_workspace(session: Session, other: str) -> bool:
    """Whether ``other`` (a path or a server URL) is the workspace ``session`` works in."""
    if targets.is_server(other):
        engine = session.connection().engine
        return engine.dialect.name == "postgresql" and targets.same_server_database(
            engine.url.render_as_string(hide_password=False), other)
    here = _main_file(session)
    return bool(here) and os.path.exists(here) and os.path.samefile(here, other)


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


def merged_before(session: Session, code: str, workspace_id: str) -> Known:
    """The rows earlier merges of workspace ``workspace_id`` created here (not undone).

    Each ``exchange.merge`` event records their code -> ours per entity; the values to compare
    with are ours right after that merge (what both sides had then).
    """
    if not workspace_id:
        return {}
    events = list(session.scalars(
        select(AuditEvent).where(AuditEvent.inspection_code == code,
                                 AuditEvent.action.in_(("exchange.merge", "exchange.revert")))
        .order_by(AuditEvent.seq)))
    undone = {_pair((e.changes or {}).get("reverted_seq"))[1] for e in events
              if e.action == "exchange.revert" and isinstance(e.changes, dict)}
    known: Known = {}
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        if ev.action != "exchange.merge" or ev.seq in undone:
            continue
        if _pair(changes.get("source_workspace_id"))[1] != workspace_id:
            continue
        codes = _pair(changes.get(SOURCE_CODES))[1]
        if not isinstance(codes, dict) or not codes:
            continue
        then, _shas = replay_base(session, code, ev.seq)
        for entity, mapping in codes.items():
            if entity not in then or not isinstance(mapping, dict):
                continue
            for theirs, ours in mapping.items():
                known.setdefault(entity, {})[str(theirs)] = (
                    str(ours), then[entity].get(str(ours)))
    return known


def base_links(session: Session, code: str, upto_seq: int) -> dict[str, set[str]]:
    """Each evidence file's links (SHA-256 -> "question Q" / "finding F-001" labels) after the
    shared events: a link either side lacks now was removed there since."""
    sha_of: dict[str, str] = {}
    links: dict[str, set[str]] = {}
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.inspection_code == code, AuditEvent.entity_type == "evidence",
               AuditEvent.seq <= upto_seq)
        .order_by(AuditEvent.seq)
    )
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        old_sha, new_sha = _pair(changes.get("sha256"))
        if new_sha:
            sha_of[ev.entity_id] = str(new_sha)
            links[ev.entity_id] = set()
        elif old_sha:
            links.pop(ev.entity_id, None)
        old, new = _pair(changes.get("linked_to"))
        if ev.entity_id in links:
            if new:
                links[ev.entity_id].add(str(new))
            elif old:
                links[ev.entity_id].discard(str(old))
    by_sha: dict[str, set[str]] = {}
    for entity_id, labels in links.items():
        by_sha.setdefault(sha_of[entity_id], set()).update(labels)
    return by_sha


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


def _refuse_input(session: Session, other: str, code: str) -> Inspection:
    if not targets.is_server(other) and not Path(other).exists():
        raise ImportRefused(f"No workspace at {other}.")
    if _is_this_workspace(session, other):
        raise ImportRefused(
            f"{targets.short_name(other)} is this workspace itself; choose a colleague's copy "
            "to merge."
        )
    insp = get_inspection(session, code)
    refuse_signed_off(insp, "merge into it")  # signed off here: refuse, say how to reopen
    return insp


def _their_inspection(their: Session, name: str, code: str, ours: Inspection) -> Inspection:
    try:
        insp = get_inspection(their, code)
    except NotFound:
        held = ", ".join(their.scalars(select(Inspection.code).order_by(Inspection.code))) \
            or "no inspections"
        raise ImportRefused(
            f"{name} has no inspection {code} (it holds: {held}); a merge needs the same "
            "inspection in both workspaces."
        ) from None
    mine_t, their_t = ours.template, insp.template
    if mine_t.sha256 != their_t.sha256:
        raise ImportRefused(
            f"Inspection {code} uses template {mine_t.key} {mine_t.version} (SHA-256 "
            f"{mine_t.sha256[:12]}) here but {their_t.key} {their_t.version} (SHA-256 "
            f"{their_t.sha256[:12]}) in {name}; a merge needs the same template version."
        )
    return insp


def _refuse_nul(their: Session, name: str, inspection_id: int) -> None:
    """Old text holding a NUL (refused since; a server cannot store it) is named, not dropped."""
    from qmsr_ready.core.transfer.rows import find_nul

    where = find_nul(their.connection(), inspection_id)
    if where is not None:
        raise ImportRefused(
            f"In {name}, {where} holds a NUL character, which cannot be stored; retype that "
            "value there in QMSR Ready and merge again."
        )


def plan_workspace_merge(
    session: Session,
    other_path: str | os.PathLike[str],
    inspection_code: str,
    progress: Progress | None = None,
) -> ExchangePlan:
    """Compare inspection ``inspection_code`` here with the same one in ``other_path`` (a
    workspace file or a server URL: an auditor's laptop file merges into the team database and
    back).

    Raises ``ImportRefused`` when the other file lacks the inspection, uses another template
    version or is this file, and ``InspectionLocked`` when the inspection is signed off here.
    """
    progress = progress or NullProgress()
    other = targets.normalised(other_path)
    name = targets.short_name(other)
    ours = _refuse_input(session, other, inspection_code)
    progress.report(0, 4, f"Reading {name}")
    with targets.open_read_only(other) as ws, ws.session() as their:
        their_insp = _their_inspection(their, name, inspection_code, ours)
        _refuse_nul(their, name, their_insp.id)
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
    known = merged_before(session, inspection_code, workspace_id)
    rows = _response_rows(mine, theirs, base)
    finding_rows, finding_map, removed = _finding_rows(mine, theirs, base, known)
    rows += finding_rows
    day_maps: dict[str, dict[str, str]] = {}
    rows += _day_rows(mine, theirs, base, finding_map, bool(prefix), known, day_maps)
    progress.report(3, 4, "Comparing evidence")
    here_shas = set(session.scalars(
        select(Evidence.sha256).where(Evidence.inspection_id == ours.id)))
    copies, ev_rows = _evidence_rows(session, their_evidence, here_shas, base_shas, finding_map,
                                     removed)
    rows += ev_rows
    links, link_rows = _link_rows(session, ours.id, their_evidence,
                                  base_links(session, inspection_code, prefix), finding_map,
                                  removed)
    rows += link_rows
    notices = []
    if signed_there:
        notices.append(f"{inspection_code} is signed off in {name}; sign-offs are never "
                       "merged.")
    if not prefix:
        notices.append(f"{name} shares no audit history with this workspace; every "
                       "difference is compared without a base.")
    head = their_chain[-1][1] if their_chain else GENESIS_HASH
    # a server database has no file bytes to hash: its audit head names its content
    sha = head if targets.is_server(other) else file_sha256(Path(other))
    source = SourceInfo(
        kind="workspace", name=name, sha256=sha, workspace_id=workspace_id,
        audit_head=head,
        base=f"audit history ({prefix} shared events)" if prefix else "none",
    )
    progress.report(4, 4, "Merge plan ready")
    return ExchangePlan(
        inspection_code=inspection_code, template_sha256=ours.template.sha256, source=source,
        rows=tuple(rows), notices=tuple(notices),
        extras={"evidence": [c.as_dict() for c in copies], "finding_codes": finding_map,
                "evidence_links": links, "source_codes": _source_codes(rows, {
                    FINDING.entity: finding_map, **day_maps}),
                "source_path": other},
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
              shared: bool, known: Known, maps_out: dict[str, dict[str, str]]) -> list[RowPlan]:
    """Requests and notes like findings (new ones renumbered on a clash, their links to
    renumbered findings and requests following); the roster area by area like responses.
    ``maps_out`` receives each entity's map of their codes to ours."""
    rows, request_map, _removed = _coded_rows(REQUEST, "R-", mine, theirs, base, known)
    maps = {"finding_codes": finding_map, "request_codes": request_map}
    rows = [_relink(r, {"finding_codes": finding_map}) for r in rows]
    note_rows, note_map, _removed = _coded_rows(NOTE, "N-", mine, theirs, base, known)
    maps_out.update({REQUEST.entity: request_map, NOTE.entity: note_map})
    rows += [_relink(r, maps) for r in note_rows]
    entity = ROSTER.entity
    for area_id, their_row in theirs.of(entity).items():
        if area_id not in mine.of(entity):
            continue  # same template on both sides: cannot happen
        # With shared history, an area the history never set was still empty when they parted.
        at_base = base[entity].get(area_id) or (ROSTER.defaults() if shared else None)
        fields = compare_row(ROSTER, mine.of(entity)[area_id], their_row,
                             base_hashes(entity, at_base))
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
    mine: Side, theirs: Side, base: Base, known: Known | None = None
) -> tuple[list[RowPlan], dict[str, str], set[str]]:
    """Finding rows, the map of their codes to ours, and their codes deleted here."""
    return _coded_rows(FINDING, "F-", mine, theirs, base, known)


def _coded_rows(
    spec: EntitySpec, prefix: str, mine: Side, theirs: Side, base: Base,
    known: Known | None = None,
) -> tuple[list[RowPlan], dict[str, str], set[str]]:
    """Rows keyed by a code one side hands out (findings, requests, notes): matched, new
    (renumbered when both sides used the code for different rows), deleted on either side.

    ``known`` holds the rows an earlier merge of the same workspace created here (their code ->
    ours, with our values right after that merge as the base): they match again, never new.
    The map returned takes each of their codes that differs here to ours."""
    entity = spec.entity
    my_rows, their_rows, base_rows = mine.of(entity), theirs.of(entity), base[entity]
    earlier = (known or {}).get(entity, {})
    claimed = {ours for ours, _row in earlier.values()}
    rows: list[RowPlan] = []
    renumber: list[str] = []
    removed: set[str] = set()
    finding_map: dict[str, str] = {}
    for code, their_row in their_rows.items():
        title = theirs.titles.get((entity, code), "")
        if code in earlier:
            ours, then = earlier[code]
            if ours != code:
                finding_map[code] = ours
            if ours in my_rows:
                fields = compare_row(spec, my_rows[ours], their_row, base_hashes(entity, then))
                rows.append(RowPlan(entity, ours, RowStatus.MATCHED, title, fields,
                                    sheet=spec.sheet, note=f"merged before from {code}"
                                    if ours != code else ""))
            else:
                removed.add(code)
                rows.append(RowPlan(entity, ours, RowStatus.REMOVED_HERE, title,
                                    sheet=spec.sheet, note=f"merged before from {code}; deleted "
                                    "in this workspace; not restored"))
            continue
        if code in my_rows and code in claimed:
            renumber.append(code)  # our row of that code came from another of their rows
        elif code in my_rows:
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
    for code in renumber:
        new_code = next_code(taken, prefix)
        taken.add(new_code)
        finding_map[code] = new_code
        rows.append(RowPlan(entity, new_code, RowStatus.NEW, theirs.titles.get((entity, code), ""),
                            new_row_fields(spec, their_rows[code]), sheet=spec.sheet,
                            note=f"renumbered from {code}"))
    for code in my_rows:
        if code not in their_rows and code in base_rows and code not in claimed:
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


def _source_codes(rows: Iterable[RowPlan], maps: dict[str, dict[str, str]]
                  ) -> dict[str, dict[str, str]]:
    """For each new coded row, our planned code -> their code (the audit records the pairs so
    merging the same workspace again matches these rows instead of adding them twice)."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.status is RowStatus.NEW and row.entity in maps and row.key:
            back = {ours: theirs for theirs, ours in maps[row.entity].items()}
            out.setdefault(row.entity, {})[row.key] = back.get(row.key, row.key)
    return out


def _link_rows(
    session: Session, inspection_id: int, theirs: Iterable[dict[str, Any]],
    base: dict[str, set[str]], finding_map: dict[str, str], removed: set[str],
) -> tuple[list[dict[str, Any]], list[RowPlan]]:
    """Their links to evidence both sides hold (matched by SHA-256): new ones are planned, ones
    this workspace removed since the shared history are reported and not re-added."""
    codes = dict(session.execute(
        select(Finding.id, Finding.code).where(Finding.inspection_id == inspection_id)).all())
    mine: dict[str, tuple[str, set[str]]] = {}
    for held in session.scalars(
        select(Evidence).where(Evidence.inspection_id == inspection_id)
        .options(selectinload(Evidence.links)).order_by(Evidence.code)
    ):
        labels = {f"question {ln.question_id}" for ln in held.links if ln.question_id}
        labels |= {f"finding {codes[ln.finding_id]}" for ln in held.links
                   if ln.finding_id in codes}
        entry = mine.setdefault(held.sha256, (held.code, set()))
        entry[1].update(labels)
    links: list[dict[str, Any]] = []
    rows: list[RowPlan] = []
    for ev in theirs:
        if ev["sha256"] not in mine:
            continue
        my_code, have = mine[ev["sha256"]]
        shared = base.get(ev["sha256"], set())
        questions = [q for q in ev["question_ids"] if f"question {q}" not in have]
        findings = [c for c in ev["finding_codes"] if c not in removed
                    and f"finding {finding_map.get(c, c)}" not in have]
        new_q = [q for q in questions if f"question {q}" not in shared]
        new_f = [c for c in findings if f"finding {finding_map.get(c, c)}" not in shared]
        gone = [f"question {q}" for q in questions if q not in new_q]
        gone += [f"finding {finding_map.get(c, c)}" for c in findings if c not in new_f]
        if new_q or new_f:
            links.append({"code": my_code, "sha256": ev["sha256"], "question_ids": new_q,
                          "finding_codes": new_f})
            names = [*new_q, *(finding_map.get(c, c) for c in new_f)]
            rows.append(RowPlan("evidence", my_code, RowStatus.NEW, ev["filename"],
                                sheet="Evidence", note="file already here; new link(s) to "
                                + ", ".join(names)))
        if gone:
            rows.append(RowPlan("evidence", my_code, RowStatus.REMOVED_HERE, ev["filename"],
                                sheet="Evidence", note="link(s) to " + ", ".join(gone)
                                + " removed in this workspace; not restored"))
    return links, rows
