"""Test-data tooling: a large workspace (50 inspections, 20,000 responses, 5,000 findings).

Sites, templates and inspections go through the real services (so codes, snapshots and audit
events are genuine); the bulk rows (responses, findings, their question links) are inserted with
SQLAlchemy Core in a few statements, because 25,000 audited service calls would take minutes and
the benchmark is about reading, not writing. Their audit events (2,000 per inspection: each
finding raised, each response recorded four or five times, ending at the stored value) are
written in bulk too but are the events the services would write: the fields named, the row
state under ``changes["_state"]`` (``core.row_state``), each hash chained on the previous one
(``core.audit.compute_hash``) and the head stored, so ``qmsr-ready verify`` passes on it and the
benchmarks read a workspace the app calls intact.
Usage: ``python bench/gen_scale_workspace.py OUT.qmsr``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from qmsr_ready.core import services
from qmsr_ready.core.audit import HEAD_HASH_KEY, HEAD_SEQ_KEY, compute_hash, json_safe
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.models import (
    AuditEvent,
    Finding,
    FindingQuestion,
    Inspection,
    Response,
    WorkspaceInfo,
)
from qmsr_ready.core.row_state import STATE_KEY, all_states, state_of
from qmsr_ready.core.template_content import TemplateSnapshot, iter_questions
from qmsr_ready.core.vocab import Classification, FindingStatus, Result

ACTOR = "Scale Generator"
AREAS = (("MO", "Management Oversight"), ("DD", "Design and Development"),
         ("PS", "Production and Service Provision"), ("CC", "Change Control"),
         ("MA", "Measurement, Analysis and Improvement"), ("OP", "Outsourcing and Purchasing"),
         ("OA", "Other applicable FDA requirements"), ("GI", "General items"))  # fmt: skip
OWNERS = ("Dana Whitfield", "Eli Ortega", "Farah Nasser", "Greta Lund", "Hiro Tanaka", "")


def scale_template(questions_per_element: int = 10, elements_per_area: int = 5) -> dict[str, Any]:
    """8 areas × 5 elements × 10 questions = 400 questions, in the template format."""
    areas = []
    for area_id, title in AREAS:
        elements = []
        for e in range(1, elements_per_area + 1):
            eid = f"{area_id}-{e:02d}"
            questions = [
                {
                    "id": f"{eid}-Q{q:02d}",
                    "text": f"Sample records for {eid} point {q} and check them against the SOP.",
                    "guidance": {"look_at": "Records", "good_looks_like": "Complete",
                                 "weak_spots": "Gaps"},
                    "records_to_sample": ["Five records"],
                    "citations": ["ISO 13485:2016 4.2.3"],
                    "weight": 1 + (q % 3),
                    "risk_focus": q == 1,
                }
                for q in range(1, questions_per_element + 1)
            ]  # fmt: skip
            elements.append({
                "id": eid, "title": f"{title} element {e}", "iso_clauses": ["4.2.3"],
                "qmsr_hooks": [], "legacy_sections": [], "model2_minimum": False,
                "sterile_only": False, "questions": questions,
            })  # fmt: skip
        areas.append({"id": area_id, "title": title, "kind": "qms_area", "description": title,
                      "elements": elements})
    return {"key": "scale-bench", "version": "1.0", "title": "Scale benchmark template",
            "description": "Synthetic.", "basis": "Synthetic.", "areas": areas}


# Each response is recorded this many times (its revision); 300 x 5 + 100 x 4 = 1,900 events per
# inspection of 400 questions, plus its 100 findings raised: 2,000.
def _saves(n: int) -> int:
    return 5 if n % 4 else 4


def generate(path: Path, inspections: int = 50, findings_per_inspection: int = 100,
             seed: int = 7) -> dict[str, int]:
    """Write the workspace at ``path`` (must not exist); return row counts."""
    rng = random.Random(seed)
    content = scale_template()
    snapshot = TemplateSnapshot.from_content(content)
    question_ids = [ref.question_id for ref in iter_questions(content)]
    results = [r.value for r in Result]
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    with open_workspace(path, create=True) as ws:
        with ws.begin() as s:
            for n in range(1, 6):
                services.create_site(s, ACTOR, name=f"Plant {n}", fei_number=f"30000000{n:02d}")
            for n in range(inspections):
                services.start_inspection(
                    s, ACTOR, site_code=f"SITE-00{1 + n % 5}", template=snapshot,
                    inspection_type="baseline_surveillance", title=f"Scale inspection {n + 1}",
                )  # fmt: skip
        with ws.begin() as s:
            inspection_ids = list(s.scalars(select(Inspection.id).order_by(Inspection.id)))
            # What each response was recorded as, save by save; the last is what is stored.
            history = {
                (iid, qid): [rng.choice(results) for _ in range(_saves(n))]
                for iid in inspection_ids for n, qid in enumerate(question_ids)
            }
            s.execute(insert(Response), [
                {"inspection_id": iid, "question_id": qid, "result": saves[-1],
                 "notes": "Bulk generated.", "records_reviewed": "", "interviewees": "",
                 "assessed_by": ACTOR, "assessed_at": now, "revision": len(saves)}
                for (iid, qid), saves in history.items()
            ])  # fmt: skip
            finding_rows, link_questions = [], []
            for iid in inspection_ids:
                for f in range(1, findings_per_inspection + 1):
                    due = today + dt.timedelta(days=rng.randint(-60, 90))
                    finding_rows.append({
                        "inspection_id": iid, "code": f"F-{f:03d}",
                        "title": f"Generated finding {f} about record control",
                        "objective_evidence": "", "requirement": "ISO 13485:2016 4.2.3",
                        "classification": rng.choice([c.value for c in Classification]),
                        "likely_483": rng.random() < 0.2, "severity": rng.randint(1, 5),
                        "likelihood": rng.randint(1, 5), "owner": rng.choice(OWNERS),
                        "due_date": due, "correction": "", "root_cause": "",
                        "corrective_action": "", "capa_reference": "",
                        "effectiveness_check": "", "status": rng.choice(
                            [FindingStatus.OPEN.value, FindingStatus.ACTION_PLANNED.value,
                             FindingStatus.CLOSED.value]),
                        "revision": 1, "created_at": now - dt.timedelta(days=rng.randint(0, 120)),
                        "updated_at": now,
                    })  # fmt: skip
                    link_questions.append(rng.choice(question_ids))
            s.execute(insert(Finding), finding_rows)
            finding_ids = list(s.scalars(select(Finding.id).order_by(Finding.id)))
            s.execute(insert(FindingQuestion), [
                {"finding_id": fid, "question_id": qid}
                for fid, qid in zip(finding_ids, link_questions, strict=True)
            ])  # fmt: skip
            codes: dict[int, str] = dict(s.execute(select(Inspection.id, Inspection.code)).all())
            events = _finding_events(s, finding_rows, link_questions, codes)
            events += _response_events(s, history, codes)
            _append_chained(s, events, now)
    return {"inspections": inspections, "responses": len(history), "findings": len(finding_rows),
            "audit_events": len(events)}


# (entity type, entity ID, inspection code, action, changes with the row state): one event.
Event = tuple[str, str, str, str, dict[str, Any]]


def _finding_events(s: Session, rows: list[dict[str, Any]], link_questions: list[str],
                    codes: dict[int, str]) -> list[Event]:
    """``finding.raise`` as the service writes it: every field it sets, with the stored state."""
    states = all_states(s, "finding")
    named = ("title", "classification", "objective_evidence", "requirement", "likely_483",
             "severity", "likelihood", "owner", "due_date", "correction", "root_cause",
             "corrective_action", "capa_reference", "effectiveness_check", "status")
    events: list[Event] = []
    for row, qid in zip(rows, link_questions, strict=True):
        icode = codes[row["inspection_id"]]
        key = f"{icode}/{row['code']}"
        changes = {name: [None, json_safe(row[name])] for name in named}
        changes["question_ids"] = [None, [qid]]
        changes[STATE_KEY] = states[key]
        events.append(("finding", key, icode, "finding.raise", changes))
    return events


def _response_events(s: Session, history: dict[tuple[int, str], list[str]],
                     codes: dict[int, str]) -> list[Event]:
    """``response.record`` save by save, in rounds (every response's first save, then every
    second save…), each with the row state after that save; the last is the stored row's."""
    states = all_states(s, "response")
    # The state after an earlier save differs only in result and revision: their hashes, once.
    some_row = dict(s.execute(text("SELECT * FROM responses LIMIT 1")).mappings().one())
    result_hash = {r: state_of("response", {**some_row, "result": r})["result"]
                   for saves in history.values() for r in saves}
    revision_hash = {n: state_of("response", {**some_row, "revision": n})["revision"]
                     for n in range(1, max(map(len, history.values())) + 1)}
    events: list[Event] = []
    for round_ in range(max(map(len, history.values()))):
        for (iid, qid), saves in history.items():
            if round_ >= len(saves):
                continue
            icode = codes[iid]
            key = f"{icode}/{qid}"
            result = saves[round_]
            if round_ == 0:
                changes: dict[str, Any] = {"result": [None, result],
                                           "notes": ["", "Bulk generated."]}
            else:
                changes = {"result": [saves[round_ - 1], result]}
            state = dict(states[key])
            if round_ < len(saves) - 1:
                state.update(result=result_hash[result], revision=revision_hash[round_ + 1])
            changes[STATE_KEY] = state
            events.append(("response", key, icode, "response.record", changes))
    return events


