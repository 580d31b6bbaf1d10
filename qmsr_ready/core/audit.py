"""Append-only, hash-chained audit trail.

Each event's ``hash`` is the SHA-256 of the canonical JSON of its fields plus the previous
event's hash, so editing, inserting or deleting a row behind the application's back breaks the
chain at that row. The head (last seq and hash) is also kept in ``workspace_info`` so removing the
newest events is caught too. ``verify_chain`` then replays the trail against the data rows
(``verify_data``), so a row changed, added or deleted behind the application's back is named.
A verified head is remembered per open workspace (``session.info["chain_cache"]``) and extended
by every event this process appends, so ``verify_chain(s, cached=True)`` (a report build) need
not walk the chain again; the ``verify`` command always does the full check.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, Text, bindparam, case, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from qmsr_ready.core.damaged import carry_clean
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.fields.validate import text_value
from qmsr_ready.core.lean_sql import LeanConnection, LeanStatement
from qmsr_ready.core.models import AuditEvent, WorkspaceInfo, utcnow
from qmsr_ready.core.row_state import STATE_KEY, entity_state
from qmsr_ready.core.template_content import canonical_json

if TYPE_CHECKING:
    from qmsr_ready.core.db import WriteConnection

GENESIS_HASH = "0" * 64
HEAD_SEQ_KEY = "audit_head_seq"
HEAD_HASH_KEY = "audit_head_hash"
ACTOR_ENV = "QMSR_READY_USER"
CHAIN_CACHE_KEY = "chain_cache"
# pg_advisory_xact_lock key serialising the audit head on PostgreSQL (any constant of ours)
AUDIT_LOCK_KEY = 0x514D5352  # "QMSR"
_CACHE_LIMIT = 64


def default_actor(configured: str | None = None) -> str:
    """The display name to record: the configured one, else $QMSR_READY_USER, else the OS user.

    A name that is not valid text (undecodable bytes in the variable or the login name) is
    refused in words before anything is written, where it failed with a traceback when the
    first row naming it was stored (QA 9 item 2)."""
    for where, candidate in (("The configured user name", configured),
                             (f"${ACTOR_ENV}", os.environ.get(ACTOR_ENV))):
        if candidate and candidate.strip():
            return text_value(candidate.strip(), f"{where} (recorded as who made changes)")
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers and services)
        return "unknown"
    return text_value(login, f"The login name (recorded as who made changes; set ${ACTOR_ENV} "
                             "to another)")


_PLAIN_JSON = frozenset({str, int, float, bool, type(None)})  # stored as they are


def json_safe(value: Any) -> Any:
    """A field value as the audit trail stores it (dates as ISO strings, enums as values)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if type(value) is dict:  # what a save passes (the Mapping check below is an ABC's)
        return {str(k): json_safe(v) for k, v in value.items()}
    if type(value) is list:  # a change's [old, new]: mostly plain values
        return [v if type(v) in _PLAIN_JSON else json_safe(v) for v in value]
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, set | frozenset) else items
    if isinstance(value, bytes):
        return f"<{len(value)} bytes sha256:{hashlib.sha256(value).hexdigest()}>"
    return str(value)


def field_changes(changes: Any, entity_type: str = "") -> dict[str, Any]:
    """An event's ``{field: [old, new]}`` without the row state recorded beside them, in the
    order it was stored (each service writes the telling field first: a request's text, a
    note's topic), except a response's: in the response spec's order (the result first),
    as a file's autosave stores its fields sorted (the JSON it hashed) and a server in the
    order the caller gave, and one save should read the same wherever it was made."""
    if not isinstance(changes, Mapping):
        return {}
    fields = {k: v for k, v in changes.items() if k != STATE_KEY}
    if entity_type != RESPONSE.entity:
        return fields
    order = _RESPONSE_ORDER
    return dict(sorted(fields.items(), key=lambda item: order.get(item[0], len(order))))


_RESPONSE_ORDER = {name: i for i, name in enumerate(RESPONSE.names)}


