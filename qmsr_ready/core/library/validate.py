"""Cross checks on a template's raw data: what a schema cannot see.

The walk is tolerant of broken shapes (the schema reports those) so that one run lists every
problem: duplicate IDs, IDs that do not match their parent, citations outside the registry,
unknown legacy sections, unknown site profile fields, unknown risk signals and response values
outside the scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.library.schema import (
    DEFAULT_RESPONSE_SCALE,
    PROFILE_BOOL_FIELDS,
    PROFILE_FIELDS,
    PROFILE_LIST_FIELDS,
)
from qmsr_ready.core.vocab import RiskSignal

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]
DEVICE_CLASSES = ("I", "II", "III")


def format_loc(loc: Iterable[str | int]) -> str:
    """``("areas", 2, "elements", 4)`` → ``areas[2].elements[4]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _items(value: Any) -> list[tuple[int, Any]]:
    return list(enumerate(value)) if isinstance(value, list) else []


def _str_items(value: Any) -> list[tuple[int, str]]:
    return [(i, v) for i, v in _items(value) if isinstance(v, str)]


def cross_check(data: dict[str, Any]) -> list[Problem]:
    """Every cross-reference problem in a template's raw data, with its path."""
    problems: list[Problem] = []
    problems += _check_scale(data.get("response_scale"))
    area_ids: dict[str, Loc] = {}
    element_ids: dict[str, Loc] = {}
    question_ids: dict[str, Loc] = {}
    for a, area in _items(data.get("areas")):
        if not isinstance(area, dict):
            continue
        aloc: Loc = ("areas", a)
        area_id = area.get("id")
        if isinstance(area_id, str):
            _unique(problems, area_ids, area_id, (*aloc, "id"), "area")
        for e, element in _items(area.get("elements")):
            if isinstance(element, dict):
                eloc: Loc = (*aloc, "elements", e)
                problems += _check_element(element, eloc, area_id, element_ids)
                for q, question in _items(element.get("questions")):
                    if isinstance(question, dict):
                        qloc: Loc = (*eloc, "questions", q)
                        problems += _check_question(question, qloc, element.get("id"))
                        qid = question.get("id")
                        if isinstance(qid, str):
                            _unique(problems, question_ids, qid, (*qloc, "id"), "question")
    return problems


def _unique(problems: list[Problem], seen: dict[str, Loc], value: str, loc: Loc, what: str) -> None:
    if value in seen:
        problems.append(
            (loc, f'duplicate {what} ID "{value}" (first used at {format_loc(seen[value])})')
        )
    else:
        seen[value] = loc


