"""The readiness verdict: a percentage alone can read "ready" while a critical finding is open.

The verdict gates the score on what would most likely be cited. Rules, first match wins:

* **Not ready** — an open critical finding; an open finding flagged likely-483 that is classed
  major; or an overall readiness below 70 %.
* **At risk** — any other open major or likely-483 finding; an overdue action; an overall
  readiness below 85 %; or coverage below 80 % of applicable questions.
* **Ready** — none of the above, with something assessed.
* **Not assessed** — nothing assessed yet.

"Open" means any status but closed. Every verdict lists its reasons, so the dashboard and the
packs can say *why*, not just *what*; a "Not ready" verdict lists the
at-risk reasons too. The same rules are in docs/report-formula.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qmsr_ready.core.report.model import FindingRow, ReadinessReport
from qmsr_ready.core.report.scoring import format_percent

NOT_READY_BELOW = 70.0
AT_RISK_BELOW = 85.0
COVERAGE_AT_LEAST = 80.0


class VerdictLevel(StrEnum):
    READY = "ready"
    AT_RISK = "at_risk"
    NOT_READY = "not_ready"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return {
            "ready": "Ready",
            "at_risk": "At risk",
            "not_ready": "Not ready",
            "not_assessed": "Not assessed",
        }[self.value]


@dataclass(frozen=True)
class Verdict:
    level: VerdictLevel
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.level.label

    @property
    def summary(self) -> str:
        """One line: the label and its reasons."""
        if not self.reasons:
            return self.label
        return f"{self.label}: " + "; ".join(self.reasons)


def _codes(findings: list[FindingRow]) -> str:
    shown = ", ".join(f.code for f in findings[:5])
    return shown + (f" and {len(findings) - 5} more" if len(findings) > 5 else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def readiness_verdict(report: ReadinessReport) -> Verdict:
    """Judge the report by the rules in the module docstring."""
    score = report.overall.score
    coverage = report.overall.coverage
    open_findings = [f for f in report.findings if f.status != "closed"]
    critical = [f for f in open_findings if f.classification == "critical"]
    major_483 = [f for f in open_findings if f.classification == "major" and f.likely_483]
    other_serious = [
        f
        for f in open_findings
        if f not in critical
        and f not in major_483
        and (f.classification == "major" or f.likely_483)
    ]
    overdue = report.overdue_actions

    blocking: list[str] = []
    if critical:
        blocking.append(f"{_count(len(critical), 'open critical finding')} ({_codes(critical)})")
    if major_483:
        blocking.append(
            f"{_count(len(major_483), 'open major finding')} likely to be cited "
            f"({_codes(major_483)})"
        )
    if score is not None and score < NOT_READY_BELOW:
        blocking.append(
            f"overall readiness {format_percent(score)} is below {NOT_READY_BELOW:.0f}%"
        )
    warnings: list[str] = []
    if other_serious:
        warnings.append(
            f"{_count(len(other_serious), 'open major or likely-483 finding')} "
            f"({_codes(other_serious)})"
        )
    if overdue:
        warnings.append(f"{_count(len(overdue), 'overdue action')}")
    if score is not None and NOT_READY_BELOW <= score < AT_RISK_BELOW:
        warnings.append(
            f"overall readiness {format_percent(score)} is below {AT_RISK_BELOW:.0f}%"
        )
    if score is not None and coverage is not None and coverage < COVERAGE_AT_LEAST:
        warnings.append(f"only {format_percent(coverage)} of applicable questions assessed")
    if blocking:
        return Verdict(VerdictLevel.NOT_READY, (*blocking, *warnings))
    if score is None:  # nothing assessed: say that, not "only 0% assessed"
        return Verdict(
            VerdictLevel.NOT_ASSESSED,
            ("no applicable question has been assessed yet", *warnings),
        )
    if warnings:
        return Verdict(VerdictLevel.AT_RISK, tuple(warnings))
    return Verdict(VerdictLevel.READY, ())
