"""Hidden ``_meta`` sheet: what a later import needs to match rows and spot edits.

Layout (one table, header in row 1; docs/workbook-format.md has the full description)::

    kind | sheet | row | id | value | base

``kind == "info"`` rows carry key/value facts (``id`` is the key: format, inspection_code,
workspace_id, site_code, template_key, template_version, template_sha256, generated_at,
app_version, gaps_only, sheets). ``gaps_only == "yes"`` means the Checklist sheet holds only the
gap rows, so a row missing from it was filtered out, not deleted; ``sheets`` lists the visible
sheets written (a sheet left out by the user's choice is not a deletion either).
``kind == "row"`` rows name a data row of a visible sheet by its stable ID and give the SHA-256
``fingerprint`` of the values exported in that row; an importer recomputes it with
``fingerprint()`` over the row as read back and treats a difference as an edit.
Format 2 adds ``base`` to the rows of the Checklist and Findings sheets: the export-time
``value_hash`` of each exchanged field (``name=hash;name=hash``, field names and canonical forms
from ``core.exchange.fields``), so an import tells per field who changed what since the export.
Format 1 packs have no ``base`` column; their row fingerprints are the only base.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.workbook import Workbook

from qmsr_ready.core.exchange.fields import CellValueError, EntitySpec, value_hash
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.report.model import ReadinessReport

META_SHEET = "_meta"
FORMAT_VERSION = "2"
READABLE_FORMATS = ("1", "2")  # what an import of this version understands
HEADER = ("kind", "sheet", "row", "id", "value", "base")


def normalise(value: Any) -> str:
    """The canonical text of one cell value, identical for written and read-back values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat(sep=" ")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 6))
    return str(value)


def fingerprint(values: Sequence[Any]) -> str:
    """SHA-256 over a row's normalised values joined by the unit separator."""
    text = "\x1f".join(v if type(v) is str else normalise(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def field_hashes(spec: EntitySpec, raw: Mapping[str, Any]) -> str:
    """The ``base`` cell of one row: each exchanged field's export-time value hash.

    ``raw`` holds the values as the workspace stored them. A value that has no canonical form
    (it should not happen: the services validate) is left out, so an import has no base for it
    and falls back to comparing with the field's default.
    """
    parts = []
    for fs in spec.fields:
        try:
            parts.append(f"{fs.name}={_value_hash(fs.canonical(raw.get(fs.name)))}")
        except CellValueError:
            continue
    return ";".join(parts)


_CACHED_KINDS = {str: "str", int: "int", bool: "bool", type(None): "none", dt.date: "date"}


@functools.lru_cache(maxsize=4096)
def _cached_hash(kind: str, value: Any) -> str:
    return value_hash(value)


def _value_hash(value: Any) -> str:
    """``value_hash``, remembered for the values many rows share (empty fields, labels, owners).

    Keyed by exact type too: ``True == 1`` and ``1 == 1.0`` would share a dictionary entry, and
    their hashes differ. Other values (tuples of IDs, datetimes) are hashed directly.
    """
    kind = _CACHED_KINDS.get(type(value))
    return value_hash(value) if kind is None else _cached_hash(kind, value)


def parse_field_hashes(text: Any) -> dict[str, str]:
    """``field_hashes`` read back: ``{field name: hash}`` (empty for a format 1 row)."""
    if not isinstance(text, str) or not text:
        return {}
    pairs = (part.partition("=") for part in text.split(";"))
    return {name.strip(): h.strip() for name, sep, h in pairs if sep and name.strip()}


@dataclass
class MetaCollector:
    """Rows for the metadata sheet, filled by each visible sheet as it writes."""

    info: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, int, str, str, str]] = field(default_factory=list)

    def add_row(
        self, sheet: str, row: int, row_id: str, values: Sequence[Any], base: str = ""
    ) -> None:
        self.rows.append((sheet, row, row_id, fingerprint(values), base))


def machine_facts(
    report: ReadinessReport, options: ExportOptions, sheets: Sequence[str]
) -> list[tuple[str, str]]:
    """The documented machine keys for an importer (the About sheet has the readable ones)."""
    return [
        ("inspection_code", report.inspection.code),
        ("workspace_id", report.workspace_id),
        ("site_code", report.site.code),
        ("template_key", report.template.key),
        ("template_version", report.template.version),
        ("template_sha256", report.template.sha256),
        ("generated_at", f"{report.generated_at:%Y-%m-%dT%H:%M:%SZ}"),
        ("app_version", report.app_version),
        ("gaps_only", "yes" if options.gaps_only else "no"),
        ("sheets", ";".join(s for s in sheets if s != META_SHEET)),
        # the chain state the pack was made from: a later 'verify --against' checks it
        ("audit_verified", "yes" if report.audit.chain_verified else "no"),
        ("audit_event_count", str(report.audit.event_count)),
        ("audit_head", report.audit.head_hash),
    ]


def write(wb: Workbook, meta: MetaCollector) -> None:
    """Write the hidden metadata sheet (always last, never optional)."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    ws.append(list(HEADER))
    ws.append(["info", "", None, "format", FORMAT_VERSION])
    for key, value in meta.info:
        ws.append(["info", "", None, key, value])
    for sheet, row, row_id, fp, base in meta.rows:
        ws.append(["row", sheet, row, row_id, fp, base or None])
