"""The readiness verdict: what was seen, not only what was raised, decides "are we ready".

A checklist percentage alone can read well while a critical finding is open, or while a dozen
major gaps sit on core questions that nobody turned into a finding. Rules, first match wins:

* **Not ready** — an open critical finding; an open major finding flagged likely-483; or overall
  checklist conformance off target (below ``bands.FLOOR``, 70 %).
* **At risk** — any other open major or likely-483 finding; an overdue action; conformance that
  needs work (below ``bands.TARGET``, 85 %); a major gap recorded on any question, counted or
  not, whether or not a finding was raised (a gap the team saw is never silent); on a Model 2
  inspection, an applicable Model 2 minimum element not selected; an element marked not
  applicable without a reason; a plan whose applicability disagrees with the site's current
  profile; or a selected element whose applicable questions are not all assessed.
* **Ready** — none of the above, with something assessed.
* **Not assessed** — nothing assessed yet.

"Open" means any status but closed. Every verdict lists its reasons (a "Not ready" verdict lists
the at-risk reasons too), so the dashboard, the packs and the CLI say *why*, not just *what*.
The same rules, and what "critical" means, are in docs/report-formula.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from qmsr_ready.core.reasons import has_visible_text
from qmsr_ready.core.report.bands import FLOOR, TARGET, Band, band_of
from qmsr_ready.core.report.model import FindingRow, QuestionRow, ReadinessReport
from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.vocab import ASSESSED_RESULTS, Result

SHOWN = 5  # IDs named in one reason before "and N more"
_ASSESSED = frozenset(r.value for r in ASSESSED_RESULTS)


class VerdictLevel(StrEnum):
    READY = "ready"
    AT_RISK = "at_risk"
    NOT_READY = "not_ready"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS: dict[VerdictLevel, str] = {
    VerdictLevel.READY: "Ready",
    VerdictLevel.AT_RISK: "At risk",
    VerdictLevel.NOT_READY: "Not ready",
    VerdictLevel.NOT_ASSESSED: "Not assessed",
}


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


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _is_open(finding: FindingRow) -> bool:
    return finding.status != "closed"


def _minimum_ids(report: ReadinessReport) -> set[str]:
    return {e.element_id for e in report.planned_elements if e.model2_minimum}


def core_major_gaps(report: ReadinessReport) -> tuple[QuestionRow, ...]:
    """Questions with a major gap that are risk-focus or in a Model 2 minimum element, counted
    by the plan or not."""
    minimum = _minimum_ids(report)
    return tuple(
        q for q in report.questions
        if q.result == Result.MAJOR_GAP and (q.risk_focus or q.element_id in minimum)
    )


def other_major_gaps(report: ReadinessReport) -> tuple[QuestionRow, ...]:
    """Every other question with a major gap: still a gap the team saw."""
    core = {q.question_id for q in core_major_gaps(report)}
    return tuple(
        q for q in report.questions
        if q.result == Result.MAJOR_GAP and q.question_id not in core
    )


def missing_minimum_elements(report: ReadinessReport) -> tuple[str, ...]:
    """On a Model 2 inspection, applicable Model 2 minimum elements the plan does not select."""
    if report.inspection.model != 2:
        return ()
    return tuple(
        e.element_id for e in report.planned_elements
        if e.model2_minimum and e.applicable and not e.selected
    )


def unexplained_not_applicable(report: ReadinessReport) -> tuple[str, ...]:
    """Elements marked not applicable whose reason has nothing visible in it."""
    return tuple(
        e.element_id for e in report.planned_elements
        if not e.applicable and not has_visible_text(e.reason)
    )


def stale_applicability(report: ReadinessReport) -> tuple[tuple[str, bool], ...]:
    """Elements whose planned applicability the site's current profile contradicts, each as
    ``(element ID, applies now)``."""
    return tuple(
        (e.element_id, bool(e.profile_applicable))
        for e in report.planned_elements if e.profile_disagrees
    )


def incomplete_elements(report: ReadinessReport) -> tuple[tuple[str, int, int], ...]:
    """Selected, applicable elements with an applicable question not assessed.

    Each item is ``(element ID, assessed, applicable)``; elements answered entirely "not
    applicable" are complete.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in report.questions:
        if not q.counted or q.result == Result.NOT_APPLICABLE:
            continue
        tally = counts[q.element_id]
        tally[1] += 1
        tally[0] += q.result in _ASSESSED
    return tuple((eid, done, total) for eid, (done, total) in counts.items() if done < total)


