"""Carry out an ``ExchangePlan`` through the services, as one audited step that can be undone.

``apply_plan`` writes every decided field with the same service calls the GUI makes, so an
imported value passes exactly the validation a typed one does; a refusal names the row and the
field. It runs in the caller's transaction: any error leaves the workspace as it was. One
``exchange.import`` / ``exchange.merge`` event then records the source, the counts and who
decided each conflict and how. ``revert_exchange`` puts every written field back (the GUI's
Edit ▸ Undo import) unless a touched row changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core import services
from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.exchange import apply_day
from qmsr_ready.core.exchange.errors import refuse_signed_off
from qmsr_ready.core.exchange.evidence_copy import EvidenceCopy, copy_evidence, link_existing
from qmsr_ready.core.exchange.fields import FINDING, NOTE, REQUEST, RESPONSE, ROSTER, entity_spec
from qmsr_ready.core.exchange.merge import SOURCE_CODES
from qmsr_ready.core.exchange.plan import (
    Choice,
    ConflictPolicy,
    ExchangePlan,
    FieldKey,
    FieldPlan,
    Outcome,
    RowPlan,
    RowStatus,
    SourceInfo,
)
from qmsr_ready.core.exchange.snapshot import Side, read_mine
from qmsr_ready.core.models import Finding, Response, utcnow
from qmsr_ready.core.services._common import next_code, writable_inspection
from qmsr_ready.core.services.findings import _missing_for, _state, get_finding
from qmsr_ready.core.vocab import FindingStatus

MAX_LISTED = 10  # conflicts named in one message; the rest are counted


class UnresolvedConflicts(QmsrError):  # noqa: N818 (named by the shared exchange API)
    """Conflicts nobody decided: nothing was applied."""

    def __init__(self, message: str, conflicts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.conflicts = conflicts


class ApplyRefused(QmsrError):  # noqa: N818 (reads as a sentence in messages)
    """A service refused one value, or the workspace changed since the plan: nothing applied."""


@dataclass(frozen=True)
class FieldWrite:
    """One field the exchange wrote: canonical values before and after."""

    entity: str
    key: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AppliedExchange:
    """What an applied exchange changed: enough to audit it and to undo it."""

    kind: str  # "import" or "merge"
    inspection_code: str
    source: SourceInfo
    writes: tuple[FieldWrite, ...]
    created: tuple[tuple[str, str], ...]  # (entity, key) of findings and evidence created
    revisions: tuple[tuple[str, str, int], ...]  # (entity, key, revision after) per touched row
    audit_seq: int
    # (question ID, assessed_by, assessed_at) of each response before the exchange wrote it,
    # so an undo restores who assessed it when, not the person undoing
    stamps: tuple[tuple[str, str, Any], ...] = ()
    # (evidence code, "question" or "finding", target) of each link added to evidence this
    # workspace already held, so an undo detaches exactly those
    links: tuple[tuple[str, str, str], ...] = ()

    @property
    def summary(self) -> str:
        rows = {(w.entity, w.key) for w in self.writes} | set(self.created)
        linked = f", {len(self.links)} evidence link(s) added" if self.links else ""
        return (f"{len(self.writes)} field(s) written in {len(rows)} row(s), "
                f"{len(self.created)} created{linked}")


def _label(row: RowPlan) -> str:
    spec_label = {"response": "Response", "finding": "Finding", "evidence": "Evidence",
                  "request": "Request", "note": "Scribe note", "roster": "Roster entry"}
    if row.where:
        return f"{row.where} ({row.handle})" if row.handle else row.where
    return f"{spec_label.get(row.entity, row.entity)} {row.handle}"


def _conflict_line(row: RowPlan, fp: FieldPlan) -> str:
    return (f"{row.handle} {fp.spec.label}: mine {fp.spec.display(fp.mine)!r} / "
            f"theirs {fp.spec.display(fp.theirs)!r}")


def refuse_undecided(plan: ExchangePlan, decisions: Mapping[FieldKey, Choice] | None,
                      policy: ConflictPolicy) -> None:
    undecided = plan.undecided(decisions, policy)
    if not undecided:
        return
    lines = tuple(_conflict_line(r, f) for r, f in undecided)
    shown = "; ".join(lines[:MAX_LISTED])
    more = f"; and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else ""
    raise UnresolvedConflicts(
        f"{len(lines)} conflict(s) need a decision ({shown}{more}); nothing was applied. "
        "Choose keep mine or take theirs per field, or use --on-conflict keep-mine|take-theirs.",
        lines,
    )


def _check_current(row: RowPlan, side: Side) -> None:
    """Refuse when the workspace changed since the preview was made."""
    current = side.of(row.entity).get(row.key)
    if current is None:
        raise ApplyRefused(
            f"{_label(row)} was deleted in this workspace after the preview; "
            "make the preview again."
        )
    for fp in row.fields:
        if current.get(fp.name) != fp.mine:
            raise ApplyRefused(
                f"{_label(row)}: {fp.spec.label} changed in this workspace after the preview "
                f"(now {fp.spec.display(current.get(fp.name))!r}); make the preview again."
            )


def _decided(plan: ExchangePlan, row: RowPlan, decisions: Mapping[FieldKey, Choice] | None,
             policy: ConflictPolicy) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The values to write for a matched row, and the conflict decisions taken on it."""
    values: dict[str, Any] = {}
    taken: list[dict[str, Any]] = []
    for fp in row.fields:
        choice = plan.choice_for(row, fp, decisions, policy)
        if fp.outcome is Outcome.CONFLICT:
            by_user = bool(decisions) and (row.entity, row.handle, fp.name) in (decisions or {})
            taken.append({
                "entity": row.entity, "key": row.handle, "field": fp.name,
                "mine": fp.spec.display(fp.mine), "theirs": fp.spec.display(fp.theirs),
                "choice": str(choice), "how": "per field" if by_user else f"policy {policy}",
            })
        if choice is Choice.THEIRS and fp.theirs != fp.mine:
            values[fp.name] = fp.theirs
    return values, taken


