"""A light readiness summary per inspection, for lists (the home view) rather than packs.

The home list shows each inspection's conformance and verdict. A full ``build_report`` also
walks and replays the audit chain (the first build on a workspace), scans for damaged values and
reads the inspection-day log; none of that changes the verdict. The summary builds the same report
without those parts and applies the same ``readiness_verdict``, so its band cannot disagree with
the dashboard's (one rule, one place; ``tests/integration/test_report_summary.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qmsr_ready.core.models import local_today
from qmsr_ready.core.report.build import _build
from qmsr_ready.core.report.verdict import Verdict, readiness_verdict

__all__ = ["ReadinessSummary", "readiness_summaries", "readiness_summary"]


@dataclass(frozen=True)
class ReadinessSummary:
    """One inspection's overall conformance (None: nothing counted yet) and verdict."""

    code: str
    score: float | None
    verdict: Verdict


def readiness_summary(
    session: Session, inspection_code: str, today: dt.date | None = None
) -> ReadinessSummary:
    """The summary of one inspection (``NotFound`` if there is none with that code)."""
    report = _build(session, inspection_code, today or local_today(), full=False)
    return ReadinessSummary(inspection_code, report.overall.score, readiness_verdict(report))


def readiness_summaries(
    session: Session, codes: Iterable[str], today: dt.date | None = None
) -> dict[str, ReadinessSummary]:
    """Summaries by inspection code, one day for all of them."""
    day = today or local_today()
    return {code: readiness_summary(session, code, day) for code in codes}