def _gap_reasons(report: ReadinessReport) -> list[str]:
    open_codes = {f.code for f in report.findings if _is_open(f)}

    def named(q: QuestionRow) -> str:
        linked = [c for c in q.finding_codes if c in open_codes]
        if linked:
            note = ", ".join(linked)
        elif q.finding_codes:  # the finding was closed but the answer still says major gap
            note = f"{', '.join(q.finding_codes)} closed; reassess"
        else:
            note = "no finding raised"
        if not q.counted:
            note = f"{q.element_id} not counted in this plan; {note}"
        return f"{q.question_id} ({note})"

    out = []
    core = core_major_gaps(report)
    if core:
        out.append(f"{_count(len(core), 'major gap')} on risk-focus or Model 2 minimum "
                   "questions: " + _listed([named(q) for q in core]))
    other = other_major_gaps(report)
    if other:
        out.append(f"{_count(len(other), 'major gap')} on other questions: "
                   + _listed([named(q) for q in other]))
    return out


def _plan_reasons(report: ReadinessReport) -> list[str]:
    """What is wrong with the plan itself: a thin Model 2 plan, N/A without a reason, or
    applicability decided for a profile the site no longer has."""
    out = []
    missing = missing_minimum_elements(report)
    if missing:
        out.append(
            f"{_count(len(missing), 'Model 2 minimum element')} not selected for a "
            f"{report.inspection.inspection_type_label.lower()} inspection: {_listed(missing)}; "
            "select them or record why they do not apply"
        )
    unexplained = unexplained_not_applicable(report)
    if unexplained:
        out.append(
            f"{_count(len(unexplained), 'element')} marked not applicable without a reason: "
            + _listed(unexplained)
        )
    stale = stale_applicability(report)
    if stale:
        now = [eid for eid, applies in stale if applies]
        gone = [eid for eid, applies in stale if not applies]
        parts = []
        if now:
            parts.append(f"{_listed(now)} now appl{'ies' if len(now) == 1 else 'y'}")
        if gone:
            parts.append(f"{_listed(gone)} no longer appl{'ies' if len(gone) == 1 else 'y'}")
        out.append("the plan was made for a different site profile: " + "; ".join(parts)
                   + "; re-plan the elements or correct the profile")
    return out


def _completeness_reason(report: ReadinessReport) -> str | None:
    missing = incomplete_elements(report)
    if not missing:
        return None
    coverage = report.overall.coverage
    return (
        f"{_count(len(missing), 'selected element')} not fully assessed: "
        + _listed([f"{eid} ({done} of {total})" for eid, done, total in missing])
        + f"; {format_percent(coverage)} of applicable questions assessed"
    )


def readiness_verdict(report: ReadinessReport) -> Verdict:
    """Judge the report by the rules in the module docstring."""
    score = report.overall.score
    band = band_of(score)
    live = [f for f in report.findings if _is_open(f)]
    critical = [f.code for f in live if f.classification == "critical"]
    major_483 = [f.code for f in live if f.classification == "major" and f.likely_483]
    other_serious = [
        f.code for f in live
        if f.code not in critical and f.code not in major_483
        and (f.classification == "major" or f.likely_483)
    ]

    blocking: list[str] = []
    if critical:
        blocking.append(f"{_count(len(critical), 'open critical finding')} ({_listed(critical)})")
    if major_483:
        blocking.append(f"{_count(len(major_483), 'open major finding')} likely to be cited "
                        f"({_listed(major_483)})")
    if band is Band.OFF_TARGET:
        blocking.append(f"checklist conformance {format_percent(score)} is below {FLOOR}%")
    warnings: list[str] = []
    if other_serious:
        warnings.append(f"{_count(len(other_serious), 'open major or likely-483 finding')} "
                        f"({_listed(other_serious)})")
    if report.overdue_actions:
        warnings.append(_count(len(report.overdue_actions), "overdue action"))
    if band is Band.NEEDS_WORK:
        warnings.append(f"checklist conformance {format_percent(score)} is below {TARGET}%")
    warnings += _gap_reasons(report)
    warnings += _plan_reasons(report)
    if blocking:
        complete = _completeness_reason(report)
        return Verdict(VerdictLevel.NOT_READY, (*blocking, *warnings, *filter(None, [complete])))
    if score is None:  # nothing assessed: say that, not "0 of 23 elements assessed"
        return Verdict(
            VerdictLevel.NOT_ASSESSED,
            ("no applicable question has been assessed yet", *warnings),
        )
    complete = _completeness_reason(report)
    if complete:
        warnings.append(complete)
    if warnings:
        return Verdict(VerdictLevel.AT_RISK, tuple(warnings))
    return Verdict(VerdictLevel.READY, ())
