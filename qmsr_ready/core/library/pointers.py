"""Why product risk points at an element: the trigger's signals and topic, and the site profile.

The signal → element mapping is data: each template element may list the ``risk_signals`` it
answers (docs/template-format.md), so a user template carries its own. The site profile implies
signals of its own (a PMA holder's changes, an implant's traceability); they count only where the
trigger points nowhere in an area, because the trigger is what this inspection is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qmsr_ready.core.library.trigger import Trigger, topic_names_element, topic_signals
from qmsr_ready.core.template_model import TemplateElement
from qmsr_ready.core.vocab import InspectionType, RiskSignal

# Profile field -> (implied signal, what it means for the inspection).
PROFILE_SIGNALS: dict[str, tuple[RiskSignal, str]] = {
    "pma_holder": (
        RiskSignal.DESIGN_CHANGE,
        "the site holds a PMA, so design and process changes need a PMA supplement or an "
        "annual-report assessment (Part 814)",
    ),
    "implantable_devices": (
        RiskSignal.TRACEABILITY,
        "the site makes implantable devices, so traceability to the lot and the consignee is "
        "checked (ISO 13485 7.5.9.2)",
    ),
    "life_supporting_devices": (
        RiskSignal.TRACEABILITY,
        "the site makes life-supporting or life-sustaining devices, so 820.10(d) adds the "
        "traceability of ISO 13485 7.5.9.2",
    ),
}


@dataclass(frozen=True)
class Pointers:
    """Reasons product risk points at one element, strongest first."""

    trigger: tuple[str, ...] = ()  # from the user's trigger (signals and topic)
    profile: tuple[str, ...] = ()  # implied by the site profile

    @property
    def any(self) -> bool:
        return bool(self.trigger or self.profile)

    def text(self) -> str:
        """"the trigger names an MDR trend (signal: mdr_trend); the site holds a PMA …"."""
        return "; ".join(self.trigger + self.profile)


def point(element: TemplateElement, trigger: Trigger, profile: Any) -> Pointers:
    """What in the trigger and the profile points at ``element``."""
    tags = set(element.risk_signals)
    from_trigger: list[str] = [
        f"the trigger names {s.phrase} (signal: {s.value})" for s in trigger.signals
        if s.value in tags
    ]
    if trigger.topic:
        for signal, word in topic_signals(trigger.topic).items():
            if signal.value in tags and signal not in trigger.signals:
                from_trigger.append(
                    f"the trigger topic mentions \u201c{word}\u201d (signal: {signal.value})"
                )
        named = topic_names_element(trigger.topic, element.id, element.title)
        if named:
            from_trigger.append(f"the trigger topic names it (\u201c{named}\u201d)")
    from_profile = [
        f"{meaning} (profile: {field}; signal: {signal.value})"
        for field, (signal, meaning) in PROFILE_SIGNALS.items()
        if getattr(profile, field, False) and signal.value in tags
    ]
    return Pointers(tuple(from_trigger), tuple(from_profile))


def lower_label(label: str) -> str:
    """"Baseline surveillance" → "baseline surveillance"; "PMA preapproval" keeps its acronym."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def mdsap_note(itype: InspectionType) -> str:
    """What MDSAP participation means for an inspection of this type (regulatory-facts §3.3)."""
    if itype in (InspectionType.NON_BASELINE_SURVEILLANCE, InspectionType.BASELINE_SURVEILLANCE):
        lead = (
            "The site is MDSAP-audited: FDA does not usually schedule surveillance inspections "
            "of a site actively enrolled in MDSAP, and a prior MDSAP audit classified NAI or VAI "
            "counts like an FDA inspection when FDA picks the type."
        )
    else:
        lead = (
            "The site is MDSAP-audited: that does not exempt it from this "
            f"{lower_label(itype.label)} inspection."
        )
    return (
        f"{lead} Have the latest MDSAP audit reports and the closure of their nonconformities "
        "ready as compliance history."
    )
