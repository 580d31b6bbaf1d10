"""What both workspaces held when they parted: the shared audit history a merge compares from.

Split out of ``merge``: the longest common prefix of the two hash-chained trails, replayed for
the inspection, gives each row's values (and each evidence file and link) at the base; the rows
an earlier merge of the same workspace created are found here too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.exchange.fields import (
    FINDING,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    CellValueError,
    entity_spec,
    value_hash,
)
from qmsr_ready.core.models import AuditEvent

Base = dict[str, dict[str, dict[str, Any]]]  # entity -> key -> {field: value as audited}
# entity -> their code -> (our code, our values right after the merge that created it)
Known = dict[str, dict[str, tuple[str, dict[str, Any] | None]]]
SOURCE_CODES = "source_codes"  # the exchange.merge field recording their code -> ours


def audit_chain(session: Session) -> list[tuple[int, str]]:
    return [(int(s), str(h)) for s, h in
            session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq))]


def shared_prefix(mine: list[tuple[int, str]], theirs: list[tuple[int, str]]) -> int:
    """The seq of the last event both audit chains share (0 when they share none)."""
    last = 0
    for a, b in zip(mine, theirs, strict=False):
        if a != b:
            break
        last = a[0]
    return last


def replay_base(session: Session, code: str, upto_seq: int) -> tuple[Base, set[str]]:
    """Each response's and finding's values after the shared events, and the evidence hashes."""
    base: Base = {spec.entity: {} for spec in (RESPONSE, FINDING, REQUEST, NOTE, ROSTER)}
    shas: set[str] = set()
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.inspection_code == code, AuditEvent.seq <= upto_seq)
        .order_by(AuditEvent.seq)
    )
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        if ev.entity_type == "evidence":
            old, new = _pair(changes.get("sha256"))
            if new:
                shas.add(str(new))
            elif old:
                shas.discard(str(old))
            continue
        if ev.entity_type not in base or "/" not in ev.entity_id:
            continue
        key = ev.entity_id.split("/", 1)[1]
        rows = base[ev.entity_type]
        if ev.action.endswith(".delete"):
            rows.pop(key, None)
            continue
        spec = entity_spec(ev.entity_type)
        row = rows.setdefault(key, spec.defaults() if spec in (RESPONSE, ROSTER) else {})
        for name, pair in changes.items():
            if name in spec.names and _pair(pair) != (None, None):
                row[name] = _pair(pair)[1]
    return base, shas


def merged_before(session: Session, code: str, workspace_id: str) -> Known:
    """The rows earlier merges of workspace ``workspace_id`` created here (not undone).

    Each ``exchange.merge`` event records their code -> ours per entity; the values to compare
    with are ours right after that merge (what both sides had then).
    """
    if not workspace_id:
        return {}
    events = list(session.scalars(
        select(AuditEvent).where(AuditEvent.inspection_code == code,
                                 AuditEvent.action.in_(("exchange.merge", "exchange.revert")))
        .order_by(AuditEvent.seq)))
    undone = {_pair((e.changes or {}).get("reverted_seq"))[1] for e in events
              if e.action == "exchange.revert" and isinstance(e.changes, dict)}
    known: Known = {}
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        if ev.action != "exchange.merge" or ev.seq in undone:
            continue
        if _pair(changes.get("source_workspace_id"))[1] != workspace_id:
            continue
        codes = _pair(changes.get(SOURCE_CODES))[1]
        if not isinstance(codes, dict) or not codes:
            continue
        then, _shas = replay_base(session, code, ev.seq)
        for entity, mapping in codes.items():
            if entity not in then or not isinstance(mapping, dict):
                continue
            for theirs, ours in mapping.items():
                known.setdefault(entity, {})[str(theirs)] = (
                    str(ours), then[entity].get(str(ours)))
    return known


def base_links(session: Session, code: str, upto_seq: int) -> dict[str, set[str]]:
    """Each evidence file's links (SHA-256 -> "question Q" / "finding F-001" labels) after the
    shared events: a link either side lacks now was removed there since."""
    sha_of: dict[str, str] = {}
    links: dict[str, set[str]] = {}
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.inspection_code == code, AuditEvent.entity_type == "evidence",
               AuditEvent.seq <= upto_seq)
        .order_by(AuditEvent.seq)
    )
    for ev in events:
        changes = ev.changes if isinstance(ev.changes, dict) else {}
        old_sha, new_sha = _pair(changes.get("sha256"))
        if new_sha:
            sha_of[ev.entity_id] = str(new_sha)
            links[ev.entity_id] = set()
        elif old_sha:
            links.pop(ev.entity_id, None)
        old, new = _pair(changes.get("linked_to"))
        if ev.entity_id in links:
            if new:
                links[ev.entity_id].add(str(new))
            elif old:
                links[ev.entity_id].discard(str(old))
    by_sha: dict[str, set[str]] = {}
    for entity_id, labels in links.items():
        by_sha.setdefault(sha_of[entity_id], set()).update(labels)
    return by_sha


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def base_hashes(entity: str, row: dict[str, Any] | None) -> dict[str, str] | None:
    """``value_hash`` of each base value in canonical form (``None``: the row had no base)."""
    if row is None:
        return None
    spec = entity_spec(entity)
    hashes: dict[str, str] = {}
    for name, value in row.items():
        try:
            hashes[name] = value_hash(spec.field(name).canonical(value))
        except (CellValueError, KeyError):
            continue  # a value today's rules cannot read: compare that field without a base
    return hashes
