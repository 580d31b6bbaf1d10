"""Saves and reports share one typed template per SHA-256 (issue 9 item 4): the snapshot JSON is
parsed once, not on every save, so a save costs the same for a 40- and a 400-question template."""

from __future__ import annotations

import pytest

from qmsr_ready.core import services, template_content
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.template_content import TemplateCache


def test_saves_and_the_report_parse_the_snapshot_once(fnd_inspection, monkeypatch) -> None:
    cache = TemplateCache()
    monkeypatch.setattr(template_content, "_CACHE", cache)
    ws, code = fnd_inspection
    for qid, result in (("MO-01-Q01", "conforms"), ("MO-01-Q02", "minor_gap"),
                        ("MO-01-Q01", "major_gap")):
        with ws.begin() as s:
            services.record_response(s, "Alice", inspection_code=code, question_id=qid,
                                     result=result)
    with ws.session() as s:
        report = build_report(s, code)
    assert cache.parses == 1
    rows = {q.question_id: q for q in report.questions}
    assert (rows["MO-01-Q01"].result, rows["MO-01-Q01"].element_title) == (
        "major_gap", "QMS general")
    assert rows["MO-01-Q02"].area_title == "Management Oversight"


def test_an_unknown_question_is_refused_by_the_typed_lookup(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s, pytest.raises(InvalidInput, match="Unknown question ID 'MO-99-Q01'"):
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-99-Q01",
                                 result="conforms")