def _append_chained(s: Session, events: list[Event], start: dt.datetime) -> None:
    """Insert the events after the current head, each hashed on the one before, and move the
    head: what ``append_event`` does one at a time, in a few statements."""
    seq, prev = s.execute(select(AuditEvent.seq, AuditEvent.hash)
                          .order_by(AuditEvent.seq.desc()).limit(1)).one()
    last = s.scalar(select(func.max(AuditEvent.at))) or start
    start = max(start, last if last.tzinfo else last.replace(tzinfo=dt.UTC))
    rows = []
    for n, (kind, key, icode, action, changes) in enumerate(events, start=1):
        at = start + dt.timedelta(microseconds=n)
        event = {"seq": seq + n, "at": at, "actor": ACTOR, "action": action,
                 "entity_type": kind, "entity_id": key, "inspection_code": icode,
                 "changes": changes, "prev_hash": prev}
        prev = event["hash"] = compute_hash(**event)
        rows.append(event)
    for chunk in range(0, len(rows), 20_000):
        s.execute(insert(AuditEvent), rows[chunk:chunk + 20_000])
    for name, value in ((HEAD_SEQ_KEY, str(seq + len(rows))), (HEAD_HASH_KEY, prev)):
        s.execute(update(WorkspaceInfo).where(WorkspaceInfo.key == name).values(value=value))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; choose a new path", file=sys.stderr)
        return 2
    start = time.perf_counter()
    counts = generate(args.out)
    print(f"wrote {args.out}: {counts} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