def _at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def compute_hash(
    *,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    inspection_code: str | None,
    changes: Any,
    prev_hash: str,
) -> str:
    """SHA-256 over the canonical JSON of an event's fields and the previous hash."""
    if _plain(seq, actor, action, entity_type, entity_id, inspection_code, prev_hash):
        text = _payload_text(seq, at, actor, action, entity_type, entity_id, inspection_code,
                             canonical_json(changes), prev_hash)
    else:
        text = canonical_json({
            "seq": seq,
            "at": _at_text(at),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "inspection_code": inspection_code,
            "changes": changes,
            "prev_hash": prev_hash,
        })
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(seq: Any, actor: Any, action: Any, entity_type: Any, entity_id: Any,
           inspection_code: Any, prev_hash: Any) -> bool:
    """True when the fields are the types an event has (int, texts): ``_payload_text`` then
    writes what ``canonical_json`` of the payload would."""
    return (type(seq) is int
            and {type(actor), type(action), type(entity_type), type(entity_id),
                 type(prev_hash)} == _ONLY_STR
            and (inspection_code is None or type(inspection_code) is str))


_ONLY_STR = {str}


def _payload_text(seq: int, at: dt.datetime, actor: str, action: str, entity_type: str,
                  entity_id: str, inspection_code: str | None, changes_json: str,
                  prev_hash: str) -> str:
    """``canonical_json`` of an event's hashed payload, its keys written in their sorted order,
    with ``changes`` already encoded (``changes_json``): a save encodes its changes once, for
    the hash and the stored column both (no payload dict, no sort)."""
    q = _quoted
    code = "null" if inspection_code is None else q(inspection_code)
    return (f'{{"action":{q(action)},"actor":{q(actor)},"at":{q(_at_text(at))},'
            f'"changes":{changes_json},"entity_id":{q(entity_id)},'
            f'"entity_type":{q(entity_type)},"inspection_code":{code},'
            f'"prev_hash":{q(prev_hash)},"seq":{seq}}}')


# a str as canonical_json writes it (the encoder's own function: ensure_ascii=False)
_quoted = cast(Any, json.encoder).encode_basestring


def _raw_event_hash(row: Any) -> str:
    """Recompute a stored event's hash from its raw column values (robust to tampering)."""
    at = dt.datetime.fromisoformat(str(row.at))
    at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at
    return compute_hash(
        seq=row.seq,
        at=at,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        inspection_code=row.inspection_code,
        # SQLite hands back the stored JSON text; PostgreSQL's json column, the parsed value
        changes=json.loads(row.changes) if isinstance(row.changes, str) else row.changes,
        prev_hash=row.prev_hash,
    )


_INFO = cast(Table, WorkspaceInfo.__table__)  # a declarative class's table is a Table
_SET_HEAD = (
    update(_INFO)
    .where(or_(_INFO.c.key == HEAD_SEQ_KEY, _INFO.c.key == HEAD_HASH_KEY))  # no expanding IN
    .values(value=case((_INFO.c.key == HEAD_SEQ_KEY, bindparam("head_seq")),
                       else_=bindparam("head_hash")))
)


def _set_head(session: Session, seq: int, head_hash: str) -> None:
    """Store the new head in one UPDATE (a save pays for one statement, not two reads and two
    writes); the rows are created by the first event of a workspace."""
    values = {HEAD_SEQ_KEY: str(seq), HEAD_HASH_KEY: head_hash}
    with session.no_autoflush:
        done = session.execute(_SET_HEAD, {"head_seq": values[HEAD_SEQ_KEY],
                                           "head_hash": values[HEAD_HASH_KEY]})
    if getattr(done, "rowcount", 2) != 2:
        present = set(session.scalars(select(WorkspaceInfo.key).where(
            WorkspaceInfo.key.in_(values))))
        session.execute(insert(_INFO), [{"key": k, "value": v} for k, v in values.items()
                                        if k not in present])
    _sync_head_rows(session, values)


def _sync_head_rows(session: Session, values: Mapping[str, str]) -> None:
    """Keep loaded head rows current (verify reads them by get) after a Core write."""
    if not session.identity_map:  # nothing loaded, nothing to keep current
        return
    for key, value in values.items():
        row = session.identity_map.get(identity_key(WorkspaceInfo, key))
        if row is not None:
            set_committed_value(row, "value", value)


