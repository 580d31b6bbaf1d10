"""What a row looked like when its latest audit event was written: one short hash per column.

The trail's ``{field: [old, new]}`` pairs name only what a service changed, so fields it sets
on the side (who assessed, when a finding closed, who added evidence, an element's reason, a
signature's time) would escape ``verify``. ``append_event`` therefore records the state of the
entity it describes under ``changes["_state"]``: read back from the row just flushed, or, on the
response save path, computed from the values just written (``state_of``: no read-back); ``verify``
reads the same rows the same way and names every column whose hash differs. One column hash is
12 hex characters, so an event grows by a few hundred bytes and costs one indexed SELECT.

Both sides use the same SQL and the same normalisation (``verify_data.normalised``), so the
result does not depend on the database driver's value types.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from qmsr_ready.core.template_content import canonical_json

STATE_KEY = "_state"
ELEMENTS = "elements"  # an inspection's state: {element ID: hash of that element's row}
SIGNOFFS = "signoffs"  # an inspection's state: hash of all its sign-off rows, in order
MOVES = "moves"  # a request's state: hash of its stamped moves (status, when, by whom), in order
ITEMS = "items"  # a request's state: hash of the items recorded as shown (every column), in order
_HISTORY = {  # a request's history tables: state key -> SQL of its rows in order
    MOVES: ("request_moves", "SELECT t.*, i.code AS insp, r.code AS req FROM request_moves t"),
    ITEMS: ("presented_items", "SELECT t.*, i.code AS insp, r.code AS req FROM presented_items t"),
}
_DIGEST_LEN = 12
# Internal row IDs, and columns other entities' events legitimately change (an inspection is
# "touched" by every response save and element change, which are audited on their own).
_SKIP = frozenset({"id", "inspection_id", "insp", "request_id", "req"})
_SKIP_BY_KIND = {"inspection": frozenset({"updated_at", "revision"})}


@dataclass(frozen=True)
class _Spec:
    """How one audited entity type maps to its row: table, SQL and how the key splits."""

    table: str
    sql: str  # selects the table's columns (alias t) plus ``insp`` when it has a parent
    key_columns: tuple[str, ...]  # what the entity ID "<a>/<b>" binds to, in order

    def where(self) -> str:
        return " AND ".join(f"{c} = :k{i}" for i, c in enumerate(self.key_columns))


def _child(table: str, key: str) -> _Spec:
    return _Spec(
        table,
        f"SELECT t.*, i.code AS insp FROM {table} t JOIN inspections i ON i.id = t.inspection_id",
        ("i.code", f"t.{key}"),
    )


SPECS: dict[str, _Spec] = {
    "site": _Spec("sites", "SELECT t.* FROM sites t", ("t.code",)),
    "inspection": _Spec("inspections", "SELECT t.* FROM inspections t", ("t.code",)),
    "inspection_element": _Spec(
        "inspection_elements",
        "SELECT t.element_id, t.selected, t.applicable, t.reason, i.code AS insp"
        " FROM inspection_elements t JOIN inspections i ON i.id = t.inspection_id",
        ("i.code", "t.element_id"),
    ),
    "response": _child("responses", "question_id"),
    "finding": _child("findings", "code"),
    "evidence": _child("evidence", "code"),
    "request": _child("document_requests", "code"),
    "note": _child("scribe_notes", "code"),
    "roster": _child("sme_roster", "area_id"),
}


def digest(value: Any) -> str:
    """A short hash of one normalised value."""
    raw = canonical_json(value).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:_DIGEST_LEN]


def _column_digest(table: str, name: str, value: Any) -> str:
    from qmsr_ready.core.verify_data import normalised  # verify_data imports nothing from here

    return digest(normalised(table, name, value))


# A save hashes mostly values it hashed before (the result, an empty field, the assessor): short
# scalars are remembered (typed: True and 1 are different keys), long text is not kept.
_recent_digest = functools.lru_cache(maxsize=512, typed=True)(_column_digest)
_REMEMBER_LEN = 200  # longer text is hashed each time, not kept (_saved_row_state)


def _save_digest(table: str, name: str, value: Any) -> str:
    """A column's digest as a save takes it: remembered for short scalars."""
    return _saved_row_state(frozenset(), table, {name: value})[name]


