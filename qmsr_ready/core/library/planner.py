"""Propose which checklist elements an inspection covers, the way CP 7382.850 chooses them.

Rules (regulatory-facts §3.3–3.5, issue 3 item 6, issue 10 item 5):

* Applicability first. An element is not applicable when it is ``sterile_only`` and the site has
  no sterile product, or when its ``applies_if`` condition fails on the site profile. A
  non-applicable element is never selected; its reason is recorded.
* Risk pointers (``pointers.py``): the trigger's signals and topic point at the elements whose
  ``risk_signals`` name them (or whose title or ID the topic names); the site profile implies
  signals of its own (PMA holder → changes, implantable or life-supporting → traceability).
* Model 1 (every type but the two below): in each QMS area, every applicable element the trigger
  points to; if none, those the profile points to; if none, the top of the risk ranking: Model 2
  minimum first, then the summed weight of its risk-focus questions, then the summed weight of
  all its questions, then template order.
* Model 2 (baseline surveillance, PMA preapproval): every applicable ``model2_minimum`` element
  (22, or 23 with sterile product, fewer where one does not apply), plus every element product
  risk points to, as an extra with its reason.
* Other applicable FDA requirements (``oafr`` areas): selected for every type except PMA
  preapproval (where only a pointed one is added). General items: always; an MDSAP-audited
  site is told what that means on the compliance-history item. Gap-assessment areas: always.
* ``full=True`` (full mock inspection): every applicable element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.library.pointers import Pointers, lower_label, mdsap_note, point
from qmsr_ready.core.library.trigger import Trigger
from qmsr_ready.core.template_content import typed_content
from qmsr_ready.core.template_model import (
    TemplateArea,
    TemplateCondition,
    TemplateElement,
    TypedTemplate,
)
from qmsr_ready.core.vocab import InspectionType, RiskSignal

AREA_KIND_LABELS = {
    "qms_area": "QMS area",
    "oafr": "other applicable FDA requirement",
    "general": "general item",
    "gap_assessment": "gap assessment",
}
STERILE_REASON = "Not applicable: no sterile product in the site profile."
# Our reading, not a confirmed fact: the program's table marks what a PMA preapproval covers
# "at minimum" with a footnote that we read as excluding the OAFRs.
_OAFR_PMA = ("our reading of the program's footnote, unconfirmed; check the 'at minimum*' table "
             "and its footnote in CP 7382.850")


@dataclass(frozen=True)
class ElementProposal:
    """The planner's proposal for one element, with the reason shown to the user."""

    element_id: str
    area_id: str
    title: str
    selected: bool
    applicable: bool
    reason: str

    def as_choice(self) -> Any:
        """Convert to ``services.inspections.ElementChoice`` for ``start_inspection``."""
        from qmsr_ready.core.services.inspections import ElementChoice

        return ElementChoice(self.element_id, self.selected, self.applicable, self.reason)


@dataclass(frozen=True)
class _Basis:
    """What every decision reads: type, model, trigger, profile."""

    itype: InspectionType
    full: bool
    trigger: Trigger
    profile: Any

    @property
    def model(self) -> int:
        return self.itype.model


def to_element_choices(proposals: Sequence[ElementProposal]) -> list[Any]:
    """All proposals as ``ElementChoice`` objects, in template order."""
    return [p.as_choice() for p in proposals]


def condition_holds(condition: TemplateCondition, profile: Any) -> bool:
    """Evaluate one ``applies_if`` condition against a SiteProfile (or look-alike)."""
    value = getattr(profile, condition.field, None)
    if condition.contains_any is not None:
        have = {str(v) for v in (value or ())}
        return bool(have & set(condition.contains_any))
    return bool(value) is bool(condition.is_)


def applicability(element: TemplateElement, profile: Any) -> tuple[bool, str]:
    """Whether an element applies to a site, and if not, why."""
    if element.sterile_only and not getattr(profile, "sterile_products", False):
        return False, STERILE_REASON
    rule = element.applies_if
    if rule is not None:
        if rule.all_of is not None:
            ok = all(condition_holds(c, profile) for c in rule.all_of)
        else:
            ok = any(condition_holds(c, profile) for c in rule.any_of or ())
        if not ok:
            reason = rule.not_applicable_reason.strip()
            return False, reason if reason.startswith("Not applicable") else (
                f"Not applicable: {reason}" if reason else "Not applicable to this site profile."
            )
    return True, ""


def risk_score(element: TemplateElement) -> tuple[int, int, int]:
    """Model 1 ranking key: (Model 2 minimum, risk-focus weight, total weight)."""
    questions = element.questions
    risk = sum(q.weight for q in questions if q.risk_focus)
    total = sum(q.weight for q in questions)
    return (1 if element.model2_minimum else 0, risk, total)