def _guard(row: RowPlan, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one service call; a refusal names the row it came from."""
    try:
        return call(*args, **kwargs)
    except ApplyRefused:
        raise
    except QmsrError as exc:
        raise ApplyRefused(f"{_label(row)}: {exc.message}") from exc


def _to_service(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    spec = entity_spec(entity)
    return {name: spec.field(name).to_service(v) for name, v in values.items()}


def write_response(session: Session, actor: str, code: str, qid: str,
                   values: Mapping[str, Any]) -> None:
    """Save some fields of one response through the service (import, merge and undo)."""
    services.record_response(session, actor, inspection_code=code, question_id=qid,
                             **_to_service(RESPONSE.entity, values))


def write_finding(session: Session, actor: str, code: str, finding_code: str,
                  values: Mapping[str, Any], status: str | None) -> None:
    """Change a finding's fields and status in an order its workflow accepts.

    A status's needs (e.g. closed needs a corrective action) must hold after every step, so:
    closed can only go back to open first; fields are written before a transition when the
    current status accepts them, after it when only the target does, and otherwise the finding
    passes through open (which needs nothing).
    """
    args = _to_service(FINDING.entity, values)
    finding = get_finding(session, services.get_inspection(session, code), finding_code)
    current = FindingStatus(finding.status)
    if status is None or status == current.value:
        if args:
            services.update_finding(session, actor, code, finding_code, **args)
        return
    target = FindingStatus(status)
    move = services.transition_finding
    if current is FindingStatus.CLOSED:
        move(session, actor, code, finding_code, FindingStatus.OPEN.value)
        current = FindingStatus.OPEN
        if target is current:
            if args:
                services.update_finding(session, actor, code, finding_code, **args)
            return
    after = {**_state(finding), **values}
    if not _missing_for(current, after):
        if args:
            services.update_finding(session, actor, code, finding_code, **args)
        move(session, actor, code, finding_code, target.value)
    elif not _missing_for(target, _state(finding)):
        move(session, actor, code, finding_code, target.value)
        services.update_finding(session, actor, code, finding_code, **args)
    else:
        move(session, actor, code, finding_code, FindingStatus.OPEN.value)
        services.update_finding(session, actor, code, finding_code, **args)
        move(session, actor, code, finding_code, target.value)


def _create_finding(session: Session, actor: str, code: str, row: RowPlan,
                    taken_codes: set[str]) -> str:
    values = {fp.name: fp.theirs for fp in row.fields}
    status = values.pop("status", "open")
    new_code = row.key if row.key and row.key not in taken_codes else next_code(taken_codes, "F-")
    args = _to_service(FINDING.entity, values)
    _guard(row, services.raise_finding, session, actor, inspection_code=code, code=new_code,
           **args)
    taken_codes.add(new_code)
    if status != "open":
        _guard(row, write_finding, session, actor, code, new_code, {}, status)
    return new_code


def _revision(session: Session, insp_id: int, entity: str, key: str) -> int:
    if entity in apply_day.DAY_ENTITIES:
        return apply_day.revision(session, insp_id, entity, key)
    if entity == RESPONSE.entity:
        stmt: Any = select(Response.revision).where(Response.inspection_id == insp_id,
                                                    Response.question_id == key)
    else:
        stmt = select(Finding.revision).where(Finding.inspection_id == insp_id,
                                              Finding.code == key)
    return int(session.execute(stmt).scalar_one_or_none() or 0)


def _create_day_row(session: Session, actor: str, code: str, row: RowPlan,
                    renamed: Mapping[str, str], now: Any) -> str:
    """Log a new request or take a new note from an incoming row; links to findings created
    (and renumbered) by the same exchange follow their new codes."""
    values = {fp.name: fp.theirs for fp in row.fields}
    if values.get("finding_codes"):
        values["finding_codes"] = tuple(renamed.get(c, c) for c in values["finding_codes"])
    if row.entity == REQUEST.entity:
        return str(_guard(row, apply_day.create_request, session, actor, code, row.key or None,
                          values, now))
    return str(_guard(row, apply_day.create_note, session, actor, code, row.key or None,
                      values, now))


def apply_plan(
    session: Session,
    actor: str,
    plan: ExchangePlan,
    *,
    decisions: Mapping[FieldKey, Choice] | None = None,
    policy: ConflictPolicy = ConflictPolicy.FAIL,
) -> AppliedExchange:
    """Write the plan's decided values through the services and audit the exchange once.

    Raises ``InspectionLocked`` (signed off), ``UnresolvedConflicts``, or ``ApplyRefused`` (a
    value the services refuse, or a workspace that changed since the plan); the caller's
    transaction must then be rolled back, which leaves the workspace as it was.
    """
    code = plan.inspection_code
    kind = "merge" if plan.source.kind == "workspace" else "import"
    insp = services.get_inspection(session, code)
    refuse_signed_off(insp, f"{kind} into it")
    if insp.template.sha256 != plan.template_sha256:
        raise ApplyRefused(
            f"The plan was made for another template version of {code}; make the preview again."
        )
    refuse_undecided(plan, decisions, policy)
    side = read_mine(session, code)
    writes: list[FieldWrite] = []
    created: list[tuple[str, str]] = []
    decided: list[dict[str, Any]] = []
    touched: list[tuple[str, str]] = []
    finding_codes = set(side.of(FINDING.entity))
    renamed: dict[str, str] = {}
    stamps: list[tuple[str, str, Any]] = []
    now = utcnow().replace(microsecond=0)  # the stamp of every move this exchange makes
    sources = plan.extras.get("source_codes") or {}
    mapped: dict[str, dict[str, str]] = {}  # entity -> their code -> ours, of rows created
    for row in plan.rows:
        if row.status is RowStatus.MATCHED:
            values, taken = _decided(plan, row, decisions, policy)
            decided.extend(taken)
            if not values:
                continue
            _check_current(row, side)
            if row.entity == RESPONSE.entity:
                stamps.append(_stamp(session, insp.id, row.key))
                _guard(row, write_response, session, actor, code, row.key, values)
            elif row.entity == FINDING.entity:
                status = values.pop("status", None)
                _guard(row, write_finding, session, actor, code, row.key, values, status)
                if status is not None:
                    values["status"] = status
            elif row.entity == REQUEST.entity:
                _guard(row, apply_day.write_request, session, actor, code, row.key, values, now)
            elif row.entity == NOTE.entity:
                _guard(row, apply_day.write_note, session, actor, code, row.key, values)
            elif row.entity == ROSTER.entity:
                _guard(row, apply_day.write_roster, session, actor, code, row.key, values)
            else:  # pragma: no cover - plans only carry the entities of fields.py
                raise ApplyRefused(f"{_label(row)}: cannot apply rows of this kind.")
            mine = side.of(row.entity)[row.key]
            writes.extend(FieldWrite(row.entity, row.key, n, mine[n], v) for n, v in values.items())
            touched.append((row.entity, row.key))
        elif row.status is RowStatus.NEW and row.entity == FINDING.entity:
            new_code = _create_finding(session, actor, code, row, finding_codes)
            if row.key and new_code != row.key:
                renamed[row.key] = new_code
            created.append((FINDING.entity, new_code))
            touched.append((FINDING.entity, new_code))
            _map_source(mapped, sources, row, new_code)
        elif row.status is RowStatus.NEW and row.entity in apply_day.NEWABLE:
            new_key = _create_day_row(session, actor, code, row, renamed, now)
            created.append((row.entity, new_key))
            touched.append((row.entity, new_key))
            _map_source(mapped, sources, row, new_key)
    copies = [EvidenceCopy.from_dict(d) for d in plan.extras.get("evidence", ())]
    planned: dict[str, str] = dict(plan.extras.get("finding_codes", {}))
    finding_map = {**renamed, **{k: renamed.get(v, v) for k, v in planned.items()}}
    if copies:
        for ev_code in copy_evidence(session, actor, code, copies, finding_map,
                                     plan.extras.get("source_path", "")):
            created.append(("evidence", ev_code))
    links = link_existing(session, actor, code, plan.extras.get("evidence_links", ()),
                          finding_map)
    revisions = tuple((e, k, _revision(session, insp.id, e, k)) for e, k in touched)
    counts = {**plan.counts(), "fields_written": len(writes), "rows_created": len(created)}
    changes: dict[str, Any] = {
        "source": [None, plan.source.name],
        "sha256": [None, plan.source.sha256],
        "source_workspace_id": [None, plan.source.workspace_id],
        "counts": [None, counts],
        "decisions": [None, [{**d, "decided_by": actor} for d in decided]],
        "created": [None, [f"{e}:{k}" for e, k in created]],
    }
    if links:
        changes["linked"] = [None, [f"{e} {kind_} {t}" for e, kind_, t in links]]
    if kind == "merge" and mapped:
        changes[SOURCE_CODES] = [None, mapped]
    if kind == "merge":
        changes["source_audit_head"] = [None, plan.source.audit_head]
    event = append_event(session, actor, f"exchange.{kind}", "inspection", code, changes, code)
    return AppliedExchange(kind, code, plan.source, tuple(writes), tuple(created), revisions,
                           event.seq, tuple(stamps), tuple(links))


def _map_source(mapped: dict[str, dict[str, str]], sources: Mapping[str, Any], row: RowPlan,
                new_key: str) -> None:
    """Note which of their codes a created row came from (merges only plan ``sources``)."""
    theirs = (sources.get(row.entity) or {}).get(row.key)
    if theirs:
        mapped.setdefault(row.entity, {})[str(theirs)] = new_key


def _stamp(session: Session, insp_id: int, qid: str) -> tuple[str, str, Any]:
    response = session.execute(select(Response).where(
        Response.inspection_id == insp_id, Response.question_id == qid)).scalar_one_or_none()
    if response is None:
        return (qid, "", None)
    return (qid, response.assessed_by, response.assessed_at)


def revert_exchange(session: Session, actor: str, applied: AppliedExchange) -> None:
    """Put back every field the exchange wrote and delete what it created (Undo import).

    Refuses with ``ApplyRefused`` when a touched row changed after the exchange, so a later
    edit is never silently lost; the caller's transaction is then rolled back.
    """
    code = applied.inspection_code
    insp = writable_inspection(session, code)
    for entity, key, revision in applied.revisions:
        now = _revision(session, insp.id, entity, key)
        if now != revision:
            what = {"response": "Response", "finding": "Finding", "request": "Request",
                    "note": "Scribe note", "roster": "Roster entry"}.get(entity, entity)
            state = "was deleted" if now == 0 else "was changed"
            raise ApplyRefused(
                f"Cannot undo the {applied.kind} of {applied.source.name}: {what} {key} {state} "
                "after it; change that row back by hand instead."
            )
    for ev_code, kind_, target in reversed(applied.links):  # before the findings they name
        _undo("evidence", ev_code, _detach, session, actor, code, ev_code, kind_, target)
    for entity, key in reversed(applied.created):
        if entity == "evidence":
            _undo(entity, key, services.remove_evidence, session, actor, code, key)
    for entity, key in reversed(applied.created):
        if entity in apply_day.NEWABLE:  # notes and requests first: they link to findings
            _undo(entity, key, apply_day.delete_created, session, actor, code, entity, key)
    for entity, key in reversed(applied.created):
        if entity == FINDING.entity:
            _undo(entity, key, services.delete_finding, session, actor, code, key)
    created = set(applied.created)
    stamps = {qid: (by, at) for qid, by, at in applied.stamps}
    by_row: dict[tuple[str, str], dict[str, Any]] = {}
    new_of: dict[tuple[str, str], dict[str, Any]] = {}
    for w in applied.writes:
        if (w.entity, w.key) not in created:
            by_row.setdefault((w.entity, w.key), {})[w.field] = w.old
            new_of.setdefault((w.entity, w.key), {})[w.field] = w.new
    for (entity, key), old in by_row.items():
        if entity == RESPONSE.entity:
            _undo(entity, key, _restore_response, session, actor, code, key, old, stamps)
        elif entity == REQUEST.entity:
            _undo(entity, key, apply_day.revert_request, session, actor, code, key, old,
                  new_of[(entity, key)])
        elif entity == NOTE.entity:
            _undo(entity, key, apply_day.write_note, session, actor, code, key, old)
        elif entity == ROSTER.entity:
            _undo(entity, key, apply_day.write_roster, session, actor, code, key, old)
        else:
            status = old.pop("status", None)
            _undo(entity, key, write_finding, session, actor, code, key, old, status)
    append_event(
        session, actor, "exchange.revert", "inspection", code,
        {"reverted_seq": [None, applied.audit_seq], "source": [None, applied.source.name],
         "fields_restored": [None, len(applied.writes)],
         "removed": [None, [f"{e}:{k}" for e, k in applied.created]]},
        code,
    )


def _restore_response(session: Session, actor: str, code: str, qid: str,
                      old: Mapping[str, Any], stamps: Mapping[str, tuple[str, Any]]) -> None:
    """A response back as it was, with its assessor and time when they were recorded."""
    if qid not in stamps:
        write_response(session, actor, code, qid, old)
        return
    by, at = stamps[qid]
    services.restore_response(session, actor, inspection_code=code, question_id=qid,
                              values=_to_service(RESPONSE.entity, old), assessed_by=by,
                              assessed_at=at)


def _detach(session: Session, actor: str, code: str, ev_code: str, kind: str,
            target: str) -> None:
    if kind == "question":
        services.detach_evidence(session, actor, code, ev_code, question_id=target)
    else:
        services.detach_evidence(session, actor, code, ev_code, finding_code=target)


def _undo(entity: str, key: str, call: Any, *args: Any) -> None:
    try:
        call(*args)
    except QmsrError as exc:
        raise ApplyRefused(f"Cannot undo the change to {entity} {key}: {exc.message}") from exc

