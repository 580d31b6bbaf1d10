"""The exchange plan: what an import or merge would change, field by field, before anything does.

Every exchange (a workbook coming back, another auditor's workspace) is read into the same
three sides — *theirs* (the incoming values), *base* (what both sides had when they parted: the
workbook's export-time hashes, or the common audit history of two workspaces) and *mine* (the
workspace now) — and compared per field by ``classify``. The result is an ``ExchangePlan`` that
the CLI prints, the GUI previews and ``apply_plan`` carries out. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from qmsr_ready.core.exchange.fields import ENTITIES, EntitySpec, FieldSpec, value_hash


class Outcome(StrEnum):
    """How one field compares across the three sides."""

    UNCHANGED = "unchanged"  # nobody changed it
    CLEAN_UPDATE = "clean_update"  # only the incoming side changed it: take theirs
    ALREADY_APPLIED = "already_applied"  # both sides hold the same new value
    WORKSPACE_ONLY = "workspace_only"  # only the workspace changed it: keep mine
    CONFLICT = "conflict"  # both changed it, differently: someone must decide

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.UNCHANGED: "Unchanged",
    Outcome.CLEAN_UPDATE: "Update",
    Outcome.ALREADY_APPLIED: "Already applied",
    Outcome.WORKSPACE_ONLY: "Changed here only (kept)",
    Outcome.CONFLICT: "Conflict",
}


class RowStatus(StrEnum):
    """What happened to a whole row between the two sides."""

    MATCHED = "matched"  # on both sides: compare its fields
    NEW = "new"  # only on the incoming side and new there: would be created
    UNKNOWN = "unknown"  # carries an ID this workspace does not know: reported, never applied
    MISSING = "missing"  # was exported (or shared) but is gone from the incoming side: reported
    REMOVED_HERE = "removed_here"  # the incoming side has it, this workspace deleted it: reported

    @property
    def label(self) -> str:
        return ROW_STATUS_LABELS[self]


ROW_STATUS_LABELS: dict[RowStatus, str] = {
    RowStatus.MATCHED: "Matched",
    RowStatus.NEW: "New",
    RowStatus.UNKNOWN: "Unknown ID (not applied)",
    RowStatus.MISSING: "Deleted from the incoming side (not applied)",
    RowStatus.REMOVED_HERE: "Deleted in this workspace (not applied)",
}


class Choice(StrEnum):
    """A decision on one field: keep the workspace's value or take the incoming one."""

    MINE = "mine"
    THEIRS = "theirs"


class ConflictPolicy(StrEnum):
    """What to do with conflicts nobody decided one by one."""

    FAIL = "fail"  # refuse the whole exchange
    KEEP_MINE = "keep-mine"
    TAKE_THEIRS = "take-theirs"


FieldKey = tuple[str, str, str]  # (entity, row key, field name)


@dataclass(frozen=True)
class FieldPlan:
    """One field of one row: both values (canonical), how they compare, where it came from."""

    spec: FieldSpec
    outcome: Outcome
    mine: Any
    theirs: Any
    cell: str = ""  # e.g. "Checklist!H12" for a workbook; "" for a workspace

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def default_choice(self) -> Choice | None:
        """The choice made when nobody decides: None for a conflict."""
        if self.outcome is Outcome.CLEAN_UPDATE:
            return Choice.THEIRS
        if self.outcome is Outcome.CONFLICT:
            return None
        return Choice.MINE

    @property
    def differs(self) -> bool:
        return bool(self.mine != self.theirs)


