"""Suggest the area and element a request belongs to from the words the scribe typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from qmsr_ready.core.template_content import typed_content
from qmsr_ready.core.template_model import TypedTemplate

# Words scribes type, mapped to fda-qmsr element IDs (checked before title matching).
_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"\bmdrs?\b|medical device report|emdr", "OA-01"),
    (r"complain", "MA-03"),
    (r"\bcapas?\b|corrective action", "MA-09"),
    (r"preventive action", "MA-10"),
    (r"management review", "MO-11"),
    (r"internal audit|audit schedule|audit report", "MA-04"),
    (r"nonconform|\bncrs?\b|\bncs?\b", "MA-07"),
    (r"recall|correction|removal|part 806", "OA-02"),
    (r"\budi\b|gudid", "OA-04"),
    (r"tracking", "OA-03"),
    (r"registration|listing|part 807", "GI-01"),
    (r"\b483\b|prior observation", "GI-02"),
    (r"supplier|purchas|vendor", "OP-02"),
    (r"outsourc|contract manufactur", "OP-01"),
    (r"steril", "PS-07"),
    (r"calibrat", "PS-11"),
    (r"process validation|\biq\b|\boq\b|\bpq\b", "PS-06"),
    (r"batch record|device history|\bdhr\b|lot record|label", "PS-03"),
    (r"training|competenc", "MO-13"),
    (r"risk management|risk file|hazard|\bfmea\b", "MO-02"),
    (r"change (control|request|order)|\beco\b|\becn\b", "CC-03"),
    (r"software validation|\bsbom\b|cybersecurity", "DD-08"),
    (r"design history|\bdhf\b|design review|design input|design output", "DD-02"),
    (r"device master|\bdmr\b|medical device file", "MO-05"),
    (r"quality manual", "MO-04"),
    (r"quality polic|quality objective", "MO-09"),
    (r"organi[sz]ation chart|org chart|management representative", "MO-10"),
)
_WORD = re.compile(r"[a-z]{4,}")


def suggest_element(
    template: TypedTemplate | Mapping[str, Any], text: str
) -> tuple[str, str] | None:
    """``(area_id, element_id)`` for the request text, or None when nothing fits."""
    tpl = typed_content(template)
    lowered = text.casefold()
    area_of = {el.id: el.area_id for el in tpl.elements}
    # The subject is usually named first ("complaint log with MDR decisions" is about
    # complaints), so the keyword that appears earliest in the text wins.
    hits = [
        (m.start(), element_id)
        for pattern, element_id in _KEYWORDS
        if element_id in area_of and (m := re.search(pattern, lowered))
    ]
    if hits:
        element_id = min(hits)[1]
        return area_of[element_id], element_id
    words = set(_WORD.findall(lowered))
    best: tuple[int, str] = (0, "")
    for el in tpl.elements:
        overlap = len(words & set(_WORD.findall(el.title.casefold())))
        if overlap > best[0]:
            best = (overlap, el.id)
    if best[0]:
        return area_of[best[1]], best[1]
    return None