_EVENTS = cast(Table, AuditEvent.__table__)  # a declarative class's table is a Table
_LAST_EVENT = select(_EVENTS.c.seq, _EVENTS.c.hash).order_by(_EVENTS.c.seq.desc()).limit(1)
# The head as two columns another SELECT can carry (the save path reads its row and the head in
# one statement); None, None before the first event.
HEAD_COLUMNS = (
    _LAST_EVENT.with_only_columns(_EVENTS.c.seq).scalar_subquery().label("head_seq"),
    _LAST_EVENT.with_only_columns(_EVENTS.c.hash).scalar_subquery().label("head_hash"),
)


def _head(session: Session) -> tuple[int, str]:
    """The last event's seq and hash (a Core read: no ORM row loading on every save)."""
    row = session.execute(_LAST_EVENT).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def append_event(
    session: Session,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes: Mapping[str, Any],
    inspection_code: str | None = None,
    *,
    state: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction; ``changes`` is ``{field: [old, new]}``.

    The rows it describes are flushed first, then the entity's row state is read back, unless
    the caller passes ``state`` (``row_state.state_of`` of the values it just wrote: the
    response save path, which writes with Core and has nothing to flush). The event is one
    Core INSERT and the head one UPDATE, so a save pays for no ORM unit of work here. The
    returned event is not added to the session (it is already stored).
    """
    session.flush()  # so the event follows the rows it describes; a no-op when nothing is pending
    if session.get_bind().dialect.name == "postgresql":  # one head under concurrent writers
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
    seq, prev_hash = _head(session)
    if state is None:
        state = entity_state(session, entity_type, entity_id)  # what verify compares with
    values = _event_values(seq + 1, prev_hash, actor, action, entity_type, entity_id, changes,
                           inspection_code, state)
    session.execute(_INSERT_EVENT, values)
    _set_head(session, seq + 1, values["hash"])
    _appended(session, prev_hash, values["hash"], seq + 1)
    return AuditEvent(**values)


def append_event_at(
    owner: Session | WriteConnection,
    conn: LeanConnection,
    head: tuple[int, str],
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes: Mapping[str, Any],
    inspection_code: str | None,
    *,
    state: Mapping[str, Any],
    at: dt.datetime | None = None,
) -> str:
    """``append_event`` for the SQLite save path; the new head hash.

    The caller read ``head`` (seq, hash) in this write transaction after its last write that
    appends events, and the transaction holds the file (``BEGIN IMMEDIATE``), so no other
    writer can append in between. The event and the head go through lean statements on the
    transaction's own connection (``owner``: a Session, or a ``db.WriteConnection`` with no
    Session): the same rows, values and hash as ``append_event``. ``at`` is the time the
    caller stamped the rows with, taken in this transaction (default: now).
    """
    seq, prev_hash = head[0] + 1, head[1]
    values = _encoded_event_values(seq, prev_hash, actor, action, entity_type, entity_id,
                                   changes, inspection_code, state, at)
    _LEAN_INSERT_EVENT.run(conn, values)
    if _LEAN_SET_HEAD.run(conn, {"head_seq": str(seq),
                                 "head_hash": values["hash"]}).rowcount == 2:
        if isinstance(owner, Session):  # a WriteConnection has no loaded rows to keep current
            _sync_head_rows(owner, {HEAD_SEQ_KEY: str(seq), HEAD_HASH_KEY: values["hash"]})
    else:  # the first event of a workspace creates the head rows
        _set_head(owner if isinstance(owner, Session) else owner.session(), seq, values["hash"])
    _appended(owner, prev_hash, values["hash"], seq)
    return str(values["hash"])


def _event_values(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes: Mapping[str, Any],
    inspection_code: str | None,
    state: Mapping[str, Any] | None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """One event's column values, its hash included (``at``: its time, default now)."""
    safe_changes = json_safe(dict(changes))
    if state is not None:
        safe_changes[STATE_KEY] = dict(state)
    values: dict[str, Any] = {
        "seq": seq,
        "at": utcnow() if at is None else at,
        "actor": actor or default_actor(),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "inspection_code": inspection_code,
        "changes": safe_changes,
        "prev_hash": prev_hash,
    }
    values["hash"] = compute_hash(**values)
    return values


