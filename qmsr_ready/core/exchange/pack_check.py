"""Does an exported workbook still match the workspace? (``qmsr-ready verify W --against P``)

The pack is read and compared by the import engine (``workbook``: file checks, ``_meta``,
sheets by header, the three-way field comparison against the export-time hashes), and nothing is
written. What differs is said per row and field, by who changed it since the export: edited in
the workbook, changed in the workspace, or both; rows added or deleted on either side; a pack of
another workspace, inspection or template. The audit head the pack pinned is looked up in the
workspace's trail: a trail that no longer holds it was rewritten or shortened after the export,
which a chain recomputed end to end cannot hide from a pack kept elsewhere; a pack written by a
version that pins the head but holding no pin was edited. A sign-off, reopening or status change
recorded since the export is a difference too (no sheet row holds it, but a pack of work in
progress is not the signed-off record); the export's own audit event is not counted.

A file that is not a readable pack raises ``ImportRefused`` (bad input); every other outcome is
a ``PackCheck``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.exports import EXPORT_KINDS
from qmsr_ready.core.exchange.fields import RESPONSE, EntitySpec
from qmsr_ready.core.exchange.plan import Outcome, RowPlan, RowStatus
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.exchange.workbook import (
    DAY_SPECS,
    EXPORT_COLUMNS,
    PLURAL,
    SPECS,
    format1_base,
    format2_base,
    plan_sheet,
    read_pack_file,
)
from qmsr_ready.core.exchange.workbook_meta import PackMeta, check_identity
from qmsr_ready.core.exchange.workbook_safety import check_package
from qmsr_ready.core.models import AuditEvent

# Who changed a field since the export, as the comparison's outcome says it.
_BY_OUTCOME = {
    Outcome.CLEAN_UPDATE: "edited in the workbook",
    Outcome.WORKSPACE_ONLY: "changed in the workspace",
    Outcome.CONFLICT: "changed in both the workbook and the workspace",
}
_BY_STATUS = {
    RowStatus.NEW: "row added in the workbook",
    RowStatus.MISSING: "row deleted from the workbook",
    RowStatus.REMOVED_HERE: "row deleted in the workspace since the export",
    RowStatus.UNKNOWN: "row in the workbook with an ID the workspace does not hold",
}


@dataclass(frozen=True)
class Difference:
    """One way the pack and the workspace disagree."""

    kind: str  # "identity", "chain", "edited_in_pack", "changed_here", "both", "rows", "sheet"
    where: str  # "Findings!C5", "Findings row 6", "pack"
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


@dataclass(frozen=True)
class PackCheck:
    """The outcome of comparing one pack with the workspace."""

    pack: str
    inspection_code: str
    exported_at: str
    differences: tuple[Difference, ...]
    notes: tuple[str, ...] = ()

    @property
    def matches(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack, "inspection": self.inspection_code,
            "exported_at": self.exported_at, "matches": self.matches,
            "differences": [{"kind": d.kind, "where": d.where, "text": d.text}
                            for d in self.differences],
            "notes": list(self.notes),
        }


def check_pack(session: Session, path: str | os.PathLike[str]) -> PackCheck:
    """Compare the pack at ``path`` with the workspace; ``ImportRefused`` if it is no pack."""
    pkg = check_package(path, [s.sheet for s in SPECS])
    meta, reads, problems = read_pack_file(pkg)
    code, exported_at = meta.inspection_code, meta.get("generated_at")
    try:
        insp = check_identity(session, meta, pkg.name)
    except ImportRefused as exc:  # another workspace, inspection gone, another template
        return PackCheck(pkg.name, code, exported_at, (Difference("identity", "", str(exc)),))
    notes: list[str] = []
    diffs = _chain(session, meta, code, notes)
    diffs += [Difference("edited_in_pack", p.partition(": ")[0], p.partition(": ")[2])
              for p in problems]
    mine = read_mine(session, code)
    base_of = format1_base(session, insp, meta) if meta.format == "1" else format2_base(meta)
    for spec in SPECS:
        read = reads.get(spec.entity)
        held = _held(spec, mine.of(spec.entity))
        if read is None:
            diffs += _sheet_absent(spec, meta, bool(held), notes)
            continue
        plans = plan_sheet(spec, read, meta, mine, base_of, code, [])
        diffs += _row_differences(plans)
        diffs += _added_here(spec, meta, held, {p.key for p in plans}, mine.titles)
        if read.missing:
            labels = ", ".join(fs.label for fs in read.missing)
            diffs.append(Difference("sheet", spec.sheet,
                                    f"columns deleted from the workbook: {labels}"))
    if meta.format == "1":
        notes.append("format 1 pack (an older QMSR Ready): rows edited on both sides are "
                     "compared value by value")
    return PackCheck(pkg.name, code, exported_at, tuple(diffs), tuple(notes))


# The first QMSR Ready whose every pack pins the audit head (``_meta`` audit_head and
# audit_event_count): a pack it wrote without them was edited, not made by an older version.
PIN_SINCE = (0, 1, 0)
_EXPORT_ACTIONS = tuple(f"export.{kind}" for kind in EXPORT_KINDS)


def _version(text: str) -> tuple[int, ...] | None:
    m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    return None if m is None else tuple(int(g or 0) for g in m.groups())


def _predates_pinning(meta: PackMeta) -> bool:
    """Whether the pack's writer predates head pinning (a pack without ``app_version`` is not
    one we wrote as it stands: every version records it)."""
    version = _version(meta.get("app_version"))
    return version is not None and version < PIN_SINCE


def _events(n: int) -> str:
    return f"{n} audit event{'s' if n != 1 else ''}"


def _chain(session: Session, meta: PackMeta, code: str, notes: list[str]) -> list[Difference]:
    """Is the head the pack pinned still in the trail, and what was recorded since?"""
    head, count = meta.get("audit_head"), meta.get("audit_event_count")
    if not head or not count.isdigit() or int(count) == 0:
        if _predates_pinning(meta):
            notes.append("the pack does not pin the audit trail's state (exported by an older "
                         "QMSR Ready): only its rows were compared")
            return []
        version = meta.get("app_version") or "?"
        return [Difference(
            "chain", "pack",
            f"the pack does not pin the audit trail's state, though QMSR Ready {version} "
            "pins it in every pack: its _meta sheet was edited (audit_head or "
            "audit_event_count cleared), so what it was exported from cannot be checked",
        )]
    if meta.get("audit_verified") == "no":
        notes.append("the workspace's audit trail was already broken when the pack was exported")
    seq = int(count)
    stored = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
    if stored != head:
        why = ("holds no event" if stored is None else "holds another event")
        return [Difference(
            "chain", "audit trail",
            f"the pack was exported at event {seq} (head {head[:12]}…), and the trail now "
            f"{why} there: the workspace's history was rewritten or shortened after the export",
        )]
    # An export records itself after the head it pinned: that event changed nothing the pack
    # shows, nor does any later export.
    since = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.seq > seq, AuditEvent.inspection_code == code,
        AuditEvent.action.not_in(_EXPORT_ACTIONS)))
    if since:
        notes.append(f"{_events(since)} recorded on inspection {code} since the export")
    return _status_changes(session, seq, code) if since else []


def _status_changes(session: Session, seq: int, code: str) -> list[Difference]:
    """The inspection's status changes and sign-offs since the export: the pack's readers rely
    on them (a pack of work in progress is not the signed-off record), though no row of its
    sheets holds them."""
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.seq > seq, AuditEvent.inspection_code == code,
        AuditEvent.entity_type == "inspection", AuditEvent.entity_id == code,
    ).order_by(AuditEvent.seq)).all()
    out: list[Difference] = []
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        status = changes.get("status")
        if not (isinstance(status, list) and len(status) == 2):
            continue

        def new(name: str, changes: dict[str, Any] = changes) -> str:
            pair = changes.get(name)
            return str(pair[1]) if isinstance(pair, list) and len(pair) == 2 else ""

        what = {"inspection.sign_off": f"signed off by {new('signed_by')} ({new('meaning')})",
                "inspection.reopen": f"reopened ({new('reason')})"}.get(event.action,
                                                                      "status changed")
        out.append(Difference(
            "changed_here", code,
            f"{what} in the workspace since the export: status {status[0]!r} → {status[1]!r}",
        ))
    return out


def _row_differences(plans: list[RowPlan]) -> list[Difference]:
    out: list[Difference] = []
    for plan in plans:
        name = f"{plan.key} {plan.title}".strip() if plan.key else plan.title
        if plan.status is not RowStatus.MATCHED:
            text = _BY_STATUS[plan.status]
            out.append(Difference("rows", plan.where or plan.sheet,
                                  f"{text}: {name}" if name else text))
            continue
        for fp in plan.fields:
            who = _BY_OUTCOME.get(fp.outcome)
            if who is None:  # unchanged, or both sides hold the same new value
                continue
            kind = {Outcome.CLEAN_UPDATE: "edited_in_pack",
                    Outcome.WORKSPACE_ONLY: "changed_here"}.get(fp.outcome, "both")
            out.append(Difference(
                kind, fp.cell or plan.where,
                f"{plan.key} {fp.spec.label} {who}: {fp.spec.display(fp.theirs)!r} in the pack, "
                f"{fp.spec.display(fp.mine)!r} in the workspace",
            ))
    return out


def _held(spec: EntitySpec, rows: dict[str, dict[str, Any]]) -> list[str]:
    """The keys of rows holding anything (a question nobody answered, an area without an SME
    is read as a row of defaults)."""
    defaults = spec.defaults()
    return [key for key, values in rows.items() if values != defaults]


def _added_here(spec: EntitySpec, meta: PackMeta, ours: list[str], seen: set[str],
                titles: dict[tuple[str, str], str]) -> list[Difference]:
    """Rows the workspace holds that the pack never had (a gaps-only pack leaves out the
    questions without a gap on purpose)."""
    if spec is RESPONSE and meta.gaps_only:
        return []
    exported = meta.exported(spec.sheet)
    return [Difference("rows", spec.sheet, f"row added in the workspace since the export: "
                                           f"{key} {titles.get((spec.entity, key), '')}".rstrip())
            for key in ours if key not in exported and key not in seen]


def _sheet_absent(spec: EntitySpec, meta: PackMeta, held_here: bool,
                  notes: list[str]) -> list[Difference]:
    plural = PLURAL[spec.entity]
    if meta.format == "1" and spec.sheet not in EXPORT_COLUMNS:
        if spec.sheet in meta.sheets:
            notes.append(f"{plural} not compared: a format 1 pack carries no export-time values "
                         "for them")
        return []
    if spec.sheet in meta.sheets:
        return [Difference("sheet", spec.sheet, f"sheet removed from the workbook ({plural} "
                                                "not compared)")]
    if spec in DAY_SPECS:  # written only when the inspection had such records
        if held_here:
            return [Difference("rows", spec.sheet, f"{plural} recorded in the workspace since "
                                                   "the export (the pack has none)")]
        return []
    notes.append(f"the pack has no {spec.sheet} sheet (left out at export): {plural} not "
                 "compared")
    return []
