"""Builds a large inspection (400 questions, 500 findings) through the services for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services import create_site, raise_finding, record_response, start_inspection
from qmsr_ready.core.template_content import TemplateSnapshot

INSPECTION = "MI-2026-500"
AREAS = ("MO", "DD", "PS", "CC", "MA", "OP", "OA", "GI")
RESULTS = ("conforms", "conforms", "conforms", "minor_gap", "major_gap", "not_applicable",
           "not_assessed")
CLASSES = ("critical", "major", "minor", "minor", "observation", "ofi")
WORDS = ("record", "procedure", "complaint", "review", "signed", "batch", "trend", "supplier",
         "validation", "deviation", "training", "calibration", "approved", "sample", "CAPA")


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def template_content(questions: int = 400) -> dict[str, Any]:
    """8 areas × 10 elements × 5 questions = 400 questions."""
    rng = random.Random(7)
    per_element = 5
    elements_per_area = questions // (len(AREAS) * per_element)
    areas = []
    for a in AREAS:
        elements = []
        for e in range(1, elements_per_area + 1):
            eid = f"{a}-{e:02d}"
            elements.append({
                "id": eid, "title": f"Element {eid} " + sentence(rng, 3), "iso_clauses": ["4.2.3"],
                "qmsr_hooks": [], "legacy_sections": ["820.180"], "model2_minimum": e % 3 == 0,
                "sterile_only": False,
                "questions": [
                    {"id": f"{eid}-Q{q:02d}", "text": sentence(rng, 28),
                     "guidance": {"look_at": "x", "good_looks_like": "y", "weak_spots": "z"},
                     "records_to_sample": ["r"], "citations": ["ISO 13485:2016 4.2.3"],
                     "weight": 1 + q % 3, "risk_focus": q == 1}
                    for q in range(1, per_element + 1)
                ],
            })
        areas.append({"id": a, "title": f"Area {a}", "kind": "qms_area", "description": "d",
                      "elements": elements})
    return {"key": "bench", "version": "1", "title": "Benchmark template", "description": "d",
            "basis": "Synthetic.", "areas": areas}


def build(path: Path, findings: int = 500, questions: int = 400) -> Path:
    """Create the workspace at ``path`` (overwrites nothing; ``path`` must not exist)."""
    rng = random.Random(11)
    content = template_content(questions)
    qids = [q["id"] for a in content["areas"] for e in a["elements"] for q in e["questions"]]
    with open_workspace(path, create=True) as ws, ws.begin() as s:
        create_site(s, "bench", name="Bench Site Zoë Łukasiewicz-Ψ", code="SITE-B",
                    profile=SiteProfile(device_classes=("II",)))
        start_inspection(s, "bench", site_code="SITE-B",
                         template=TemplateSnapshot.from_content(content),
                         inspection_type="baseline_surveillance", code=INSPECTION,
                         lead="Bench Lead")
        for qid in qids:
            record_response(s, "bench", inspection_code=INSPECTION, question_id=qid,
                            result=rng.choice(RESULTS), notes=sentence(rng, rng.randint(10, 80)),
                            sample_population=50, sample_size=rng.randint(3, 12),
                            records_reviewed="DHR-1\nDHR-2", interviewees="QA lead")
        for i in range(findings):
            raise_finding(s, "bench", inspection_code=INSPECTION, title=sentence(rng, 6),
                          classification=rng.choice(CLASSES), question_ids=[rng.choice(qids)],
                          objective_evidence=sentence(rng, rng.randint(15, 60)),
                          requirement="21 CFR 820.10", owner=f"Owner {i % 17}",
                          due_date=dt.date(2026, 10, 1) + dt.timedelta(days=i % 120),
                          corrective_action=sentence(rng, 12))
    return path
