"""Test-data tooling: a large workspace (50 inspections, 20,000 responses, 5,000 findings).

Sites, templates and inspections go through the real services (so codes, snapshots and audit
events are genuine); the bulk rows (responses, findings, their question links) are inserted with
SQLAlchemy Core in a few statements, because 25,000 audited service calls would take minutes and
the benchmark is about reading, not writing. Not for production data: bulk rows carry no audit
events of their own; 2,000 audit events per inspection are appended through the real chain.
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

from sqlalchemy import insert, select

from qmsr_ready.core import services
from qmsr_ready.core.audit import append_event
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.models import Finding, FindingQuestion, Inspection, Response
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


def generate(path: Path, inspections: int = 50, findings_per_inspection: int = 100,
             seed: int = 7, events_per_inspection: int = 2000) -> dict[str, int]:
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
            ids = list(s.scalars(select(Inspection.id).order_by(Inspection.id)))
            s.execute(insert(Response), [
                {"inspection_id": iid, "question_id": qid, "result": rng.choice(results),
                 "notes": "Bulk generated.", "records_reviewed": "", "interviewees": "",
                 "assessed_by": ACTOR, "assessed_at": now, "revision": 1}
                for iid in ids for qid in question_ids
            ])  # fmt: skip
            finding_rows, link_questions = [], []
            for iid in ids:
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
            codes = list(s.scalars(select(Inspection.code).order_by(Inspection.id)))
        # Audit events go through the real chain (hashes and all), one transaction each.
        for icode in codes:
            with ws.begin() as s:
                for n in range(events_per_inspection):
                    qid = question_ids[n % len(question_ids)]
                    append_event(s, ACTOR, "response.record", "response", f"{icode}/{qid}",
                                 {"result": [None, rng.choice(results)]}, icode)
    return {"inspections": inspections, "responses": len(ids) * len(question_ids),
            "findings": len(finding_rows), "audit_events": len(codes) * events_per_inspection}


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
