"""Replays the audit trail into what each audited entity must look like now.

Split out of ``verify_data`` so the rules for reading the trail (which actions start or end an
entity, how a request's moves and shown items are rebuilt, which row state an event recorded)
live apart from the comparison with the rows and its wording. Conventions the replay relies on
(kept by every service):

- an action ending in ``.create``, ``.raise``, ``.attach``, ``.snapshot`` or ``.add`` starts an
  entity afresh; one ending in ``.delete`` or ``.remove`` ends it;
- entity IDs: a site or inspection by its code, a response ``<inspection>/<question>``, a
  finding, evidence, request or scribe note ``<inspection>/<code>``, an element or roster entry
  ``<inspection>/<element or area>``, a template ``<key>@<version>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qmsr_ready.core.row_state import ELEMENTS, STATE_KEY, digest

_STARTS = ("create", "raise", "attach", "snapshot", "add")
_ENDS = ("delete", "remove")


@dataclass
class Entity:
    """What the trail says about one entity."""

    alive: bool = True
    fields: dict[str, Any] = field(default_factory=dict)
    events: int = 0  # since it was (re)created
    last_actor: str = ""
    links: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)
    # Fields an earlier event named but a later one, recording the row's state, left unnamed:
    # it may have set them on the side (a save after a restore stamps a new assessor), so the
    # named value is stale and the state hash vouches for them instead.
    stale: set[str] = field(default_factory=set)


@dataclass
class Trail:
    """The replayed state: entity type → entity ID → what the trail says."""

    entities: dict[str, dict[str, Entity]] = field(default_factory=dict)
    signoffs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    event_count: int = 0
    # "<inspection>/<element>" -> the element row's hash, from the latest event that recorded it
    element_states: dict[str, str] = field(default_factory=dict)
    first_state_at: str = ""  # when the first event that records row states was written

    def get(self, kind: str, key: str) -> Entity | None:
        return self.entities.get(kind, {}).get(key)


def replay(events: Iterable[Any]) -> Trail:
    """Rebuild every entity's audited fields from events (rows with action/entity/changes)."""
    trail = Trail()
    for ev in events:
        trail.event_count += 1
        try:
            changes = json.loads(ev.changes) if isinstance(ev.changes, str) else ev.changes
        except ValueError:
            changes = {}
        if not isinstance(changes, dict):
            changes = {}
        kind = str(ev.entity_type)
        verb = str(ev.action).rsplit(".", 1)[-1]
        by_id = trail.entities.setdefault(kind, {})
        ent = by_id.get(ev.entity_id)
        if ent is None or verb in _STARTS:
            ent = by_id[ev.entity_id] = Entity()
        if verb in _ENDS:
            by_id[ev.entity_id] = Entity(alive=False)
            if kind == "inspection":
                _end_children(trail, str(ev.entity_id))
            continue
        ent.alive = True
        ent.events += 1
        ent.last_actor = str(ev.actor)
        _replay_state(trail, ent, kind, str(ev.entity_id), changes, getattr(ev, "at", None))
        state = changes.get(STATE_KEY)
        if isinstance(state, dict):
            ent.stale |= {name for name in ent.fields if name in state and name not in changes}
        ent.stale -= changes.keys()
        for name, pair in changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                if name == "linked_to":
                    old, new = pair
                    if old:
                        ent.links.discard(str(old))
                    if new:
                        ent.links.add(str(new))
                else:
                    ent.fields[name] = pair[1]
        if ev.action == "inspection.sign_off":
            trail.signoffs.setdefault(ev.entity_id, []).append(
                (str(_new(changes, "signed_by")), str(_new(changes, "meaning")))
            )
        if ev.action == "inspection.create":
            ent.fields.setdefault("status", "planned")
        if kind == "request":
            _replay_request(ent, str(ev.action), changes)
    return trail


def _end_children(trail: Trail, code: str) -> None:
    """A deleted inspection takes its rows with it (its responses, elements, findings…)."""
    prefix = f"{code}/"
    for by_id in trail.entities.values():
        for key in by_id:
            if key.startswith(prefix):
                by_id[key] = Entity(alive=False)
    trail.element_states = {k: v for k, v in trail.element_states.items()
                            if not k.startswith(prefix)}
    trail.signoffs.pop(code, None)


def _replay_state(trail: Trail, ent: Entity, kind: str, entity_id: str,
                  changes: dict[str, Any], at: Any) -> None:
    """Remember the row state the event recorded (or that it recorded none, and when)."""
    state = changes.get(STATE_KEY)
    if not isinstance(state, dict):
        ent.extra["state"] = None
        ent.extra["stateless_at"] = str(at or "")
        return
    if not trail.first_state_at:
        trail.first_state_at = str(at or "")
    ent.extra["state"] = state
    if kind == "inspection" and isinstance(state.get(ELEMENTS), dict):
        prefix = f"{entity_id}/"
        trail.element_states = {k: v for k, v in trail.element_states.items()
                                if not k.startswith(prefix)}
        for eid, value in state[ELEMENTS].items():
            trail.element_states[f"{prefix}{eid}"] = str(value)
    elif kind == "inspection_element":
        trail.element_states[entity_id] = digest(sorted(state.items()))


def _replay_request(ent: Entity, action: str, changes: dict[str, Any]) -> None:
    """Rebuild a request's moves ``[status, at or None]`` and items shown ``[doc, ver, sha]``.

    A move's time is compared when the trail names it (``moved_at``, or the requested or
    presented time it sets); trails written before ``moved_at`` was audited compare status only.
    """
    moves: list[list[Any]] = ent.extra.setdefault("moves", [])
    items: list[list[Any]] = ent.extra.setdefault("items", [])
    if action in ("request.add", "request.move"):
        at = _new(changes, "moved_at")
        status = _new(changes, "status")
        if at is None and status == "presented":
            at = _new(changes, "presented_at")
        if at is None and status != "prepared":
            at = _new(changes, "requested_at")
        moves.append([status, at])
    elif action == "request.revert_move" and moves:
        moves.pop()
    if action in ("request.move", "request.present"):
        shown = _new(changes, "presented_items")
        if isinstance(shown, list):
            items.extend(list(i) for i in shown if isinstance(i, list))
    elif action == "request.unpresent":
        pair = changes.get("presented_items")
        taken = pair[0] if isinstance(pair, list) and len(pair) == 2 else None
        if isinstance(taken, list) and taken:
            del items[-len(taken):]


def _new(changes: dict[str, Any], name: str) -> Any:
    pair = changes.get(name)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None
