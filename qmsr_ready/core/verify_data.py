"""Does the data still say what the audit trail says? A replay, compared row by row.

Every service write appends an event whose ``changes`` are ``{field: [old, new]}``. Replaying the
trail in order therefore rebuilds, for every audited entity, the value each audited field must
have now; a row that differs was changed behind the application's back, a row with no trail was
added behind its back, and an entity the trail says exists but has no row was deleted. Nothing
here depends on a service's exact change set: any field named in the trail that is a column of
the entity's table is compared. Conventions the replay relies on (kept by every service):

- an action ending in ``.create``, ``.raise``, ``.attach``, ``.snapshot`` or ``.add`` starts an
  entity afresh; one ending in ``.delete`` or ``.remove`` ends it;
- entity IDs: a site or inspection by its code, a response ``<inspection>/<question>``, a
  finding, evidence, request or scribe note ``<inspection>/<code>``, an element or roster entry
  ``<inspection>/<element or area>``, a template ``<key>@<version>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, inspect, text
from sqlalchemy.orm import Session

from qmsr_ready.core.damaged import find_damaged
from qmsr_ready.core.models import Base, UTCDateTime
from qmsr_ready.core.row_state import (
    ELEMENTS,
    ITEMS,
    MOVES,
    SIGNOFFS,
    SPECS,
    STATE_KEY,
    all_states,
    differing,
    digest,
    element_states,
    request_history_states,
    signoff_states,
)
from qmsr_ready.core.template_content import canonical_json, content_sha256

_STARTS = ("create", "raise", "attach", "snapshot", "add")
_ENDS = ("delete", "remove")
# Fields a freshly created response has before its first recorded change.
_RESPONSE_DEFAULTS: dict[str, Any] = {
    "result": "not_assessed", "notes": "", "sample_population": None, "sample_size": None,
    "records_reviewed": "", "interviewees": "",
}
_DAY_DEFAULTS: dict[str, dict[str, Any]] = {
    "request": {"presented_at": None, "finding_codes": []},
    "roster": {"presenter": "", "backup": "", "storyboard": "", "prepared": False, "notes": ""},
}
MAX_PROBLEMS = 50


@dataclass
class _Entity:
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
class _Trail:
    """The replayed state: entity type → entity ID → what the trail says."""

    entities: dict[str, dict[str, _Entity]] = field(default_factory=dict)
    signoffs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    event_count: int = 0
    # "<inspection>/<element>" -> the element row's hash, from the latest event that recorded it
    element_states: dict[str, str] = field(default_factory=dict)
    first_state_at: str = ""  # when the first event that records row states was written

    def get(self, kind: str, key: str) -> _Entity | None:
        return self.entities.get(kind, {}).get(key)


def replay(events: Iterable[Any]) -> _Trail:
    """Rebuild every entity's audited fields from events (rows with action/entity/changes)."""
    trail = _Trail()
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
            ent = by_id[ev.entity_id] = _Entity()
        if verb in _ENDS:
            by_id[ev.entity_id] = _Entity(alive=False)
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


def _end_children(trail: _Trail, code: str) -> None:
    """A deleted inspection takes its rows with it (its responses, elements, findings…)."""
    prefix = f"{code}/"
    for by_id in trail.entities.values():
        for key in by_id:
            if key.startswith(prefix):
                by_id[key] = _Entity(alive=False)
    trail.element_states = {k: v for k, v in trail.element_states.items()
                            if not k.startswith(prefix)}
    trail.signoffs.pop(code, None)


