"""Plans the evidence side of a merge: files this workspace lacks and links it lacks.

Split out of ``merge``: evidence is matched by SHA-256, not by code, and a file or link this
workspace removed since the shared history is reported, never copied back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qmsr_ready.core.exchange.evidence_copy import EvidenceCopy
from qmsr_ready.core.exchange.plan import (
    RowPlan,
    RowStatus,
)
from qmsr_ready.core.models import Evidence, EvidenceBlob, Finding


def evidence_of(session: Session, inspection_id: int) -> list[dict[str, Any]]:
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


def evidence_rows(
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


def link_rows(
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
