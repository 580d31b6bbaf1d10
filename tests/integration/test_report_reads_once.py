"""The report build reads the inspection once and carries the request log the dashboard shows.

Issue 9 item 5: a dashboard refresh after an autosave costs what the change costs. The build
used to read the inspection five times (the request log fetched it again for requests, notes
and roster) and the dashboard built the request log a second time beside the report.
"""

from __future__ import annotations

import re

from sqlalchemy import event

from qmsr_ready.core import services
from qmsr_ready.core.inspection_day.report import build_request_log
from qmsr_ready.core.models import Finding
from qmsr_ready.core.report import build_report
from qmsr_ready.core.services.day_notes import add_note, set_roster_entry
from qmsr_ready.core.services.requests import add_request

_FROM_INSPECTIONS = re.compile(r"\bFROM inspections\b", re.IGNORECASE)


def _seed(ws, code: str) -> None:
    with ws.begin() as s:
        services.raise_finding(s, "Ann", inspection_code=code, title="Two questions",
                               classification="major", question_ids=["MO-02-Q01", "MA-03-Q01"])
        services.raise_finding(s, "Ann", inspection_code=code, title="Reversed",
                               classification="minor", question_ids=["MA-03-Q01", "MO-01-Q01"])
        services.raise_finding(s, "Ann", inspection_code=code, title="Unlinked",
                               classification="observation")
        add_request(s, "Scribe", inspection_code=code, text="Complaint log for 2025")
        add_note(s, "Scribe", inspection_code=code, text="Asked about CAPA trending")
        set_roster_entry(s, "Ann", code, "MA", presenter="Bea")


def test_build_reads_the_inspection_once(fnd_inspection) -> None:
    ws, code = fnd_inspection
    _seed(ws, code)
    statements: list[str] = []
    with ws.session() as s:
        build_report(s, code)  # warm the per-head caches (damaged scan, chain state)
        engine = s.get_bind()

        def seen(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            report = build_report(s, code)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    reads = [st for st in statements if _FROM_INSPECTIONS.search(st)]
    assert len(reads) == 1, reads
    assert report.request_log is not None
    assert [r.text for r in report.request_log.requests] == ["Complaint log for 2025"]
    assert [n.text for n in report.request_log.notes] == ["Asked about CAPA trending"]


def test_findings_and_log_match_the_orm_reads(fnd_inspection) -> None:
    ws, code = fnd_inspection
    _seed(ws, code)
    with ws.session() as s:
        report = build_report(s, code)
        by_code = {f.code: (tuple(f.question_ids), f.created_at)
                   for f in s.query(Finding).all()}
        alone = build_request_log(s, code, now=report.generated_at)
    # Question links in the order they were given (the relationship's order), as before.
    assert [(f.code, f.question_ids) for f in report.findings] == [
        (c, by_code[c][0]) for c in sorted(by_code)
    ]
    assert report.findings[0].question_ids == ("MO-02-Q01", "MA-03-Q01")
    assert report.findings[1].question_ids == ("MA-03-Q01", "MO-01-Q01")
    assert report.findings[2].question_ids == ()
    assert {f.code: f.created_at for f in report.findings} == {
        c: created for c, (_qids, created) in by_code.items()
    }
    assert report.request_log == alone
