"""About sheet: provenance — template, versions, IDs, export time, formula and audit state."""

from __future__ import annotations

from qmsr_ready.core.export.xlsx.table import Column, SheetContext, write_table

SHEET = "About"
COLUMNS = (Column("Item", 28), Column("Value", 90, "wrap"))
FORMULA = (
    "Per area: readiness = sum(weight × credit) / sum(weight) over assessed questions of "
    "selected, applicable elements × 100; credit conforms 1, minor gap 0.5, major gap 0. "
    "Not applicable is excluded; not assessed lowers coverage (assessed / applicable), not the "
    "score. Overall uses the same sums across all areas."
)


def facts(ctx: SheetContext) -> list[tuple[str, str]]:
    """Key/value provenance shared with the metadata sheet."""
    r = ctx.report
    return [
        ("App", f"QMSR Ready {r.app_version}"),
        ("Workspace ID", r.workspace_id),
        ("Inspection code", r.inspection.code),
        ("Site code", r.site.code),
        ("Template key", r.template.key),
        ("Template version", r.template.version),
        ("Template title", r.template.title),
        ("Template SHA-256", r.template.sha256),
        ("Exported at (UTC)", f"{r.generated_at:%Y-%m-%d %H:%M:%S}"),
        ("Overdue as of", f"{r.today:%Y-%m-%d}"),
        ("Gaps only", "Yes" if ctx.options.gaps_only else "No"),
        ("Audit events", str(r.audit.event_count)),
        ("Audit chain verified", "Yes" if r.audit.chain_verified else f"No: {r.audit.problem}"),
        ("Audit chain head hash", r.audit.head_hash),
        ("Readiness formula", FORMULA),
        ("Basis", r.template.basis or "—"),
    ]


def write(ctx: SheetContext) -> None:
    """Two-column key/value table."""
    ws = ctx.wb.create_sheet(SHEET)
    write_table(ctx, ws, COLUMNS, ((k, (k, v)) for k, v in facts(ctx)), title="About")
