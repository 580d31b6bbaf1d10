"""Runs the workbook's sections in order; adding a sheet is adding one entry to SECTIONS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from qmsr_ready.core.export.chain_state import chain_line
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.progress import Progress, Steps
from qmsr_ready.core.export.safe_text import clean_for_property
from qmsr_ready.core.export.xlsx import (
    about,
    actions,
    areas,
    checklist,
    crosswalk,
    elements,
    findings,
    meta,
    notes,
    requests,
    roster,
    summary,
)
from qmsr_ready.core.export.xlsx.meta import MetaCollector
from qmsr_ready.core.export.xlsx.save import save_workbook
from qmsr_ready.core.export.xlsx.styles import StyleCache
from qmsr_ready.core.export.xlsx.table import SheetContext
from qmsr_ready.core.report.model import ReadinessReport

SheetWriter = Callable[[SheetContext], None]

SECTIONS: tuple[tuple[str, SheetWriter], ...] = (
    ("summary", summary.write),
    ("areas", areas.write),
    ("elements", elements.write),
    ("checklist", checklist.write),
    ("findings", findings.write),
    ("actions", actions.write),
    ("crosswalk", crosswalk.write),
    ("requests", requests.write),
    ("notes", notes.write),
    ("roster", roster.write),
    ("about", about.write),
)


def write_workbook(
    report: ReadinessReport, path: Path, options: ExportOptions, progress: Progress
) -> None:
    """Render the chosen sheets plus the hidden metadata sheet and save to ``path``."""
    chosen = [(key, fn) for key, fn in SECTIONS if options.wants(key)]
    steps = Steps(progress, len(chosen) + 1)
    wb = Workbook()
    ctx = SheetContext(
        wb=wb, report=report, options=options, styles=StyleCache(wb), meta=MetaCollector(),
        progress=progress,
    )
    default = wb.active
    for key, fn in chosen:
        steps.start(f"Writing {key} sheet")
        fn(ctx)
        steps.finish(f"Wrote {key} sheet")
    if default is not None and len(wb.worksheets) > 1:
        wb.remove(default)
    elif default is not None:
        default.title = "Empty"
    ctx.meta.info.extend(meta.machine_facts(report, options, [ws.title for ws in wb.worksheets]))
    meta.write(wb, ctx.meta)
    wb.active = 0
    _set_properties(wb, report)
    steps.start("Saving workbook")
    save_workbook(wb, path)
    steps.finish("Workbook saved")


def _set_properties(wb: Workbook, report: ReadinessReport) -> None:
    """Title, subject and keywords, cleaned like the cells: openpyxl does not check them."""
    props = wb.properties
    props.title = clean_for_property(
        f"Readiness pack {report.inspection.code} — {report.site.name}"
    )
    props.subject = clean_for_property(f"Mock inspection readiness ({report.template.title})")
    props.creator = clean_for_property(f"QMSR Ready {report.app_version}")
    props.keywords = clean_for_property(
        f"QMSR; {report.inspection.code}; {report.template.key}"
    )
    props.description = clean_for_property(chain_line(report.audit))