def _replay_state(trail: _Trail, ent: _Entity, kind: str, entity_id: str,
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


def _replay_request(ent: _Entity, action: str, changes: dict[str, Any]) -> None:
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


def normalised(table: str, name: str, value: Any) -> Any:
    """A raw stored value as the trail would hold it for that column (``<unreadable: …>`` when
    it cannot be read as the column's type)."""
    columns = Base.metadata.tables[table].columns
    if value is None or name not in columns:
        return value
    col_type = columns[name].type
    try:
        if isinstance(col_type, Boolean):
            return bool(value) if value in (0, 1) else value
        if isinstance(col_type, UTCDateTime | DateTime):
            parsed = dt.datetime.fromisoformat(str(value))
            return (parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None
                    else parsed.astimezone(dt.UTC)).isoformat()
        if isinstance(col_type, Date):
            return dt.date.fromisoformat(str(value)).isoformat()
        if isinstance(col_type, Integer):
            return value
        if type(col_type).__name__ == "JSON" and isinstance(value, str | bytes):
            return json.loads(value)
    except (ValueError, TypeError):
        return f"<unreadable: {value!r}>"
    return value


def _normaliser(table: str) -> Callable[[str, Any], Any]:
    """Turn a raw stored value into what the trail would hold for that column."""

    def norm(name: str, value: Any) -> Any:
        return normalised(table, name, value)

    return norm


def _same(a: Any, b: Any) -> bool:
    if a == b and type(a) is type(b):
        return True
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, ValueError):
        return False


def _short(value: Any) -> str:
    out = json.dumps(value, ensure_ascii=False, default=str)
    return out if len(out) <= 60 else out[:57] + "..."