def _fresh_digest(table: str, name: str, value: Any) -> str:
    """The digest of a value a save does not remember (long text, a timestamp, ...)."""
    if type(value) is dt.datetime and value.tzinfo is not None and _is_datetime(table, name):
        # what normalised() makes of an aware datetime in a timestamp column, without parsing
        # its text back (a save stamps one per row): its UTC ISO form, a JSON string that
        # needs no escaping
        text = value.astimezone(dt.UTC).isoformat()
        return hashlib.sha256(f'"{text}"'.encode()).hexdigest()[:_DIGEST_LEN]
    return _column_digest(table, name, value)


@functools.cache
def _is_datetime(table: str, name: str) -> bool:
    """True when the column stores timestamps (``verify_data.normalised`` reads them as such)."""
    from sqlalchemy import DateTime

    from qmsr_ready.core.models import Base, UTCDateTime

    columns = Base.metadata.tables[table].columns
    return name in columns and isinstance(columns[name].type, UTCDateTime | DateTime)


@functools.cache
def _skipped(kind: str) -> frozenset[str]:
    return _SKIP | _SKIP_BY_KIND.get(kind, frozenset())


def _row_state(kind: str, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    skip = _skipped(kind)
    return {
        name: _column_digest(table, name, value)
        for name, value in row.items() if name not in skip
    }


def _key_parts(kind: str, entity_id: str) -> list[str] | None:
    spec = SPECS[kind]
    parts = entity_id.split("/", 1) if len(spec.key_columns) == 2 else [entity_id]
    return parts if len(parts) == len(spec.key_columns) else None


def entity_state(session: Session, kind: str, entity_id: str) -> dict[str, Any] | None:
    """The state of one audited entity as its row now stands, or None (not a row entity,
    or the row is gone: an event that deletes it)."""
    spec = SPECS.get(kind)
    parts = _key_parts(kind, entity_id) if spec is not None else None
    if spec is None or parts is None:
        return None
    params = {f"k{i}": part for i, part in enumerate(parts)}
    row = session.execute(text(f"{spec.sql} WHERE {spec.where()}"), params).first()
    if row is None:
        return None
    state = _row_state(kind, spec.table, dict(row._mapping))
    if kind == "inspection":
        state[ELEMENTS] = element_states(session, entity_id)
        state[SIGNOFFS] = signoff_states(session).get(entity_id, digest([]))
    elif kind == "request":
        state.update(request_history_states(session, entity_id).get(entity_id, {}))
    return state


def state_of(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The state ``entity_state`` would read back, from the values just written (no SELECT).

    ``row`` holds every column of the entity's table as Python values (the save path knows
    them all); a missing or extra column is a programming error, so it raises ``KeyError``
    rather than recording a state that ``verify`` would then report as tampering.
    """
    spec = SPECS[kind]
    if kind == "inspection":  # its state includes element and sign-off rows: read them back
        raise KeyError("an inspection's state is read back with entity_state")
    columns = _column_set(spec.table)
    if row.keys() != columns:
        raise KeyError(f"{kind} state needs the columns {sorted(columns ^ set(row))}")
    return _saved_row_state(_skipped(kind), spec.table, row)


def _saved_row_state(skip: frozenset[str], table: str, row: Mapping[str, Any]
                     ) -> dict[str, str]:
    """``_row_state`` as a save takes it: short scalars (None, int, str up to
    ``_REMEMBER_LEN``) hashed once and remembered, the rest each time (``_fresh_digest``; not
    floats: -0.0 == 0.0, yet their JSON differs). The rule is inlined in the loop: a save
    hashes ten columns, and a call per column was most of the cost."""
    recent = _recent_digest
    state: dict[str, str] = {}
    for name, value in row.items():
        if name in skip:
            continue
        kind = type(value)
        if kind is int or value is None or (kind is str and len(value) <= _REMEMBER_LEN):
            state[name] = recent(table, name, value)
        else:
            state[name] = _fresh_digest(table, name, value)
    return state


@functools.cache
def _column_set(table: str) -> frozenset[str]:
    """The table's column names (the schema is fixed once the models are imported)."""
    return frozenset(_table_columns(table))


def _table_columns(table: str) -> list[str]:
    from qmsr_ready.core.models import Base

    return [c.name for c in Base.metadata.tables[table].columns]


def all_states(session: Session, kind: str) -> dict[str, dict[str, Any]]:
    """Every row of an entity type, keyed by entity ID, in the form ``entity_state`` gives."""
    spec = SPECS[kind]
    out: dict[str, dict[str, Any]] = {}
    for row in session.execute(text(spec.sql)):
        values = dict(row._mapping)
        key = _entity_id(kind, values)
        out[key] = _row_state(kind, spec.table, values)
    return out


def _entity_id(kind: str, values: dict[str, Any]) -> str:
    column = SPECS[kind].key_columns[-1].split(".", 1)[1]
    own = str(values[column])
    return f"{values['insp']}/{own}" if "insp" in values else own


def element_states(session: Session, inspection_code: str | None = None) -> dict[str, Any]:
    """Element rows' hashes: ``{element ID: hash}`` for one inspection, or
    ``{"<inspection>/<element ID>": hash}`` for all."""
    spec = SPECS["inspection_element"]
    sql, params = spec.sql, {}
    if inspection_code is not None:
        sql, params = f"{sql} WHERE i.code = :code", {"code": inspection_code}
    out: dict[str, Any] = {}
    for row in session.execute(text(sql), params):
        values = dict(row._mapping)
        key = str(values["element_id"])
        if inspection_code is None:
            key = f"{values['insp']}/{key}"
        out[key] = digest(sorted(_row_state("inspection_element", spec.table, values).items()))
    return out


def signoff_states(session: Session) -> dict[str, str]:
    """Each inspection's sign-off rows (name, meaning, times, reason) as one hash."""
    rows = session.execute(text(
        "SELECT i.code AS insp, t.* FROM signoffs t JOIN inspections i ON i.id = t.inspection_id"
        " ORDER BY t.id"
    ))
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        values = dict(row._mapping)
        state = _row_state("signoff", "signoffs", values)
        grouped.setdefault(str(values["insp"]), []).append(sorted(state.items()))
    return {code: digest(items) for code, items in grouped.items()}


def request_history_states(session: Session,
                           entity_id: str | None = None) -> dict[str, dict[str, str]]:
    """Each request's moves and items shown as hashes: ``{"<insp>/<code>": {MOVES, ITEMS}}``
    (every request when ``entity_id`` is None); a request with none of them gets the empty hash."""
    where, params = "", {}
    if entity_id is not None:
        parts = _key_parts("request", entity_id)
        if parts is None:
            return {}
        where, params = " WHERE i.code = :k0 AND r.code = :k1", {"k0": parts[0], "k1": parts[1]}
    out: dict[str, dict[str, str]] = {}
    for name, (table, select) in _HISTORY.items():
        grouped: dict[str, list[Any]] = {}
        for row in session.execute(text(
            f"{select} JOIN document_requests r ON r.id = t.request_id"
            f" JOIN inspections i ON i.id = r.inspection_id{where} ORDER BY t.id"
        ), params):
            values = dict(row._mapping)
            key = f"{values['insp']}/{values['req']}"
            grouped.setdefault(key, []).append(sorted(_row_state("", table, values).items()))
        for key, rows in grouped.items():
            out.setdefault(key, {})[name] = digest(rows)
    if entity_id is not None:
        out.setdefault(entity_id, {})
    for hashes in out.values():
        for name in _HISTORY:
            hashes.setdefault(name, digest([]))
    return out


def differing(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Column names whose recorded hash differs from the row's (added or missing ones too)."""
    names: Iterable[str] = sorted(set(expected) | set(actual))
    return [n for n in names if n != ELEMENTS and expected.get(n) != actual.get(n)]