def _encoded_event_values(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes: Mapping[str, Any],
    inspection_code: str | None,
    state: Mapping[str, Any],
    at: dt.datetime | None,
) -> dict[str, Any]:
    """``_event_values`` for ``_LEAN_INSERT_EVENT``: ``changes`` as its canonical JSON text,
    encoded once for the hash and the stored column (read back, it is the same value)."""
    safe_changes = json_safe(changes if type(changes) is dict else dict(changes))
    safe_changes[STATE_KEY] = state if type(state) is dict else dict(state)
    changes_json = canonical_json(safe_changes)
    at = utcnow() if at is None else at
    actor = actor or default_actor()
    if _plain(seq, actor, action, entity_type, entity_id, inspection_code, prev_hash):
        payload = _payload_text(seq, at, actor, action, entity_type, entity_id,
                                inspection_code, changes_json, prev_hash)
        event_hash = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    else:
        event_hash = compute_hash(seq=seq, at=at, actor=actor, action=action,
                                  entity_type=entity_type, entity_id=entity_id,
                                  inspection_code=inspection_code, changes=safe_changes,
                                  prev_hash=prev_hash)
    return {"seq": seq, "at": at, "actor": actor, "action": action,
            "entity_type": entity_type, "entity_id": entity_id,
            "inspection_code": inspection_code, "changes": changes_json,
            "prev_hash": prev_hash, "hash": event_hash}


def _appended(session: Session | WriteConnection, prev_hash: str, new_hash: str,
              seq: int) -> None:
    _extend_cache(session, prev_hash, new_hash, seq)
    carry_clean(session, prev_hash, new_hash)  # a validated write damages no stored value


_INSERT_EVENT = insert(_EVENTS)
_EVENT_COLUMNS = tuple(c.name for c in _EVENTS.columns)
# ``changes`` bound as the JSON text ``_encoded_event_values`` made (the column's JSON type would
# encode the value a second time)
_LEAN_INSERT_EVENT = LeanStatement(
    _INSERT_EVENT.values(changes=bindparam("changes", type_=Text())), _EVENT_COLUMNS)
_LEAN_SET_HEAD = LeanStatement(_SET_HEAD)


def _chain_cache(session: Session | WriteConnection
                 ) -> MutableMapping[str, ChainReport] | None:
    cache = session.info.get(CHAIN_CACHE_KEY)
    return cache if isinstance(cache, MutableMapping) else None


def _extend_cache(session: Session | WriteConnection, prev_hash: str, new_hash: str,
                  seq: int) -> None:
    """An event this process appends to a verified head leaves a verified head.

    If the transaction rolls back, the entry names a head that is never stored, so it is
    never looked up.
    """
    cache = _chain_cache(session)
    if cache is None or prev_hash not in cache:
        return
    cache[new_hash] = replace(cache[prev_hash], event_count=seq, head_hash=new_hash)
    while len(cache) > _CACHE_LIMIT:
        cache.pop(next(iter(cache)))


@dataclass(frozen=True)
class ChainReport:
    """Outcome of ``verify_chain``: ``ok`` only when the chain and the database are intact."""

    ok: bool
    event_count: int
    head_hash: str
    first_broken_seq: int | None
    problem: str
    integrity: str = "ok"
    data_problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the trail does not cover (events older than row states)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "event_count": self.event_count,
            "head_hash": self.head_hash,
            "first_broken_seq": self.first_broken_seq,
            "problem": self.problem,
            "integrity": self.integrity,
            "data_problems": list(self.data_problems),
            "notes": list(self.notes),
        }


def _stored_head(session: Session) -> str:
    row = session.get(WorkspaceInfo, HEAD_HASH_KEY)
    return row.value if row is not None else GENESIS_HASH


def verify_chain(session: Session, *, cached: bool = False) -> ChainReport:
    """Check SQLite's integrity, walk every event, then compare the data with the trail.

    ``cached=True`` returns the remembered result when the stored head is one this workspace
    already verified (or extended itself); otherwise, and always by default, the full check.
    Never raises for a damaged file: what cannot be read is reported as a problem.
    """
    cache = _chain_cache(session)
    if cached and cache is not None:
        try:
            hit = cache.get(_stored_head(session))
        except (DBAPIError, sqlite3.Error, ValueError):
            hit = None
        if hit is not None:
            return hit
    try:
        report = _full_check(session)
    except (DBAPIError, sqlite3.Error, ValueError, TypeError) as exc:
        session.rollback()
        reason = getattr(exc, "orig", None) or exc
        report = ChainReport(
            False, 0, "", None, f"the workspace cannot be read completely ({reason})",
            integrity=str(reason),
        )
    if report.ok and cache is not None:
        cache[report.head_hash] = report
    return report


