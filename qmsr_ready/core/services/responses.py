"""Responses: the recorded answer to each checklist question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, cast
from weakref import WeakKeyDictionary

from sqlalchemy import CursorResult, Table, and_, bindparam, select, update
from sqlalchemy import insert as sa_insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from qmsr_ready.core.audit import GENESIS_HASH, HEAD_COLUMNS, append_event, append_event_at
from qmsr_ready.core.changes import refuse_if_stale, stale_fields
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.lean_sql import LeanConnection, LeanStatement
from qmsr_ready.core.models import ChecklistTemplate, Inspection, Response, utcnow
from qmsr_ready.core.reasons import na_reason
from qmsr_ready.core.row_state import state_of
from qmsr_ready.core.services._common import (
    UNSET,
    _comparable,
    apply_changes,
    field_value,
    question_ref,
    writable_inspection,
)
from qmsr_ready.core.services.inspections import mark_in_progress
from qmsr_ready.core.services.revisions import check_revision, locking
from qmsr_ready.core.template_content import typed_by_sha256
from qmsr_ready.core.vocab import InspectionStatus, Result

if TYPE_CHECKING:
    from qmsr_ready.core.write_connection import WriteConnection


def get_response(session: Session, inspection_id: int, question_id: str) -> Response | None:
    """The stored response to one question, or None if it was never recorded."""
    return session.execute(
        select(Response).where(
            Response.inspection_id == inspection_id, Response.question_id == question_id
        )
    ).scalar_one_or_none()


def record_response(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    question_id: str,
    result: Any = UNSET,
    notes: Any = UNSET,
    sample_population: Any = UNSET,
    sample_size: Any = UNSET,
    records_reviewed: Any = UNSET,
    interviewees: Any = UNSET,
    expected_revision: int | None = None,
) -> Response:
    """Save the given fields of one question's response; unchanged input writes nothing.

    ``expected_revision`` guards against overwriting a newer save (``RevisionConflict``).
    The lean path of every autosave: one read of the inspection and the response row (on
    SQLite with the audit head in the same statement), then one write of the row, the
    inspection's ``updated_at``, the event and the head, with the row state hashed from the
    values written (no read-back, no ORM unit of work). On SQLite the statements are compiled
    once and run on the session's own connection (``lean_sql``); a server runs the same steps
    through the Session, the row read ``FOR UPDATE`` and the head under the advisory lock.
    """
    given = {"result": result, "notes": notes, "sample_population": sample_population,
             "sample_size": sample_size, "records_reviewed": records_reviewed,
             "interviewees": interviewees}
    stored, after, _ = _save(session, actor, inspection_code, question_id,
                             {name: value for name, value in given.items() if value is not UNSET},
                             None, expected_revision)
    if after is None:  # nothing changed
        return _as_orm(session, stored) if stored["id"] is not None else Response(**stored)
    return _as_orm(session, after)


@dataclass(frozen=True)
class SavedResponse:
    """What ``save_response`` found and left: the editable fields (``RESPONSE.editable_fields``)
    as stored before the save (blanks when unanswered) and after it, and the revision before."""

    before: Mapping[str, Any]
    after: Mapping[str, Any]
    revision: int


def save_response(
    session: Session | WriteConnection,
    actor: str,
    *,
    inspection_code: str,
    question_id: str,
    values: Mapping[str, Any],
    base: Mapping[str, Any] | None = None,
    expected_revision: int | None = None,
) -> SavedResponse:
    """The checklist's undoable save: ``record_response`` of ``values``, first refused with
    ``RevisionConflict`` when a field it sets is no longer what the editor showed (``base``,
    ``changes.refuse_if_stale``), and saying what was stored before and after.

    The same single read of the row serves the check, the save and both answers, so the
    runner's autosave costs what ``record_response`` costs (no ORM reads around it, no
    ``Response`` object built). ``session`` may be a ``WriteConnection``
    (``Workspace.write_transaction`` on a file): the save then runs with no ORM Session at all,
    unless it needs one (a planned inspection's first answer, a refusal), which joins the same
    transaction.
    """
    stored, after, revision = _save(session, actor, inspection_code, question_id,
                                    values, base, expected_revision)
    final = stored if after is None else after
    loaded = _joined(session)
    if after is not None and loaded is not None:  # a Response it loaded is what was written
        _sync(loaded, Response, after["id"], after)  # (QA 4 item 1), as record_response's is
    return SavedResponse(before=_editable(stored), after=_editable(final), revision=revision)


def _save(owner: Session | WriteConnection, actor: str, inspection_code: str,
          question_id: str, given: Mapping[str, Any], base: Mapping[str, Any] | None,
          expected_revision: int | None
          ) -> tuple[dict[str, Any], dict[str, Any] | None, int]:
    """The steps of a save: the row as stored (every column; unanswered: the blank row, id
    None), the row as written (None when nothing changed) and the revision read.

    ``owner`` is the transaction: a Session, or a ``WriteConnection`` (SQLite, no Session).
    A step only the ORM runs (moving a planned inspection on, naming who changed a row in a
    refusal) asks ``_orm(owner)``, which joins a Session to the writer's transaction."""
    session = _joined(owner)
    if session is not None:
        session.flush()  # a response changed through the ORM earlier is read as stored
    store: _Store = (_SessionStore(owner) if isinstance(owner, Session)
                     and owner.get_bind().dialect.name != "sqlite" else _DriverStore(owner))
    target, stored = store.read(inspection_code, question_id)
    current_revision = stored["revision"] if stored else 0
    if target is None or target["status"] == InspectionStatus.SIGNED_OFF:
        writable_inspection(_orm(owner), inspection_code)  # raises NotFound / InspectionLocked
    assert target is not None
    template = typed_by_sha256(target["sha256"], partial(store.template_content,
                                                         target["template_id"]))
    if template.question(question_id) is None:
        question_ref(writable_inspection(_orm(owner), inspection_code), question_id)  # raises
    # Limits, vocabulary and wording come from the RESPONSE spec (the workbook reads it too).
    values: dict[str, Any] = {name: field_value(RESPONSE.field(name), value)
                              for name, value in given.items()}
    # A stale editor is a conflict only once its edit could be saved at all: no such inspection
    # or question, or an invalid value, is refused for itself (QA 4 item 3).
    if base is not None and stale_fields(stored or _BLANK, base, given):
        refuse_if_stale(_orm(owner), what=f"The response to {question_id}",
                        inspection_code=inspection_code,
                        entity_id=f"{inspection_code}/{question_id}",
                        current=stored or _BLANK, base=base, fields=given,
                        revision=current_revision)
    code = target["code"]
    if expected_revision is not None and expected_revision != current_revision:
        check_revision(_orm(owner), what=f"The response to {question_id}",
                       inspection_code=code, entity_id=f"{code}/{question_id}",
                       current=current_revision, expected=expected_revision)
    problem = check_response_values(question_id, values, stored)
    if problem:
        raise InvalidInput(problem)
    before = stored or _unanswered(target["id"], question_id)
    changes = {name: [before[name], new] for name, new in values.items()
               if _comparable(before[name]) != _comparable(new)}
    if not changes:
        return before, None, current_revision
    if target["status"] == InspectionStatus.PLANNED:
        session = _orm(owner)
        insp = session.get(Inspection, target["id"])
        assert insp is not None
        mark_in_progress(session, actor, insp)  # its own event: the head moves
        store.reread_head()
    now = utcnow()  # after that event: the response's event (stamped with it) follows it
    written = {name: pair[1] for name, pair in changes.items()}
    written.update(revision=before["revision"] + 1, assessed_by=actor, assessed_at=now)
    after = {**before, **written}
    after["id"] = store.write_row(after, written, insert=stored is None)
    store.touch(target["id"], now)
    if session is not None:
        _sync(session, Inspection, target["id"], {"updated_at": now})
    store.append(actor, "response.record", "response", f"{code}/{question_id}", changes, code,
                 state=state_of("response", after), at=now)
    return before, after, current_revision


_RESPONSES = cast(Table, Response.__table__)
_INSPECTIONS = cast(Table, Inspection.__table__)
_TEMPLATES = cast(Table, ChecklistTemplate.__table__)
_TARGET = (
    select(_INSPECTIONS.c.id, _INSPECTIONS.c.code, _INSPECTIONS.c.status,
           _TEMPLATES.c.id.label("template_id"), _TEMPLATES.c.sha256)
    .join_from(_INSPECTIONS, _TEMPLATES, _INSPECTIONS.c.template_id == _TEMPLATES.c.id)
    .where(_INSPECTIONS.c.code == bindparam("code"))
)
_ROW = select(_RESPONSES).where(_RESPONSES.c.inspection_id == bindparam("i"),
                                _RESPONSES.c.question_id == bindparam("q"))
_TOUCH = (update(_INSPECTIONS).where(_INSPECTIONS.c.id == bindparam("i"))
          .values(updated_at=bindparam("now")))
_ROW_COLUMNS = tuple(c.name for c in _RESPONSES.columns)
_RESPONSE_MAPPER = sa_inspect(Response)
_RESPONSE_CLASS = _RESPONSE_MAPPER.class_manager
_TARGET_COLUMNS = ("id", "code", "status", "template_id", "sha256")
# What the SQLite path reads in one statement: the target, its response row (every column, as
# r_<name>; NULLs when unanswered) and the audit head.
_TARGET_ROW_HEAD = (
    _TARGET.outerjoin(_RESPONSES, and_(_RESPONSES.c.inspection_id == _INSPECTIONS.c.id,
                                       _RESPONSES.c.question_id == bindparam("q")))
    .add_columns(*(c.label(f"r_{c.name}") for c in _RESPONSES.columns), *HEAD_COLUMNS)
)
# The same without the template's row, for a writer on a file: the row's sha256 lies after its
# content (20 to 130 KB of overflow pages SQLite walks through to reach it, re-read after any
# other connection's write), so a WriteConnection reads it once per template (_LEAN_SHA) and
# the open workspace remembers it (_KNOWN_SHA).
_INSPECTION_ROW_HEAD = (
    select(_INSPECTIONS.c.id, _INSPECTIONS.c.code, _INSPECTIONS.c.status,
           _INSPECTIONS.c.template_id)
    .outerjoin_from(_INSPECTIONS, _RESPONSES,
                    and_(_RESPONSES.c.inspection_id == _INSPECTIONS.c.id,
                         _RESPONSES.c.question_id == bindparam("q")))
    .where(_INSPECTIONS.c.code == bindparam("code"))
    .add_columns(*(c.label(f"r_{c.name}") for c in _RESPONSES.columns), *HEAD_COLUMNS)
)
# The target's and the row's values out of the one SELECT's row, by one C call each (a save
# builds both; a comprehension over the labels cost a Python step per column).
_PICK_TARGET = itemgetter(*_TARGET_COLUMNS)
_PICK_ROW = itemgetter(*(f"r_{name}" for name in _ROW_COLUMNS))
_UPDATED_COLUMNS = tuple(name for name in _ROW_COLUMNS
                         if name not in ("id", "inspection_id", "question_id"))
_LEAN_READ = LeanStatement(_TARGET_ROW_HEAD)
_LEAN_READ_BY_ID = LeanStatement(_INSPECTION_ROW_HEAD)
_LEAN_SHA = LeanStatement(select(_TEMPLATES.c.sha256).where(_TEMPLATES.c.id == bindparam("t")))
# Per open workspace (its connection pool): template row ID -> its sha256. Only committed rows
# are remembered (a WriteConnection reads the template of an inspection it did not create, in
# BEGIN IMMEDIATE) and the app never changes or deletes a template row, so an ID keeps its hash.
_KNOWN_SHA: WeakKeyDictionary[Any, dict[int, str]] = WeakKeyDictionary()
_LEAN_INSERT = LeanStatement(sa_insert(_RESPONSES),
                             [name for name in _ROW_COLUMNS if name != "id"])
_LEAN_UPDATE = LeanStatement(update(_RESPONSES).where(_RESPONSES.c.id == bindparam("pk")),
                             _UPDATED_COLUMNS)
_LEAN_TOUCH = LeanStatement(_TOUCH)
_LEAN_HEAD = LeanStatement(select(*HEAD_COLUMNS))
# The template snapshot's content, read only when its hash was not parsed before.
_CONTENT = select(_TEMPLATES.c.content).where(_TEMPLATES.c.id == bindparam("t"))
_LEAN_CONTENT = LeanStatement(_CONTENT)


class _Store(Protocol):
    """Where ``record_response`` reads and writes: the same steps on either database."""

    def read(self, code: str, question_id: str
             ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]: ...
    def reread_head(self) -> None: ...
    def template_content(self, template_id: int) -> Any: ...
    def write_row(self, after: Mapping[str, Any], written: Mapping[str, Any], *,
                  insert: bool) -> int: ...
    def touch(self, inspection_id: int, now: Any) -> None: ...
    def append(self, actor: str, action: str, entity_type: str, entity_id: str,
               changes: Mapping[str, Any], inspection_code: str, *,
               state: Mapping[str, Any], at: Any) -> None: ...


class _SessionStore:
    """Through the Session: a server (row read ``FOR UPDATE``, ``append_event`` under the
    advisory lock)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def read(self, code: str, question_id: str
             ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        target = self.session.execute(_TARGET, {"code": code}).mappings().first()
        if target is None:
            return None, None
        row = self.session.execute(locking(self.session, _ROW),
                                   {"i": target["id"], "q": question_id}).mappings().first()
        return dict(target), dict(row) if row is not None else None

    def reread_head(self) -> None:
        """``append_event`` reads the head itself."""

    def template_content(self, template_id: int) -> Any:
        return self.session.execute(_CONTENT, {"t": template_id}).scalar_one()

    def write_row(self, after: Mapping[str, Any], written: Mapping[str, Any], *,
                  insert: bool) -> int:
        if insert:
            inserted = cast(CursorResult[Any], self.session.execute(
                sa_insert(_RESPONSES), {k: v for k, v in after.items() if k != "id"}))
            key = inserted.inserted_primary_key
            assert key is not None  # a single-row INSERT always has one
            return int(key[0])
        self.session.execute(update(_RESPONSES).where(_RESPONSES.c.id == after["id"]), written)
        return int(after["id"])

    def touch(self, inspection_id: int, now: Any) -> None:
        self.session.execute(_TOUCH, {"i": inspection_id, "now": now})

    def append(self, actor: str, action: str, entity_type: str, entity_id: str,
               changes: Mapping[str, Any], inspection_code: str, *,
               state: Mapping[str, Any], at: Any) -> None:
        # ``at`` is not used: the event's time is taken under the server's advisory lock, so
        # the times of concurrent writers' events follow their order
        append_event(self.session, actor, action, entity_type, entity_id, changes,
                     inspection_code, state=state)


class _DriverStore:
    """SQLite: lean statements on the transaction's connection (a Session's, or a
    ``WriteConnection``'s with no Session), the target, row and head read in one SELECT (on a
    ``WriteConnection`` without the template's row, whose hash is read once per template). The
    transaction holds the file (``BEGIN IMMEDIATE``), so the head read here is still the head
    when the event is appended."""

    def __init__(self, owner: Session | WriteConnection) -> None:
        self.owner = owner
        self.conn = LeanConnection.of(owner) if isinstance(owner, Session) else owner.lean
        self.head: tuple[int, str] = (0, GENESIS_HASH)

    def read(self, code: str, question_id: str
             ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        if isinstance(self.owner, Session):
            found = _LEAN_READ.first(self.conn, {"code": code, "q": question_id})
        else:
            found = _LEAN_READ_BY_ID.first(self.conn, {"code": code, "q": question_id})
            if found is not None:
                found["sha256"] = self._sha256(self.owner, found["template_id"])
        if found is None or found["sha256"] is None:  # (a template row missing: as the join)
            return None, None
        self._set_head(found)
        target = dict(zip(_TARGET_COLUMNS, _PICK_TARGET(found), strict=True))
        if found["r_id"] is None:
            return target, None
        return target, dict(zip(_ROW_COLUMNS, _PICK_ROW(found), strict=True))

    def _sha256(self, owner: WriteConnection, template_id: int) -> str | None:
        known = _KNOWN_SHA.setdefault(owner.get_bind().pool, {})
        sha256 = known.get(template_id)
        if sha256 is None:
            found = _LEAN_SHA.first(self.conn, {"t": template_id})
            if found is None:
                return None
            sha256 = known[template_id] = str(found["sha256"])
        return sha256

    def _set_head(self, found: Mapping[str, Any]) -> None:
        if found["head_seq"] is not None:
            self.head = (int(found["head_seq"]), str(found["head_hash"]))

    def reread_head(self) -> None:
        session = _joined(self.owner)
        if session is not None:
            session.flush()
        found = _LEAN_HEAD.first(self.conn, {})
        assert found is not None  # scalar subqueries: always one row
        self._set_head(found)

    def template_content(self, template_id: int) -> Any:
        found = _LEAN_CONTENT.first(self.conn, {"t": template_id})
        assert found is not None  # an inspection's template row is never deleted
        return found["content"]

    def write_row(self, after: Mapping[str, Any], written: Mapping[str, Any], *,
                  insert: bool) -> int:
        if insert:
            row_id = _LEAN_INSERT.run(self.conn, after).lastrowid
            assert row_id is not None  # a single-row INSERT always has one
            return row_id
        _LEAN_UPDATE.run(self.conn, {**after, "pk": after["id"]})
        return int(after["id"])

    def touch(self, inspection_id: int, now: Any) -> None:
        _LEAN_TOUCH.run(self.conn, {"i": inspection_id, "now": now})

    def append(self, actor: str, action: str, entity_type: str, entity_id: str,
               changes: Mapping[str, Any], inspection_code: str, *,
               state: Mapping[str, Any], at: Any) -> None:
        # The event bears the time the row was stamped with (one clock read, taken inside
        # BEGIN IMMEDIATE, so event times follow their order). Once a Session joined a
        # writer's transaction, its events go through it (one owner of the pending clean-head
        # stamp, damaged.carry_clean).
        append_event_at(_joined(self.owner) or self.owner, self.conn, self.head, actor,
                        action, entity_type, entity_id, changes, inspection_code, state=state,
                        at=at)


def _joined(owner: Session | WriteConnection) -> Session | None:
    """The transaction's Session: ``owner`` itself, or the one joined to a writer (if any)."""
    return owner if isinstance(owner, Session) else owner.joined


def _orm(owner: Session | WriteConnection) -> Session:
    """A Session in the transaction (joined to a writer's on first use)."""
    return owner if isinstance(owner, Session) else owner.session()


_BLANK = {  # the editable fields of a question never answered
    "result": Result.NOT_ASSESSED.value, "notes": "", "sample_population": None,
    "sample_size": None, "records_reviewed": "", "interviewees": ""}


def _unanswered(inspection_id: int, question_id: str) -> dict[str, Any]:
    """The row a first answer starts from (every column, so its state can be hashed)."""
    return {"id": None, "inspection_id": inspection_id, "question_id": question_id, **_BLANK,
            "assessed_by": "", "assessed_at": None, "revision": 0}


def _sync(session: Session, entity: type[Any], pk: int, values: Mapping[str, Any]) -> Any:
    """Bring a loaded ORM object up to date with a Core write (no SQL); None if not loaded."""
    if not session.identity_map:  # an autosave's own session has loaded nothing
        return None
    obj = session.identity_map.get(identity_key(entity, pk))
    if obj is not None:
        for name, value in values.items():
            set_committed_value(obj, name, value)
    return obj


def _as_orm(session: Session, row: Mapping[str, Any]) -> Response:
    """The stored response as the session's ORM object, attached without a SELECT."""
    loaded = _sync(session, Response, row["id"], row)
    if isinstance(loaded, Response):
        return loaded
    # As a load builds it: no constructor, whose attribute events record every column as a
    # change (twice the cost of the rest of this). A load configures the mappers first; a
    # process whose first ORM work is this save must do it here, or the instance has no state.
    if not _RESPONSE_MAPPER.configured:
        configure_mappers()
    response = _RESPONSE_CLASS.new_instance()
    response.__dict__.update(row)
    make_transient_to_detached(response)
    session.add(response)
    return response


def check_response_values(question_id: str, values: Mapping[str, Any],
                          current: Mapping[str, Any] | None) -> str:
    """What ``record_response`` would refuse about ``values`` written over ``current`` (the
    stored response, or None when unanswered), as one line; "" when nothing.

    One rule in one place: the import planner calls this too, so a dry run refuses what the
    real run would.
    """
    cur = current or {}
    population = values.get("sample_population", cur.get("sample_population"))
    size = values.get("sample_size", cur.get("sample_size"))
    if population is not None and size is not None and size > population:
        return f"Sample size {size} is larger than the population {population} for {question_id}."
    return _na_reason_problem(values, cur, question_id)


def _na_reason_problem(values: Mapping[str, Any], cur: Mapping[str, Any],
                       question_id: str) -> str:
    """Refuse "Not applicable" without a reason in the notes (set now, or left by a clear).

    Only a change that sets N/A or edits the notes is checked, so an older N/A answer without a
    reason can still have its sampling edited.
    """
    if "result" not in values and "notes" not in values:
        return ""
    result = values.get("result", cur.get("result", Result.NOT_ASSESSED.value))
    if result != Result.NOT_APPLICABLE.value:
        return ""
    if na_reason(values.get("notes", cur.get("notes", ""))):  # visible, not a zero-width space
        return ""
    if "result" in values:
        return (f"Not applicable needs a reason: write in the notes why {question_id} does not "
                "apply to this site.")
    return (f"{question_id} is answered Not applicable: keep the reason in its notes, or choose "
            "another result first.")


def restore_response(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    question_id: str,
    values: Mapping[str, Any],
    assessed_by: str,
    assessed_at: Any,
) -> Response:
    """Put a response back exactly as it was before an exchange wrote it (Undo import/merge):
    its fields AND who assessed it when, so a later pack does not name the person undoing as
    the assessor. Audited as ``response.restore`` (the exchange's own ``exchange.revert``
    event follows)."""
    insp = writable_inspection(session, inspection_code)
    question_ref(insp, question_id)
    response = get_response(session, insp.id, question_id)
    if response is None:
        raise InvalidInput(f"{question_id} has no response to restore.")
    fields = {name: values[name] for name in _RESTORABLE if name in values}
    changes = apply_changes(response, {**fields, "assessed_by": assessed_by,
                                       "assessed_at": assessed_at})
    if not changes:
        return response
    response.revision += 1
    insp.updated_at = utcnow()
    append_event(session, actor, "response.restore", "response",
                 f"{insp.code}/{question_id}", changes, insp.code)
    return response


_RESTORABLE = RESPONSE.editable_fields
_PICK_EDITABLE = itemgetter(*_RESTORABLE)


def _editable(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's editable fields (``RESPONSE.editable_fields``), as ``SavedResponse`` holds them."""
    return dict(zip(_RESTORABLE, _PICK_EDITABLE(row), strict=True))
