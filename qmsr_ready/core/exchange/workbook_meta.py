"""The returned pack's hidden ``_meta`` sheet, and whether the pack belongs here.

A pack may only come back to the workspace, inspection and template version it was exported
from: its base values describe that workspace's state at export. Anything else is refused with
a line that says which of the three differs (and, for another workspace holding the same
inspection, that merging that workspace is the safe way to combine the work).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.export.xlsx.meta import META_SHEET, READABLE_FORMATS, parse_field_hashes
from qmsr_ready.core.models import Inspection, WorkspaceInfo


@dataclass(frozen=True)
class MetaRow:
    """One exported data row: where it was written, its fingerprint and its field hashes."""

    row: int | None
    fingerprint: str
    base: dict[str, str]


@dataclass
class PackMeta:
    """What the pack says about itself."""

    format: str
    info: dict[str, str]
    rows: dict[str, dict[str, MetaRow]] = field(default_factory=dict)  # sheet -> id -> row

    def get(self, key: str) -> str:
        return self.info.get(key, "")

    @property
    def inspection_code(self) -> str:
        return self.get("inspection_code")

    @property
    def gaps_only(self) -> bool:
        return self.get("gaps_only") == "yes"

    @property
    def sheets(self) -> tuple[str, ...]:
        return tuple(s for s in self.get("sheets").split(";") if s)

    def exported(self, sheet: str) -> dict[str, MetaRow]:
        return self.rows.get(sheet, {})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_meta(sheetnames: list[str], rows: Iterable[tuple[Any, ...]], name: str) -> PackMeta:
    """Parse the ``_meta`` rows (header first); refuse a workbook that is not our pack."""
    not_ours = (
        f"{name} is not a QMSR Ready pack (it has no readable {META_SHEET} sheet); import the "
        "workbook QMSR Ready exported, with its hidden sheets left in place."
    )
    if META_SHEET not in sheetnames:
        raise ImportRefused(not_ours)
    it = iter(rows)
    header = [_text(v) for v in next(it, ())]
    if header[:5] != ["kind", "sheet", "row", "id", "value"]:
        raise ImportRefused(not_ours)
    info: dict[str, str] = {}
    meta_rows: dict[str, dict[str, MetaRow]] = {}
    for raw in it:
        kind, sheet, row, key, value, base = (list(raw) + [None] * 6)[:6]
        kind = _text(kind)
        if kind == "info":
            info[_text(key)] = _text(value)
        elif kind == "row":
            row_no = row if isinstance(row, int) else None
            meta_rows.setdefault(_text(sheet), {})[_text(key)] = MetaRow(
                row_no, _text(value), parse_field_hashes(base)
            )
    fmt = info.get("format", "")
    if not fmt or not info.get("inspection_code"):
        raise ImportRefused(not_ours)
    if fmt not in READABLE_FORMATS:
        raise ImportRefused(
            f"{name} was written by a newer QMSR Ready (pack format {fmt}; this version reads "
            f"{' and '.join(READABLE_FORMATS)}); update QMSR Ready and import it again."
        )
    return PackMeta(fmt, info, meta_rows)


def workspace_id(session: Session) -> str:
    value = session.scalar(select(WorkspaceInfo.value).where(WorkspaceInfo.key == "workspace_id"))
    return value or ""


def check_identity(session: Session, meta: PackMeta, name: str) -> Inspection:
    """The inspection the pack belongs to, or ``ImportRefused`` saying which identity differs."""
    code = meta.inspection_code
    insp = session.scalar(select(Inspection).where(Inspection.code == code))
    ours, theirs = workspace_id(session), meta.get("workspace_id")
    same_inspection = insp is not None and insp.template.sha256 == meta.get("template_sha256")
    if theirs != ours:
        advice = (
            f" Both hold inspection {code}: to combine the work, merge the other workspace "
            f"instead (qmsr-ready merge WORKSPACE OTHER.qmsr --inspection {code}), which "
            "compares field by field and loses nothing."
            if same_inspection
            else " Import it into the workspace it was exported from."
        )
        raise ImportRefused(
            f"{name} was exported from another workspace (ID {theirs[:8] or 'none'}…, this is "
            f"{ours[:8]}…), so its values cannot be compared with this one.{advice}"
        )
    if insp is None:
        raise ImportRefused(
            f"{name} is a pack of inspection {code}, which this workspace no longer holds; "
            "nothing was changed."
        )
    tpl = insp.template
    if tpl.sha256 != meta.get("template_sha256"):
        theirs_tpl = f"{meta.get('template_key')} {meta.get('template_version')}".strip()
        raise ImportRefused(
            f"{name} was exported with checklist template {theirs_tpl or 'unknown'} "
            f"({meta.get('template_sha256')[:12] or 'no hash'}), but inspection {code} here uses "
            f"{tpl.key} {tpl.version} ({tpl.sha256[:12]}); export a fresh pack and redo the "
            "edits in it."
        )
    return insp
