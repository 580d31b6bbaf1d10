"""Test data for the export tests: a small template and an inspection built through services.

Not a test module; imported by tests/*/test_exp_*.py. Kept independent of the real YAML library.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services import (
    ElementChoice,
    create_site,
    raise_finding,
    record_response,
    sign_off,
    start_inspection,
    transition_finding,
)
from qmsr_ready.core.template_content import TemplateSnapshot

UNICODE_NAME = "Zoë Łukasiewicz-Ψ"
CYRILLIC_NAME = "Юлия Петрова"
INJECTIONS = ('=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR")
FINDING_TEXT = "Complaint CMP-0042 was not evaluated for MDR reportability"
LONG_NOTE = " ".join(
    f"Record DHR-{i:04d} reviewed; traveller signed and dated." for i in range(420)
)
INSPECTION = "MI-2026-901"
TODAY = dt.date(2026, 11, 25)


def _question(qid: str, text: str, weight: int, citations: list[str]) -> dict[str, Any]:
    return {
        "id": qid,
        "text": text,
        "guidance": {"look_at": "x", "good_looks_like": "y", "weak_spots": "z"},
        "records_to_sample": ["one record"],
        "citations": citations,
        "weight": weight,
        "risk_focus": weight == 3,
    }


def template_content() -> dict[str, Any]:
    """Three areas: MO (2 elements), DD (one not applicable), OA (one not selected)."""
    return {
        "key": "exp-test",
        "version": "1.0",
        "title": "Export test template",
        "description": "Small template for export tests.",
        "basis": "Test data only; not an FDA document.",
        "areas": [
            {"id": "MO", "title": "Management Oversight", "kind": "qms_area", "description": "d",
             "elements": [
                 {"id": "MO-05", "title": "Medical device file", "iso_clauses": ["4.2.3"],
                  "qmsr_hooks": ["820.10(a)"], "legacy_sections": ["820.181"],
                  "model2_minimum": True, "sterile_only": False,
                  "questions": [
                      _question("MO-05-Q01", "Is there a medical device file per family?", 3,
                                ["ISO 13485:2016 4.2.3"]),
                      _question("MO-05-Q02", "Are MDF indexes controlled?", 1,
                                ["ISO 13485:2016 4.2.3"]),
                  ]},
                 {"id": "MO-11", "title": "Management review", "iso_clauses": ["5.6.1"],
                  "qmsr_hooks": [], "legacy_sections": ["820.20"], "model2_minimum": True,
                  "sterile_only": False,
                  "questions": [
                      _question("MO-11-Q01", "Are management reviews held at planned intervals?",
                                2, ["ISO 13485:2016 5.6.1"]),
                  ]},
             ]},
            {"id": "DD", "title": "Design and Development", "kind": "qms_area", "description": "d",
             "elements": [
                 {"id": "DD-04", "title": "Design inputs", "iso_clauses": ["7.3.3"],
                  "qmsr_hooks": ["820.10(c)"], "legacy_sections": ["820.30"],
                  "model2_minimum": True, "sterile_only": False,
                  "questions": [
                      _question("DD-04-Q01", "Are design inputs complete and reviewed?", 2,
                                ["ISO 13485:2016 7.3.3"]),
                  ]},
                 {"id": "DD-08", "title": "Software validation", "iso_clauses": ["7.3.7"],
                  "qmsr_hooks": [], "legacy_sections": ["820.30"], "model2_minimum": True,
                  "sterile_only": False,
                  "questions": [
                      _question("DD-08-Q01", "Is device software validated?", 3,
                                ["ISO 13485:2016 7.3.7"]),
                  ]},
             ]},
            {"id": "OA", "title": "Other applicable FDA requirements", "kind": "oafr",
             "description": "d",
             "elements": [
                 {"id": "OA-01", "title": "Medical Device Reporting", "iso_clauses": [],
                  "qmsr_hooks": [], "legacy_sections": [], "model2_minimum": False,
                  "sterile_only": False,
                  "questions": [
                      _question("OA-01-Q01", "Are MDR decisions documented?", 3,
                                ["21 CFR 803"]),
                  ]},
                 {"id": "OA-03", "title": "Device tracking", "iso_clauses": [],
                  "qmsr_hooks": [], "legacy_sections": [], "model2_minimum": False,
                  "sterile_only": False,
                  "questions": [
                      _question("OA-03-Q01", "Are tracked devices traceable to patients?", 2,
                                ["21 CFR 821"]),
                  ]},
             ]},
        ],
    }


def build_workspace(path: Path, *, signed: bool = True) -> Path:
    """Create a workspace with one inspection covering every export feature."""
    actor = UNICODE_NAME
    with open_workspace(path, create=True) as ws, ws.begin() as s:
        create_site(s, actor, name=f"Ελληνικά Devices — {CYRILLIC_NAME} plant", code="SITE-001",
                    fei_number="3001234567", profile=SiteProfile(device_classes=("II",)))
        start_inspection(
            s, actor, site_code="SITE-001",
            template=TemplateSnapshot.from_content(template_content()),
            inspection_type="baseline_surveillance", code=INSPECTION, title="Mock baseline",
            lead=UNICODE_NAME, team=[CYRILLIC_NAME, "Ana Núñez"],
            planned_start=dt.date(2026, 11, 20), planned_end=dt.date(2026, 11, 24),
            elements=[
                ElementChoice("MO-05", reason="Model 2 minimum"),
                ElementChoice("MO-11", reason="Model 2 minimum"),
                ElementChoice("DD-04", reason="Class II design controls"),
                ElementChoice("DD-08", applicable=False, reason="No software in device"),
                ElementChoice("OA-01", reason="Always applicable"),
            ],
        )
        answers = [
            ("MO-05-Q01", "conforms", INJECTIONS[0]),
            ("MO-05-Q02", "minor_gap", INJECTIONS[1]),
            ("MO-11-Q01", "major_gap", LONG_NOTE),
            ("DD-04-Q01", "not_applicable", INJECTIONS[2]),
            ("OA-01-Q01", "not_assessed", INJECTIONS[3]),
        ]
        for qid, result, notes in answers:
            record_response(s, actor, inspection_code=INSPECTION, question_id=qid, result=result,
                            notes=notes, sample_population=40, sample_size=10,
                            records_reviewed="DHR-1\nDHR-2", interviewees=CYRILLIC_NAME)
        raise_finding(s, actor, inspection_code=INSPECTION, title="MDR evaluation missing",
                      classification="major", question_ids=["MO-11-Q01"],
                      objective_evidence=FINDING_TEXT, requirement="21 CFR 803",
                      likely_483=True, severity=4, likelihood=4, owner=CYRILLIC_NAME,
                      due_date=dt.date(2026, 11, 1), corrective_action="Retrain MDR team")
        raise_finding(s, actor, inspection_code=INSPECTION, title="=1+2 index drift",
                      classification="minor", question_ids=["MO-05-Q02"],
                      objective_evidence="@SUM(A1) appears in the MDF index", owner="Ana Núñez",
                      due_date=dt.date(2027, 1, 15), corrective_action="-update index",
                      effectiveness_check="Audit in Q1")
        raise_finding(s, actor, inspection_code=INSPECTION, title="Unlinked observation",
                      classification="observation", objective_evidence="General remark.",
                      corrective_action="Noted", effectiveness_check="None needed")
        transition_finding(s, actor, INSPECTION, "F-003", "closed")
        if signed:
            sign_off(s, actor, INSPECTION, name=UNICODE_NAME,
                     meaning="Reviewed and approved as lead auditor")
    return path


def build_target(path: Path, *, signed: bool = True) -> Path | str:
    """``build_workspace`` where this pass keeps workspaces: the file, or (PostgreSQL pass) a
    server database holding a copy of it (dropped at the end of the session)."""
    from server import pg_backend

    built = build_workspace(path, signed=signed)
    return pg_backend.server_copy(built) if pg_backend.on_postgresql() else built