class _Checker:
    """Compares rows with the replayed trail and collects one line per problem."""

    def __init__(self, session: Session, trail: _Trail) -> None:
        self.s = session
        self.trail = trail
        self.problems: list[str] = []
        self.named: set[tuple[str, str, str]] = set()  # (kind, key, field) already reported

    def add(self, line: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(line)

    def rows(self, sql: str) -> list[Any]:
        return list(self.s.execute(text(sql)))

    def compare(
        self, kind: str, table: str, rows: dict[str, dict[str, Any]],
        specials: dict[str, Callable[[dict[str, Any]], Any] | None] | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> None:
        """Fields named in the trail must match the rows; rows and live entities must pair."""
        norm = _normaliser(table)
        columns = Base.metadata.tables[table].columns
        specials = specials or {}
        known = self.trail.entities.get(kind, {})
        for key, row in rows.items():
            ent = known.get(key)
            if ent is None or not ent.alive:
                gone = " after the trail deleted it" if ent is not None else ""
                self.add(f"{kind} {key} has no audit record{gone}: it was added behind the "
                         "application's back (or its audit events were deleted)")
                continue
            expected = {**(defaults or {}), **ent.fields}
            for name, want in expected.items():
                if name in ent.stale:
                    continue
                if name in specials:
                    getter = specials[name]
                    if getter is None:
                        continue
                    have = getter(row)
                elif name in columns and name in row:
                    have = norm(name, row[name])
                else:
                    continue
                if not _same(have, want):
                    self.named.add((kind, key, name))
                    self.add(f"{kind} {key}: {name} is {_short(have)} but the audit trail says "
                             f"{_short(want)} (changed behind the application's back)")
        for key, ent in known.items():
            if ent.alive and key not in rows:
                self.add(f"{kind} {key} is in the audit trail but its row is missing (deleted "
                         "behind the application's back)")


def _keyed(rows: Iterable[Any], key: Callable[[Any], str]) -> dict[str, dict[str, Any]]:
    return {key(r): dict(r._mapping) for r in rows}


def _day_key(column: str) -> Callable[[Any], str]:
    """Key an inspection-day row by its inspection's code and its own ``column``."""
    return lambda r: f"{r.insp}/{getattr(r, column)}"


def check_data(session: Session, trail: _Trail) -> list[str]:
    """Every problem found between the rows and the replayed trail, one line each."""
    c = _Checker(session, trail)
    present = set(inspect(session.connection()).get_table_names())  # either backend
    missing = sorted(set(Base.metadata.tables) - present)
    for name in missing:
        c.add(f"table {name} is missing (dropped behind the application's back)")
    if missing:
        return c.problems
    damaged = find_damaged(session, limit=MAX_PROBLEMS)
    for value in damaged:
        c.add(f"damaged value: {value}")
    if damaged:  # reading the rows as data would stop on them; the damage is the finding
        c.add("the data was not compared with the audit trail because values are damaged")
        return c.problems
    _check_sites_inspections(c)
    _check_children(c)
    _check_day(c)
    _check_templates_and_blobs(c)
    _check_states(c)
    holds_data = bool(c.rows("SELECT 1 FROM sites LIMIT 1")) or bool(
        c.rows("SELECT 1 FROM checklist_templates LIMIT 1")
    )
    if holds_data and trail.event_count == 0:
        c.problems.insert(
            0, "the audit trail is empty but the workspace holds data: its events were deleted"
        )
    return c.problems


def _check_sites_inspections(c: _Checker) -> None:
    sites = _keyed(c.rows("SELECT * FROM sites"), lambda r: r.code)
    c.compare("site", "sites", sites)
    insp_rows = c.rows(
        "SELECT i.*, s.code AS site_code, t.key || '@' || t.version AS template_ref,"
        " t.sha256 AS template_sha FROM inspections i LEFT JOIN sites s ON s.id = i.site_id"
        " LEFT JOIN checklist_templates t ON t.id = i.template_id"
    )
    inspections = _keyed(insp_rows, lambda r: r.code)
    c.compare("inspection", "inspections", inspections, specials={
        "site": lambda r: r["site_code"],
        "template": lambda r: r["template_ref"],
        "template_sha256": lambda r: r["template_sha"],
        "selected_elements": None,  # checked per element below
        "not_applicable_elements": None,
    })
    _check_elements(c)
    _check_signoffs(c, inspections)


def _check_elements(c: _Checker) -> None:
    rows = c.rows(
        "SELECT i.code AS insp, e.element_id, e.selected, e.applicable, e.reason"
        " FROM inspection_elements e JOIN inspections i ON i.id = e.inspection_id"
    )
    norm = _normaliser("inspection_elements")
    for r in rows:
        key = f"{r.insp}/{r.element_id}"
        insp = c.trail.get("inspection", r.insp)
        if insp is None:
            continue
        expected: dict[str, Any] = {}
        selected = insp.fields.get("selected_elements")
        not_applicable = insp.fields.get("not_applicable_elements")
        if isinstance(selected, list):
            expected["selected"] = r.element_id in selected
        if isinstance(not_applicable, list):
            expected["applicable"] = r.element_id not in not_applicable
        ent = c.trail.get("inspection_element", key)
        if ent is not None:
            expected.update({k: v for k, v in ent.fields.items() if k not in ent.stale})
        row = dict(r._mapping)
        for name, want in expected.items():
            if name in row and not _same(norm(name, row[name]), want):
                c.add(f"inspection_element {key}: {name} is {_short(norm(name, row[name]))} but "
                      f"the audit trail says {_short(want)} (changed behind the application's "
                      "back)")


def _check_signoffs(c: _Checker, inspections: dict[str, dict[str, Any]]) -> None:
    rows = c.rows(
        "SELECT i.code AS insp, so.name, so.meaning, so.superseded_at FROM signoffs so"
        " JOIN inspections i ON i.id = so.inspection_id ORDER BY so.id"
    )
    stored: dict[str, list[tuple[str, str]]] = {}
    active: dict[str, int] = {}
    for r in rows:
        stored.setdefault(r.insp, []).append((r.name, r.meaning))
        active[r.insp] = active.get(r.insp, 0) + (r.superseded_at is None)
    for code in set(stored) | set(c.trail.signoffs):
        if code in inspections and stored.get(code, []) != c.trail.signoffs.get(code, []):
            c.add(f"inspection {code}: its sign-offs do not match the audit trail (a signature "
                  "was added, edited or removed behind the application's back)")
    for code, row in inspections.items():
        signed = row["status"] == "signed_off"
        if signed != (active.get(code, 0) == 1) and code in stored | c.trail.signoffs:
            c.add(f"inspection {code}: status {row['status']!r} does not match its sign-offs")


def _check_children(c: _Checker) -> None:
    responses = _keyed(c.rows(
        "SELECT r.*, i.code AS insp FROM responses r JOIN inspections i ON i.id = r.inspection_id"
    ), lambda r: f"{r.insp}/{r.question_id}")
    c.compare("response", "responses", responses, defaults=_RESPONSE_DEFAULTS)
    _check_revisions(c, "response", responses)
    links = c.rows("SELECT finding_id, question_id FROM finding_questions ORDER BY id")
    qids: dict[int, list[str]] = {}
    for link in links:
        qids.setdefault(link.finding_id, []).append(link.question_id)
    findings = _keyed(c.rows(
        "SELECT f.*, i.code AS insp FROM findings f JOIN inspections i ON i.id = f.inspection_id"
    ), lambda r: f"{r.insp}/{r.code}")
    c.compare("finding", "findings", findings,
              specials={"question_ids": lambda r: qids.get(r["id"], [])})
    _check_revisions(c, "finding", findings)
    labels: dict[int, list[str]] = {}  # a list: a duplicated link row must show
    codes = {r["id"]: r["code"] for r in findings.values()}
    for link in c.rows("SELECT evidence_id, question_id, finding_id FROM evidence_links"):
        label = (f"question {link.question_id}" if link.question_id is not None
                 else f"finding {codes.get(link.finding_id, link.finding_id)}")
        labels.setdefault(link.evidence_id, []).append(label)
    evidence = _keyed(c.rows(
        "SELECT e.*, i.code AS insp FROM evidence e JOIN inspections i ON i.id = e.inspection_id"
    ), lambda r: f"{r.insp}/{r.code}")
    c.compare("evidence", "evidence", evidence)
    for key, row in evidence.items():
        ent = c.trail.get("evidence", key)
        if ent is not None and ent.alive and sorted(labels.get(row["id"], [])) != sorted(
                ent.links):
            c.add(f"evidence {key}: its links {sorted(labels.get(row['id'], []))} do not "
                  f"match the audit trail {sorted(ent.links)} (changed behind the application's "
                  "back)")


def _check_day(c: _Checker) -> None:
    """Inspection-day records: the request log, scribe notes and the SME roster."""
    for kind, table, key in (("request", "document_requests", "code"),
                             ("note", "scribe_notes", "code"),
                             ("roster", "sme_roster", "area_id")):
        # Fields a new request or roster entry has before its first recorded change.
        defaults = _DAY_DEFAULTS.get(kind)
        rows = _keyed(c.rows(
            f"SELECT t.*, i.code AS insp FROM {table} t"  # table names are fixed above
            " JOIN inspections i ON i.id = t.inspection_id"
        ), _day_key(key))
        c.compare(kind, table, rows, defaults=defaults)
        _check_revisions(c, kind, rows)
        if kind == "request":
            _check_request_history(c, rows)


def _check_request_history(c: _Checker, rows: dict[str, dict[str, Any]]) -> None:
    """A request's stamped moves and the items recorded as shown must match the trail."""
    by_id = {row["id"]: key for key, row in rows.items()}
    moves: dict[str, list[list[Any]]] = {key: [] for key in rows}
    items: dict[str, list[list[Any]]] = {key: [] for key in rows}
    at_norm = _normaliser("request_moves")
    for m in c.rows("SELECT request_id, status, at FROM request_moves ORDER BY id"):
        if m.request_id in by_id:
            moves[by_id[m.request_id]].append([m.status, at_norm("at", m.at)])
    for i in c.rows("SELECT request_id, document_id, version, sha256 FROM presented_items"
                    " ORDER BY id"):
        if i.request_id in by_id:
            items[by_id[i.request_id]].append([i.document_id, i.version, i.sha256 or ""])
    for key in rows:
        ent = c.trail.get("request", key)
        if ent is None or not ent.alive or "moves" not in ent.extra:
            continue
        want_moves: list[list[Any]] = ent.extra["moves"]
        have_moves = moves[key]
        same = len(want_moves) == len(have_moves) and all(
            w[0] == h[0] and (w[1] is None or _same(h[1], w[1]))
            for w, h in zip(want_moves, have_moves, strict=True))
        if not same:
            c.add(f"request {key}: its moves {_short(have_moves)} do not match the audit trail "
                  f"{_short(want_moves)} (a move was changed, added or deleted behind the "
                  "application's back)")
        want_items = [[str(v or "") for v in i[:3]] for i in ent.extra.get("items", [])]
        if items[key] != want_items:
            c.add(f"request {key}: the items recorded as shown {_short(items[key])} do not "
                  f"match the audit trail {_short(want_items)} (changed, added or deleted behind "
                  "the application's back)")


def _check_revisions(c: _Checker, kind: str, rows: dict[str, dict[str, Any]]) -> None:
    """A row's revision counts its audited saves (a save whose event was deleted shows)."""
    for key, row in rows.items():
        ent = c.trail.get(kind, key)
        if ent is not None and ent.alive and row["revision"] != ent.events:
            c.add(f"{kind} {key}: revision {row['revision']} but the audit trail records "
                  f"{ent.events} saves (changed behind the application's back)")


def _check_templates_and_blobs(c: _Checker) -> None:
    stored: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    for r in c.rows("SELECT key, version, title, content, sha256 FROM checklist_templates"):
        ref = f"{r.key}@{r.version}"
        stored.setdefault(ref, set()).add(r.sha256)
        titles.setdefault(ref, set()).add(r.title)
        try:
            content = json.loads(r.content) if isinstance(r.content, str) else r.content
            actual = content_sha256(content)
        except (ValueError, TypeError):
            actual = "unreadable"
        if actual != r.sha256:
            c.add(f"template {ref}: its content no longer matches its SHA-256 (edited behind "
                  "the application's back)")
    known = c.trail.entities.get("template", {})
    for ref, shas in stored.items():
        ent = known.get(ref)
        if ent is None:
            c.add(f"template {ref} has no audit record: it was added behind the application's "
                  "back (or its audit events were deleted)")
        elif ent.fields.get("sha256") not in shas:
            c.add(f"template {ref}: stored SHA-256 does not match the audit trail")
        elif "title" in ent.fields and ent.fields["title"] not in titles[ref]:
            c.add(f"template {ref}: title is {_short(sorted(titles[ref]))} but the audit trail "
                  f"says {_short(ent.fields['title'])} (changed behind the application's back)")
    for ref, ent in known.items():
        if ent.alive and ref not in stored:
            c.add(f"template {ref} is in the audit trail but its row is missing (deleted behind "
                  "the application's back)")
    for r in c.rows("SELECT i.code AS insp, e.code, e.sha256 FROM evidence e"
                    " JOIN inspections i ON i.id = e.inspection_id"
                    " LEFT JOIN evidence_blobs b ON b.sha256 = e.sha256 WHERE b.sha256 IS NULL"):
        c.add(f"evidence {r.insp}/{r.code}: its stored file {str(r.sha256)[:12]} is missing "
              "(deleted behind the application's back)")
    for r in c.s.execute(text("SELECT sha256, size, data FROM evidence_blobs")):
        data = r.data if isinstance(r.data, bytes) else b""
        if hashlib.sha256(data).hexdigest() != r.sha256 or len(data) != r.size:
            c.add(f"evidence file {r.sha256[:12]}: its stored bytes no longer match their SHA-256 "
                  "(edited behind the application's back)")


def _check_states(c: _Checker) -> None:
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


def _check_request_history_states(c: _Checker) -> None:
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


def coverage_notes(trail: _Trail) -> list[str]:
    """What the trail could not vouch for: rows whose last event predates row states."""
    stateless = [
        (kind, ent.extra.get("stateless_at", ""))
        for kind, by_id in trail.entities.items() if kind in SPECS
        for ent in by_id.values() if ent.alive and "state" in ent.extra
        and ent.extra["state"] is None
    ]
    if not stateless:
        return []
    before = trail.first_state_at[:10] or max(at for _kind, at in stateless)[:10]
    kinds = ", ".join(sorted({kind for kind, _at in stateless}))
    return [
        f"{len(stateless)} records ({kinds}) were last changed by audit events written before "
        f"row states were recorded: their fields the events do not name (such as who assessed "
        f"a response and when) are not covered by the trail before {before or 'this version'}"
    ]