def _integrity(session: Session) -> str:
    if session.get_bind().dialect.name != "sqlite":  # a server checks its own pages
        return "ok"
    try:
        rows = session.execute(text("PRAGMA integrity_check")).scalars().all()
    except (DBAPIError, sqlite3.Error) as exc:
        session.rollback()
        return str(getattr(exc, "orig", None) or exc)
    return "ok" if list(rows) == ["ok"] else "; ".join(str(r) for r in rows[:5])


def _full_check(session: Session) -> ChainReport:
    integrity = _integrity(session)
    if integrity != "ok":  # reading on could crash on the damaged pages: report what is known
        return ChainReport(False, 0, "", None, f"database integrity check failed: {integrity}",
                           integrity)
    chain = _walk(session, integrity)
    if not chain.ok:
        return chain
    from qmsr_ready.core.verify_data import check_data, coverage_notes, replay

    events = session.execute(
        text("SELECT action, entity_type, entity_id, actor, changes, at FROM audit_events"
             " ORDER BY seq")
    )
    trail = replay(events)
    chain = replace(chain, notes=tuple(coverage_notes(trail)))
    problems = tuple(check_data(session, trail))
    if not problems:
        return chain
    return replace(chain, ok=False, head_hash="", problem=problems[0], data_problems=problems)


def _walk(session: Session, integrity: str) -> ChainReport:
    count = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    prev_hash = GENESIS_HASH
    expected_seq = 1
    broken: int | None = None
    problem = ""
    raw_rows = session.execute(
        text(
            "SELECT seq, at, actor, action, entity_type, entity_id, inspection_code, changes,"
            " prev_hash, hash FROM audit_events ORDER BY seq"
        )
    )
    for event in raw_rows:  # raw values: a tampered row must be reported, not crash the walk
        if event.seq != expected_seq:
            broken = expected_seq
            problem = (
                f"event {expected_seq} is missing (next event is {event.seq}); "
                "events were deleted"
            )
            break
        if event.prev_hash != prev_hash:
            broken = event.seq
            problem = f"event {event.seq} does not follow event {event.seq - 1} (chain broken)"
            break
        try:
            recomputed = _raw_event_hash(event)
        except (TypeError, ValueError, AttributeError) as exc:
            recomputed = f"unreadable: {exc}"
        if recomputed != event.hash:
            broken = event.seq
            problem = f"event {event.seq} was altered after it was recorded (hash mismatch)"
            break
        prev_hash = event.hash
        expected_seq += 1
    if broken is None:
        head_seq = session.get(WorkspaceInfo, HEAD_SEQ_KEY)
        head_hash = session.get(WorkspaceInfo, HEAD_HASH_KEY)
        recorded_seq = int(head_seq.value) if head_seq and head_seq.value.isdigit() else 0
        recorded_hash = head_hash.value if head_hash else GENESIS_HASH
        if recorded_seq != expected_seq - 1 or (count and recorded_hash != prev_hash):
            broken = min(recorded_seq, expected_seq - 1) + 1
            problem = (
                f"the trail ends at event {expected_seq - 1} but event {recorded_seq} was "
                "recorded as the last one; events were deleted or added"
            )
    if broken is None and integrity != "ok":
        problem = f"database integrity check failed: {integrity}"
    ok = broken is None and integrity == "ok"
    return ChainReport(ok, count, prev_hash if broken is None else "", broken, problem, integrity)


def events_for(
    session: Session, *, inspection_code: str | None = None, entity_id: str | None = None
) -> list[AuditEvent]:
    """Events in seq order, optionally for one inspection or one entity."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq)
    if inspection_code is not None:
        stmt = stmt.where(AuditEvent.inspection_code == inspection_code)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return list(session.execute(stmt).scalars())
