"""``fixed_now`` freezes the report's "today" too (issue 9 QA): overdue never depends on the day
the suite runs."""

from __future__ import annotations

import datetime as dt

from qmsr_ready.core import services
from qmsr_ready.core.models import local_today
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.report.summary import readiness_summary
from qmsr_ready.core.report.verdict import readiness_verdict


def test_the_report_day_comes_from_the_frozen_clock(fixed_now, fnd_inspection) -> None:
    ws, code = fnd_inspection
    today = fixed_now.astimezone().date()
    assert local_today() == today
    with ws.begin() as s:
        for title, due in (("Late", today - dt.timedelta(days=1)), ("On time", today)):
            services.raise_finding(s, "Alice", inspection_code=code, title=title,
                                   classification="major", question_ids=[], owner="Bo",
                                   due_date=due)
    with ws.session() as s:
        report = build_report(s, code)
        summary = readiness_summary(s, code)
    assert {f.title: (f.overdue, f.days_overdue) for f in report.findings} == {
        "Late": (True, 1), "On time": (False, 0)}
    assert summary.verdict == readiness_verdict(report)  # the light summary used that day too
