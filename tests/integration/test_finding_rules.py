"""A finding's area and overdue are one rule (issue 9 QA item 6): register and packs agree."""

from __future__ import annotations

import datetime as dt

from qmsr_ready.core import services
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.views.findings import NO_AREA, load_finding_rows


def test_register_and_report_agree_on_area_and_overdue(fnd_inspection) -> None:
    ws, code = fnd_inspection
    today = dt.date(2026, 11, 25)
    with ws.begin() as s:
        for title, qids, due in (("Linked", ["MO-01-Q01"], today - dt.timedelta(days=3)),
                                 ("Unlinked", [], today)):
            services.raise_finding(s, "Alice", inspection_code=code, title=title,
                                   classification="minor", question_ids=qids, owner="Bo",
                                   due_date=due)
    with ws.session() as s:
        register = {r.title: r for r in load_finding_rows(s, code)}
        report = {f.title: f for f in build_report(s, code, today=today).findings}
    assert register["Linked"].area_id == report["Linked"].area_id == "MO"
    assert register["Unlinked"].area_id == NO_AREA
    assert not report["Unlinked"].area_id
    for title in register:
        assert register[title].overdue(today) == report[title].overdue
    assert report["Linked"].days_overdue == 3