def plan(
    content: TypedTemplate | Mapping[str, Any],
    profile: Any,
    inspection_type: InspectionType | str,
    full: bool = False,
    trigger: Trigger | None = None,
) -> list[ElementProposal]:
    """Propose elements for an inspection of ``inspection_type`` at a site with ``profile``,
    pointed by what ``trigger`` says started it. Raw ``content`` is typed (once per hash)."""
    try:
        itype = InspectionType(inspection_type)
    except ValueError:
        known = ", ".join(t.value for t in InspectionType)
        message = f"Unknown inspection type {inspection_type!r}; use one of {known}."
        raise InvalidInput(message) from None
    basis = _Basis(itype, full, trigger or Trigger(), profile)
    out: list[ElementProposal] = []
    tpl = typed_content(content)
    mdsap_target = _mdsap_target(tpl) if getattr(profile, "mdsap", False) else None
    for area in tpl.areas:
        kind = area.kind
        elements = list(area.elements)
        status = [applicability(e, profile) for e in elements]
        pointers = [point(e, basis.trigger, profile) for e in elements]
        picks: dict[str, str] = {}
        if kind == "qms_area" and basis.model == 1 and not full:
            picks = _model1_picks(area, elements, status, pointers)
        for element, (ok, why), ptr in zip(elements, status, pointers, strict=True):
            eid = element.id
            if not ok:
                selected, reason = False, why
            elif kind == "qms_area" and basis.model == 1 and not full:
                selected, reason = eid in picks, picks.get(eid) or _not_picked(area, picks, ptr)
            else:
                selected, reason = _decide(element, kind, basis, ptr)
            if ok and eid == mdsap_target:
                reason = f"{reason} {mdsap_note(itype)}"
            out.append(
                ElementProposal(eid, area.id, element.title, selected, ok, reason)
            )
    return out


def _mdsap_target(tpl: TypedTemplate) -> str | None:
    """The general item that carries the MDSAP note: the one tagged for prior observations
    (compliance history), else the first general item."""
    general = [e for a in tpl.areas if a.kind == "general" for e in a.elements]
    tagged = [e for e in general if RiskSignal.PRIOR_OBSERVATIONS.value in e.risk_signals]
    chosen = tagged or general
    return chosen[0].id if chosen else None


def _model1_picks(
    area: TemplateArea,
    elements: list[TemplateElement],
    status: list[tuple[bool, str]],
    pointers: list[Pointers],
) -> dict[str, str]:
    """Model 1's choice in one QMS area: element ID → reason."""
    area_title = area.title
    usable = [(e, p) for e, (ok, _), p in zip(elements, status, pointers, strict=True) if ok]
    by_trigger = {e.id: p for e, p in usable if p.trigger}
    if by_trigger:
        return {eid: f"Chosen because {'; '.join(p.trigger)}. Model 1: the trigger points here "
                     f"in {area_title}." for eid, p in by_trigger.items()}
    by_profile = {e.id: p for e, p in usable if p.profile}
    if by_profile:
        return {eid: f"Chosen because {'; '.join(p.profile)}. Model 1: the site profile points "
                     f"here in {area_title}." for eid, p in by_profile.items()}
    ranked = [(risk_score(e), -i, e.id) for i, (e, _) in enumerate(usable)]
    if not ranked:
        return {}
    (m2, risk, total), _, pick = max(ranked)
    basis = "a Model 2 minimum element" if m2 else "the highest-risk element"
    return {pick: (
        f"Model 1: chosen for {area_title} by risk ({basis}; risk-focus weight {risk}, "
        f"total weight {total}). Model 1 needs at least one element in each QMS area."
    )}


def _not_picked(area: TemplateArea, picks: Mapping[str, str], ptr: Pointers) -> str:
    area_title = area.title
    if not picks:
        return f"Model 1: nothing in {area_title} applies to this site."
    who = ", ".join(picks)
    verb = "covers" if len(picks) == 1 else "cover"
    also = f" The site profile also points here: {'; '.join(ptr.profile)}." if ptr.profile else ""
    return (
        f"Model 1: not chosen; {who} {verb} {area_title}. Add it if product risk points here."
        f"{also}"
    )


def _decide(
    element: TemplateElement, kind: str, basis: _Basis, ptr: Pointers
) -> tuple[bool, str]:
    """Selection and reason for an applicable element outside Model 1's per-area choice."""
    also = f" Product risk also points here: {ptr.text()}." if ptr.any else ""
    if basis.full:
        return True, f"Full mock inspection: every applicable element is covered.{also}"
    if kind == "general":
        return True, f"General item: covered in every inspection.{also}"
    if kind == "gap_assessment":
        return True, f"Gap assessment: every legacy section is reviewed.{also}"
    label = lower_label(basis.itype.label)
    if kind == "oafr":
        if basis.itype is not InspectionType.PMA_PREAPPROVAL:
            return True, (
                "Other applicable FDA requirement: evaluated in every risk-based inspection "
                f"except PMA preapproval.{also}"
            )
        if ptr.any:
            return True, (
                f"Added to the PMA preapproval plan because {ptr.text()}. Otherwise we leave "
                f"other applicable FDA requirements out of a PMA preapproval plan: {_OAFR_PMA}."
            )
        return False, (
            "Not selected: we leave other applicable FDA requirements out of a PMA preapproval "
            f"plan ({_OAFR_PMA}). Add it if you want to rehearse it anyway."
        )
    # Model 2 QMS area.
    if element.model2_minimum:
        return True, f"Model 2 minimum element (CP 7382.850) for a {label} inspection.{also}"
    if ptr.any:
        return True, f"Added to the Model 2 minimum because {ptr.text()}."
    return False, f"Not a Model 2 minimum element; add it if product risk points here ({label})."
