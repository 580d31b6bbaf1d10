"""The home list's light readiness summary agrees with the full report's verdict and score.

``core.report.summary`` builds the report without the audit walk and the request log; these
tests pin that it never disagrees with ``build_report`` (the dashboard and packs): for every
inspection of the demo, and after every step of a generated walk through the verdict's rules
(each result, a gap, a not-applicable answer, an overdue critical finding, its closure).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.report.summary import readiness_summaries, readiness_summary
from qmsr_ready.core.report.verdict import VerdictLevel, readiness_verdict
from qmsr_ready.core.services.queries import list_inspections
from qmsr_ready.core.template_content import iter_questions

TODAY = dt.date(2026, 11, 25)


def _agrees(session, code: str, today: dt.date = TODAY) -> VerdictLevel:
    full = build_report(session, code, today=today)
    light = readiness_summary(session, code, today=today)
    assert light.code == code
    assert light.score == full.overall.score
    assert light.verdict == readiness_verdict(full)
    return light.verdict.level


def test_summary_agrees_with_the_full_report_for_every_demo_inspection(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = Path(tmp_path_factory.mktemp("demo")) / "demo.qmsr"
    build_demo(path, today=TODAY)
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        codes = [i.code for i in list_inspections(s)]
        levels = {code: _agrees(s, code) for code in codes}
        summaries = readiness_summaries(s, codes, today=TODAY)
    assert len(codes) >= 3
    assert {c: v.verdict.level for c, v in summaries.items()} == levels
    assert len(set(levels.values())) >= 2  # the demo shows more than one verdict


def test_summary_agrees_at_every_step_of_a_walk_through_the_rules(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        insp = services.get_inspection(s, code)
        qids = [ref.question_id for ref in iter_questions(insp.template.content)]
        assert _agrees(s, code) == VerdictLevel.NOT_ASSESSED

    seen: set[VerdictLevel] = set()

    def step(**answer: object) -> None:
        with ws.begin() as s:
            services.record_response(s, "Alice", inspection_code=code, **answer)
        with ws.session() as s:
            seen.add(_agrees(s, code))

    for qid in qids:  # everything conforms, one question at a time: incomplete, then ready
        step(question_id=qid, result="conforms")
    step(question_id=qids[0], result="minor_gap")
    step(question_id=qids[1], result="major_gap")  # a gap the team saw
    step(question_id=qids[1], result="not_applicable", notes="Not made on this site.")
    step(question_id=qids[2], result="minor_gap")
    step(question_id=qids[3], result="minor_gap")  # conformance down through the bands
    with ws.begin() as s:
        finding = services.raise_finding(
            s, "Alice", inspection_code=code, title="No complaint trending",
            classification="critical", question_ids=[qids[4]], owner="Bo",
            due_date=TODAY - dt.timedelta(days=3),
        )
        finding_code = finding.code
    with ws.session() as s:
        seen.add(_agrees(s, code))
        seen.add(_agrees(s, code, today=TODAY - dt.timedelta(days=30)))  # not yet overdue
    for qid in qids[:4]:  # conformance back up: the open critical finding still holds it
        step(question_id=qid, result="conforms")
    with ws.begin() as s:
        services.update_finding(s, "Alice", code, finding_code, classification="minor")
    with ws.session() as s:
        seen.add(_agrees(s, code))
    assert {VerdictLevel.READY, VerdictLevel.AT_RISK, VerdictLevel.NOT_READY} <= seen
