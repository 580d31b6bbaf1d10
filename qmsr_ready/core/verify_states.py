"""Compares every audited row with the row-state hashes its latest audit event recorded.

Split out of ``verify_data``: field-by-field comparison covers only what events name; these
hashes cover every column, the sign-offs, a request's moves and items shown, and each element.
"""

from __future__ import annotations

from qmsr_ready.core.row_state import (
    ITEMS,
    MOVES,
    SIGNOFFS,
    SPECS,
    all_states,
    differing,
    digest,
    element_states,
    request_history_states,
    signoff_states,
)
from qmsr_ready.core.verify_compare import Checker


def check_states(c: Checker) -> None:
    """Every column of every audited row against the state its latest event recorded."""
    for kind in SPECS:
        if kind == "inspection_element":
            continue
        known = c.trail.entities.get(kind, {})
        for key, actual in all_states(c.s, kind).items():
            ent = known.get(key)
            expected = ent.extra.get("state") if ent is not None and ent.alive else None
            if not isinstance(expected, dict):
                continue
            for name in differing(expected, actual):
                if name in (SIGNOFFS, MOVES, ITEMS) or (kind, key, name) in c.named:
                    continue
                c.add(f"{kind} {key}: {name} differs from what its last audit event recorded "
                      "(changed behind the application's back)")
    signed = signoff_states(c.s)
    for key, ent in c.trail.entities.get("inspection", {}).items():
        state = ent.extra.get("state")
        if ent.alive and isinstance(state, dict) and SIGNOFFS in state and (
                signed.get(key, digest([])) != state[SIGNOFFS]):
            c.add(f"inspection {key}: its sign-offs (names, meanings, times) differ from what its "
                  "last audit event recorded (changed behind the application's back)")
    _check_request_history_states(c)
    rows = element_states(c.s)
    inspections_covered = {k.split("/", 1)[0] for k in c.trail.element_states}
    for key, want in c.trail.element_states.items():
        have = rows.get(key)
        if have is None:
            c.add(f"inspection_element {key} is in the audit trail but its row is missing "
                  "(deleted behind the application's back)")
        elif have != want:
            c.add(f"inspection_element {key}: its selection, applicability or reason differs "
                  "from what the audit trail recorded (changed behind the application's back)")
    for key in rows:
        if key.split("/", 1)[0] in inspections_covered and key not in c.trail.element_states:
            c.add(f"inspection_element {key} has no audit record: it was added behind the "
                  "application's back")


def _check_request_history_states(c: Checker) -> None:
    """Each request's moves (who, when) and items shown (by whom, when, note, file) against the
    hashes its last audit event recorded (events written before they were recorded: skipped)."""
    history = request_history_states(c.s)
    for key, ent in c.trail.entities.get("request", {}).items():
        state = ent.extra.get("state")
        if not ent.alive or not isinstance(state, dict):
            continue
        have = history.get(key, {MOVES: digest([]), ITEMS: digest([])})
        if MOVES in state and have.get(MOVES) != state[MOVES]:
            c.add(f"request {key}: its moves (status, time, who) differ from what its last audit "
                  "event recorded (changed, added or deleted behind the application's back)")
        if ITEMS in state and have.get(ITEMS) != state[ITEMS]:
            c.add(f"request {key}: the items recorded as shown (who, when, note, file) differ "
                  "from what its last audit event recorded (changed, added or deleted behind "
                  "the application's back)")