@dataclass(frozen=True)
class RowPlan:
    """One row (a response, a finding …) and the plan for each of its fields."""

    entity: str
    key: str  # question ID, finding code; for a NEW finding without a code, "" + ``ref``
    status: RowStatus
    title: str  # a few words people recognise the row by
    fields: tuple[FieldPlan, ...] = ()
    sheet: str = ""
    row: int | None = None  # workbook row number, when there is one
    note: str = ""  # why it is reported, or how it will be created (e.g. "as F-012")
    ref: str = ""  # stable handle for a NEW row without a key (e.g. "Findings!row 14")

    @property
    def handle(self) -> str:
        """What decisions are keyed by: the key, or the ref of a new row without one."""
        return self.key or self.ref

    @property
    def where(self) -> str:
        if self.sheet and self.row is not None:
            return f"{self.sheet} row {self.row}"
        return self.sheet

    def field(self, name: str) -> FieldPlan:
        for fp in self.fields:
            if fp.name == name:
                return fp
        raise KeyError(name)

    @property
    def conflicts(self) -> tuple[FieldPlan, ...]:
        return tuple(f for f in self.fields if f.outcome is Outcome.CONFLICT)

    @property
    def changes(self) -> tuple[FieldPlan, ...]:
        """Fields the default plan would write (clean updates), or every value of a new row."""
        if self.status is RowStatus.NEW:
            return self.fields
        return tuple(f for f in self.fields if f.outcome is Outcome.CLEAN_UPDATE)

    @property
    def interesting(self) -> bool:
        """Whether a preview should show the row at all."""
        return self.status is not RowStatus.MATCHED or any(
            f.outcome not in (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED) for f in self.fields
        )


@dataclass(frozen=True)
class SourceInfo:
    """What the incoming side is (recorded in the audit trail with the decisions)."""

    kind: str  # "workbook" or "workspace"
    name: str  # file name as the user knows it
    sha256: str  # of the file's bytes
    workspace_id: str = ""  # the workspace the pack was exported from, or the other workspace
    audit_head: str = ""  # the other workspace's audit head (merge)
    exported_at: str = ""  # when the pack was generated (workbook)
    base: str = ""  # how the base was known: field hashes, row fingerprints, audit history, none