def _check_scale(scale: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, value in _str_items(scale):
        if value not in DEFAULT_RESPONSE_SCALE:
            allowed = ", ".join(DEFAULT_RESPONSE_SCALE)
            problems.append(
                (("response_scale", i), f'"{value}" is not a response value ({allowed})')
            )
        elif value in seen:
            problems.append((("response_scale", i), f'"{value}" is listed twice'))
        seen.add(value)
    return problems


def _check_element(
    element: dict[str, Any], loc: Loc, area_id: Any, element_ids: dict[str, Loc]
) -> list[Problem]:
    problems: list[Problem] = []
    eid = element.get("id")
    if isinstance(eid, str):
        _unique(problems, element_ids, eid, (*loc, "id"), "element")
        if isinstance(area_id, str) and not eid.startswith(area_id + "-"):
            problems.append(
                ((*loc, "id"), f'element ID "{eid}" must start with its area ID "{area_id}-"')
            )
    for i, clause in _str_items(element.get("iso_clauses")):
        msg = reg.check_iso_clause(clause)
        if msg:
            problems.append(((*loc, "iso_clauses", i), msg))
    for i, hook in _str_items(element.get("qmsr_hooks")):
        msg = reg.check_hook(hook)
        if msg:
            problems.append(((*loc, "qmsr_hooks", i), msg))
    for i, section in _str_items(element.get("legacy_sections")):
        msg = reg.check_legacy(section)
        if msg:
            problems.append(((*loc, "legacy_sections", i), msg))
    problems += _check_confidence(element, loc)
    problems += _check_signals(element.get("risk_signals"), (*loc, "risk_signals"))
    applies = element.get("applies_if")
    if isinstance(applies, dict):
        problems += _check_applies_if(applies, (*loc, "applies_if"))
    return problems


def _check_question(question: dict[str, Any], loc: Loc, element_id: Any) -> list[Problem]:
    problems: list[Problem] = []
    qid = question.get("id")
    if (
        isinstance(qid, str)
        and isinstance(element_id, str)
        and not qid.startswith(element_id + "-Q")
    ):
        problems.append(
            ((*loc, "id"), f'question ID "{qid}" must start with its element ID "{element_id}-Q"')
        )
    seen: set[str] = set()
    for i, text in _str_items(question.get("citations")):
        try:
            parsed = reg.parse_citation(text)
        except reg.CitationError as exc:
            problems.append(((*loc, "citations", i), str(exc)))
            continue
        if str(parsed) in seen:
            problems.append(((*loc, "citations", i), f'"{text}" is cited twice'))
        seen.add(str(parsed))
    for i, section in _str_items(question.get("legacy")):
        msg = reg.check_legacy(section)
        if msg:
            problems.append(((*loc, "legacy", i), msg))
    problems += _check_confidence(question, loc)
    return problems


def _check_signals(signals: Any, loc: Loc) -> list[Problem]:
    """Each risk signal must be one the app knows (the trigger page offers only those)."""
    problems: list[Problem] = []
    known = {s.value for s in RiskSignal}
    seen: set[str] = set()
    for i, name in _str_items(signals):
        if name not in known:
            problems.append(((*loc, i), f'unknown risk signal "{name}" (known: '
                                        f'{", ".join(s.value for s in RiskSignal)})'))
        elif name in seen:
            problems.append(((*loc, i), f'"{name}" is listed twice'))
        seen.add(name)
    return problems


def _check_confidence(item: dict[str, Any], loc: Loc) -> list[Problem]:
    if item.get("confidence") == "unconfirmed" and not item.get("note"):
        return [
            (
                (*loc, "confidence"),
                'confidence "unconfirmed" needs a note saying what is unconfirmed',
            )
        ]
    return []


def _check_applies_if(applies: dict[str, Any], loc: Loc) -> list[Problem]:
    problems: list[Problem] = []
    groups = [k for k in ("any_of", "all_of") if k in applies]
    if len(groups) != 1:
        problems.append((loc, "applies_if needs exactly one of any_of or all_of"))
    for group in groups:
        conditions = applies.get(group)
        if isinstance(conditions, list) and not conditions:
            problems.append(((*loc, group), "must not be empty"))
        for c, cond in _items(conditions):
            if isinstance(cond, dict):
                problems += _check_condition(cond, (*loc, group, c))
    return problems


def _check_condition(cond: dict[str, Any], loc: Loc) -> list[Problem]:
    name = cond.get("field")
    if not isinstance(name, str):
        return []
    if name not in PROFILE_FIELDS:
        known = ", ".join(PROFILE_FIELDS)
        return [((*loc, "field"), f'unknown site profile field "{name}" (known: {known})')]
    tests = [k for k in ("is", "contains_any") if k in cond]
    if len(tests) != 1:
        return [(loc, 'a condition needs exactly one of "is" or "contains_any"')]
    if name in PROFILE_BOOL_FIELDS and tests[0] != "is":
        return [((*loc, tests[0]), f'"{name}" is true or false: test it with "is"')]
    if name in PROFILE_LIST_FIELDS:
        if tests[0] != "contains_any":
            return [((*loc, tests[0]), f'"{name}" is a list: test it with "contains_any"')]
        return [
            ((*loc, "contains_any", i), f'"{v}" is not a device class (I, II or III)')
            for i, v in _str_items(cond.get("contains_any"))
            if v not in DEVICE_CLASSES
        ]
    return []
