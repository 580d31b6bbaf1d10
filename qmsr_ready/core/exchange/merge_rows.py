"""Plans the merge row by row: responses and the roster field by field, coded rows matched,
new or renumbered.

Split out of ``merge``: findings, requests and notes are keyed by a code each side hands out, so
planning them (matching earlier merges, renumbering clashes, rewriting links to renumbered
rows) is its own job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from qmsr_ready.core.exchange.fields import (
    FINDING,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    EntitySpec,
)
from qmsr_ready.core.exchange.merge_base import Base, Known, base_hashes
from qmsr_ready.core.exchange.plan import (
    RowPlan,
    RowStatus,
    compare_row,
    new_row_fields,
)
from qmsr_ready.core.exchange.snapshot import Side
from qmsr_ready.core.services._common import next_code


def response_rows(mine: Side, theirs: Side, base: Base) -> list[RowPlan]:
    rows = []
    entity = RESPONSE.entity
    for qid, their_row in theirs.of(entity).items():
        my_row = mine.of(entity).get(qid, RESPONSE.defaults())
        fields = compare_row(RESPONSE, my_row, their_row,
                             base_hashes(entity, base[entity].get(qid)))
        rows.append(RowPlan(entity, qid, RowStatus.MATCHED, mine.titles.get((entity, qid), ""),
                            fields, sheet="Checklist"))
    return rows


def day_rows(mine: Side, theirs: Side, base: Base, finding_map: dict[str, str],
              shared: bool, known: Known, maps_out: dict[str, dict[str, str]]) -> list[RowPlan]:
    """Requests and notes like findings (new ones renumbered on a clash, their links to
    renumbered findings and requests following); the roster area by area like responses.
    ``maps_out`` receives each entity's map of their codes to ours."""
    rows, request_map, _removed = coded_rows(REQUEST, "R-", mine, theirs, base, known)
    maps = {"finding_codes": finding_map, "request_codes": request_map}
    rows = [_relink(r, {"finding_codes": finding_map}) for r in rows]
    note_rows, note_map, _removed = coded_rows(NOTE, "N-", mine, theirs, base, known)
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


def finding_rows(
    mine: Side, theirs: Side, base: Base, known: Known | None = None
) -> tuple[list[RowPlan], dict[str, str], set[str]]:
    """Finding rows, the map of their codes to ours, and their codes deleted here."""
    return coded_rows(FINDING, "F-", mine, theirs, base, known)


def coded_rows(
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


def source_codes(rows: Iterable[RowPlan], maps: dict[str, dict[str, str]]
                  ) -> dict[str, dict[str, str]]:
    """For each new coded row, our planned code -> their code (the audit records the pairs so
    merging the same workspace again matches these rows instead of adding them twice)."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.status is RowStatus.NEW and row.entity in maps and row.key:
            back = {ours: theirs for theirs, ours in maps[row.entity].items()}
            out.setdefault(row.entity, {})[row.key] = back.get(row.key, row.key)
    return out