@dataclass(frozen=True)
class ExchangePlan:
    """Every row the exchange touches, with the decisions still open."""

    inspection_code: str
    template_sha256: str
    source: SourceInfo
    rows: tuple[RowPlan, ...]
    notices: tuple[str, ...] = ()  # e.g. "gaps-only pack: unlisted questions were not compared"
    # extra payloads an exchange carries besides fields (merge: evidence and links to copy)
    extras: Mapping[str, Any] = field(default_factory=dict)

    # -- questions a caller asks ------------------------------------------------------------
    def rows_of(self, entity: str) -> tuple[RowPlan, ...]:
        return tuple(r for r in self.rows if r.entity == entity)

    @property
    def conflicts(self) -> tuple[tuple[RowPlan, FieldPlan], ...]:
        return tuple((r, f) for r in self.rows if r.status is RowStatus.MATCHED
                     for f in r.conflicts)

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflicts)

    @property
    def reported(self) -> tuple[RowPlan, ...]:
        """Rows shown but never applied (unknown IDs, deletions on either side)."""
        return tuple(r for r in self.rows if r.status not in (RowStatus.MATCHED, RowStatus.NEW))

    def counts(self) -> dict[str, int]:
        """Numbers for a one-line summary and the JSON output."""
        fields = [f for r in self.rows if r.status is RowStatus.MATCHED for f in r.fields]
        return {
            "rows": len(self.rows),
            "updates": sum(f.outcome is Outcome.CLEAN_UPDATE for f in fields),
            "conflicts": sum(f.outcome is Outcome.CONFLICT for f in fields),
            "already_applied": sum(f.outcome is Outcome.ALREADY_APPLIED for f in fields),
            "workspace_only": sum(f.outcome is Outcome.WORKSPACE_ONLY for f in fields),
            "new_rows": sum(r.status is RowStatus.NEW for r in self.rows),
            "unknown_rows": sum(r.status is RowStatus.UNKNOWN for r in self.rows),
            "missing_rows": sum(r.status is RowStatus.MISSING for r in self.rows),
            "removed_here_rows": sum(r.status is RowStatus.REMOVED_HERE for r in self.rows),
        }

    def choice_for(
        self,
        row: RowPlan,
        fp: FieldPlan,
        decisions: Mapping[FieldKey, Choice] | None = None,
        policy: ConflictPolicy = ConflictPolicy.FAIL,
    ) -> Choice | None:
        """The decision for one field: the user's, else the default, else the policy's."""
        if decisions:
            chosen = decisions.get((row.entity, row.handle, fp.name))
            if chosen is not None:
                return Choice(chosen)
        default = fp.default_choice
        if default is not None:
            return default
        if policy is ConflictPolicy.KEEP_MINE:
            return Choice.MINE
        if policy is ConflictPolicy.TAKE_THEIRS:
            return Choice.THEIRS
        return None

    def undecided(
        self,
        decisions: Mapping[FieldKey, Choice] | None = None,
        policy: ConflictPolicy = ConflictPolicy.FAIL,
    ) -> tuple[tuple[RowPlan, FieldPlan], ...]:
        """Conflicts still without a decision (apply refuses while any remain)."""
        return tuple(
            (r, f) for r, f in self.conflicts if self.choice_for(r, f, decisions, policy) is None
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form for ``--json`` (values as people read them)."""
        return {
            "inspection": self.inspection_code,
            "template_sha256": self.template_sha256,
            "source": {
                "kind": self.source.kind, "name": self.source.name,
                "sha256": self.source.sha256, "workspace_id": self.source.workspace_id,
                "audit_head": self.source.audit_head, "exported_at": self.source.exported_at,
                "base": self.source.base,
            },
            "counts": self.counts(),
            "notices": list(self.notices),
            "rows": [
                {
                    "entity": r.entity, "key": r.key, "status": r.status.value,
                    "title": r.title, "sheet": r.sheet, "row": r.row, "note": r.note,
                    "fields": [
                        {
                            "field": f.name, "label": f.spec.label, "outcome": f.outcome.value,
                            "mine": f.spec.display(f.mine), "theirs": f.spec.display(f.theirs),
                            "cell": f.cell,
                        }
                        for f in r.fields
                        if r.status is RowStatus.NEW
                        or f.outcome not in (Outcome.UNCHANGED,)
                    ],
                }
                for r in self.rows
                if r.interesting
            ],
        }


# -- the three-way comparison ---------------------------------------------------------------


def classify(mine: Any, theirs: Any, base_hash: str | None, default: Any) -> Outcome:
    """Compare one field three ways.

    ``base_hash`` is ``value_hash`` of the value both sides started from, or ``None`` when it is
    not known (a row created since, a workspace with no shared history): then a side still at
    the field's default is taken to be the one that did not change it.
    """
    if mine == theirs:
        if base_hash is None or base_hash == value_hash(mine):
            return Outcome.UNCHANGED
        return Outcome.ALREADY_APPLIED
    if base_hash is not None:
        if base_hash == value_hash(theirs):
            return Outcome.WORKSPACE_ONLY
        if base_hash == value_hash(mine):
            return Outcome.CLEAN_UPDATE
        return Outcome.CONFLICT
    if mine == default:
        return Outcome.CLEAN_UPDATE
    if theirs == default:
        return Outcome.WORKSPACE_ONLY
    return Outcome.CONFLICT


def compare_row(
    spec: EntitySpec,
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    base: Mapping[str, str] | None,
    cells: Mapping[str, str] | None = None,
) -> tuple[FieldPlan, ...]:
    """Field plans for one matched row. Fields absent from ``theirs`` are not compared
    (a workbook column the user deleted is not a request to clear the field)."""
    plans = []
    for fs in spec.fields:
        if fs.name not in theirs:
            continue
        m = mine.get(fs.name, fs.default)
        t = theirs[fs.name]
        b = base.get(fs.name) if base is not None else None
        plans.append(FieldPlan(fs, classify(m, t, b, fs.default), m, t,
                               (cells or {}).get(fs.name, "")))
    return tuple(plans)


def new_row_fields(
    spec: EntitySpec, theirs: Mapping[str, Any], cells: Mapping[str, str] | None = None
) -> tuple[FieldPlan, ...]:
    """Field plans of a row only the incoming side has: every value is taken."""
    return tuple(
        FieldPlan(fs, Outcome.CLEAN_UPDATE, fs.default, theirs.get(fs.name, fs.default),
                  (cells or {}).get(fs.name, ""))
        for fs in spec.fields
    )


def entities_in(rows: Iterable[RowPlan]) -> list[EntitySpec]:
    present = {r.entity for r in rows}
    return [spec for spec in ENTITIES if spec.entity in present]
