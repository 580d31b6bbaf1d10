"""Propose which checklist elements an inspection covers, the way CP 7382.850 chooses them.

Rules (regulatory-facts §3.3–3.4, issue 3 item 6):

* Applicability first. An element is not applicable when it is ``sterile_only`` and the site has
  no sterile product, or when its ``applies_if`` condition fails on the site profile. A
  non-applicable element is never selected; its reason is recorded.
* Model 2 (baseline surveillance, PMA preapproval): every applicable ``model2_minimum`` element
  (22, or 23 with sterile product).
* Model 1 (every other type): one element per QMS area, chosen by risk. Within an area the
  applicable elements are ranked by, in order: Model 2 minimum first; then the summed weight of
  its risk-focus questions; then the summed weight of all its questions; then template order.
  The top one is selected; the user adds more where product risk points.
* Other applicable FDA requirements (``oafr`` areas): selected for every type except PMA
  preapproval. General items: always. Gap-assessment areas (transition template): always.
* ``full=True`` (full mock inspection): every applicable element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.vocab import InspectionType

AREA_KIND_LABELS = {
    "qms_area": "QMS area",
    "oafr": "other applicable FDA requirement",
    "general": "general item",
    "gap_assessment": "gap assessment",
}
STERILE_REASON = "Not applicable: no sterile product in the site profile."


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


def to_element_choices(proposals: Sequence[ElementProposal]) -> list[Any]:
    """All proposals as ``ElementChoice`` objects, in template order."""
    return [p.as_choice() for p in proposals]


def condition_holds(condition: Mapping[str, Any], profile: Any) -> bool:
    """Evaluate one ``applies_if`` condition against a SiteProfile (or look-alike)."""
    value = getattr(profile, str(condition["field"]), None)
    if "contains_any" in condition:
        have = {str(v) for v in (value or ())}
        return bool(have & {str(v) for v in condition["contains_any"]})
    return bool(value) is bool(condition.get("is"))


def applicability(element: Mapping[str, Any], profile: Any) -> tuple[bool, str]:
    """Whether an element applies to a site, and if not, why."""
    if element.get("sterile_only") and not getattr(profile, "sterile_products", False):
        return False, STERILE_REASON
    rule = element.get("applies_if")
    if rule:
        if "all_of" in rule:
            ok = all(condition_holds(c, profile) for c in rule["all_of"])
        else:
            ok = any(condition_holds(c, profile) for c in rule.get("any_of", []))
        if not ok:
            reason = str(rule.get("not_applicable_reason", "")).strip()
            return False, reason if reason.startswith("Not applicable") else (
                f"Not applicable: {reason}" if reason else "Not applicable to this site profile."
            )
    return True, ""


def risk_score(element: Mapping[str, Any]) -> tuple[int, int, int]:
    """Model 1 ranking key: (Model 2 minimum, risk-focus weight, total weight)."""
    questions = element.get("questions", [])
    risk = sum(int(q.get("weight", 1)) for q in questions if q.get("risk_focus"))
    total = sum(int(q.get("weight", 1)) for q in questions)
    return (1 if element.get("model2_minimum") else 0, risk, total)


def plan(
    content: Mapping[str, Any],
    profile: Any,
    inspection_type: InspectionType | str,
    full: bool = False,
) -> list[ElementProposal]:
    """Propose elements for an inspection of ``inspection_type`` at a site with ``profile``."""
    try:
        itype = InspectionType(inspection_type)
    except ValueError:
        known = ", ".join(t.value for t in InspectionType)
        message = f"Unknown inspection type {inspection_type!r}; use one of {known}."
        raise InvalidInput(message) from None
    model = itype.model
    out: list[ElementProposal] = []
    for area in content.get("areas", []):
        kind = str(area.get("kind", "qms_area"))
        elements = list(area.get("elements", []))
        status = [applicability(e, profile) for e in elements]
        pick: str | None = None
        if kind == "qms_area" and model == 1 and not full:
            ranked = [
                (risk_score(e), -i, e["id"])
                for i, (e, (ok, _)) in enumerate(zip(elements, status, strict=True))
                if ok
            ]
            pick = max(ranked)[2] if ranked else None
        for element, (ok, why) in zip(elements, status, strict=True):
            selected, reason = (
                (False, why) if not ok else _decide(element, area, kind, itype, model, full, pick)
            )
            out.append(
                ElementProposal(
                    str(element["id"]),
                    str(area["id"]),
                    str(element.get("title", "")),
                    selected,
                    ok,
                    reason,
                )
            )
    return out


def _decide(
    element: Mapping[str, Any],
    area: Mapping[str, Any],
    kind: str,
    itype: InspectionType,
    model: int,
    full: bool,
    pick: str | None,
) -> tuple[bool, str]:
    """Selection and reason for an applicable element."""
    if full:
        return True, "Full mock inspection: every applicable element is covered."
    if kind == "general":
        return True, "General item: covered in every inspection."
    if kind == "gap_assessment":
        return True, "Gap assessment: every legacy section is reviewed."
    if kind == "oafr":
        if itype is InspectionType.PMA_PREAPPROVAL:
            return False, (
                "Not selected: other applicable FDA requirements are not evaluated in a PMA "
                "preapproval inspection. Add it if you want to rehearse it anyway."
            )
        return True, (
            "Other applicable FDA requirement: evaluated in every risk-based inspection "
            "except PMA preapproval."
        )
    label = itype.label.lower()
    if model == 2:
        if element.get("model2_minimum"):
            return True, f"Model 2 minimum element (CP 7382.850) for a {label} inspection."
        return False, (
            f"Not a Model 2 minimum element; add it if product risk points here ({label})."
        )
    area_title = str(area.get("title", area.get("id", "")))
    if element["id"] == pick:
        m2, risk, total = risk_score(element)
        basis = "a Model 2 minimum element" if m2 else "the highest-risk element"
        return True, (
            f"Model 1: chosen for {area_title} by risk ({basis}; risk-focus weight {risk}, "
            f"total weight {total}). Model 1 needs at least one element in each QMS area."
        )
    return False, (
        f"Model 1: not chosen; {pick} covers {area_title}. Add it if product risk points here."
    )
