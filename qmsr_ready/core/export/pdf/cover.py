"""Cover page: site, inspection, team, dates, the readiness verdict and why, and conformance."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from qmsr_ready.core.errors import ExportFailed
from qmsr_ready.core.export.chain_state import chain_line
from qmsr_ready.core.export.pdf.context import PdfContext, grid_table
from qmsr_ready.core.export.pdf.doc import Heading
from qmsr_ready.core.export.pdf.styles import (
    CONTENT_WIDTH,
    Para,
    esc,
    fmt_date,
    score_colour,
    verdict_colour,
)
from qmsr_ready.core.fields import SITE
from qmsr_ready.core.report.bands import band_of
from qmsr_ready.core.report.model import ReadinessReport
from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.report.verdict import readiness_verdict

TITLE = "Cover"


def build(ctx: PdfContext) -> list[Flowable]:
    """The first page (its own page template: no header or footer)."""
    r, st = ctx.report, ctx.styles
    out: list[Flowable] = []
    if ctx.options.logo_path:
        out.append(_logo(str(ctx.options.logo_path)))
    out += [
        Spacer(1, 28 * mm if not ctx.options.logo_path else 8 * mm),
        Heading("Inspection Readiness Pack", st.title, "sec-cover", 0, outline=TITLE),
        Spacer(1, 4 * mm),
        Para(esc(r.site.name), st.subtitle),
        Para(esc(f"{r.inspection.code} · {r.inspection.inspection_type_label} "
                      f"(Model {r.inspection.model})"), st.subtitle),
        Spacer(1, 14 * mm),
    ]
    # The verdict, not the bare percentage, frames the block: 88 % with an open critical
    # finding must not read as "ready". The percentage keeps its own band colour.
    verdict = readiness_verdict(r)
    frame_colour = verdict_colour(verdict.level)
    o, risk = r.overall, r.risk_focus
    number = score_colour(o.score).hexval()[2:]
    verdict_hex = frame_colour.hexval()[2:]
    rows: list[list[Any]] = [
        [Para(f'<font color="#{verdict_hex}">Readiness verdict: {esc(verdict.label)}</font>',
              st.h2_center)],
        *[[Para(esc(f"• {reason}"), st.small)] for reason in verdict.reasons],
        [Para(f'<font color="#{number}">{format_percent(o.score)}</font>', st.kpi)],
        [Para(esc(f"Checklist conformance ({band_of(o.score).label.lower()}) · risk-focus "
                  f"questions {format_percent(risk.score)} "
                  f"({risk.assessed} of {risk.applicable} assessed)"), st.center)],
        [Para(esc(f"Coverage {format_percent(o.coverage)} ({o.assessed} of {o.applicable} "
                  "applicable questions assessed)"), st.muted_center)],
    ]
    kpi = Table(rows, colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    kpi.setStyle([("BOX", (0, 0), (-1, -1), 0.6, frame_colour),
                  ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                  ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10)])
    trail = chain_line(r.audit)
    trail_hex = "1a7f37" if r.audit.chain_verified else "c62828"
    out += [kpi, Spacer(1, 3 * mm),
            Para(f'<font color="#{trail_hex}"><b>{esc(trail)}</b></font>', st.center),
            Spacer(1, 9 * mm)]
    facts = [
        ("Site", f"{r.site.name} ({r.site.code})"),
        (SITE.label_of("fei_number"), r.site.fei_number or "—"),
        ("Inspection", f"{r.inspection.code} — {r.inspection.title}" if r.inspection.title
         else r.inspection.code),
        ("Type", f"{r.inspection.inspection_type_label}, Model {r.inspection.model}"),
        ("Trigger", r.inspection.trigger or "None stated"),
        ("Planned dates", _dates(r)),
        ("Lead", r.inspection.lead or "—"),
        ("Team", ", ".join(r.inspection.team) or "—"),
        ("Status", r.inspection.status_label),
        ("Checklist", f"{r.template.title} (version {r.template.version})"),
        ("Prepared", f"{r.generated_at:%Y-%m-%d %H:%M} UTC with QMSR Ready {r.app_version}"),
    ]
    rows = [[Para(esc(k), st.cell_bold), Para(esc(v), st.cell)] for k, v in facts]
    out.append(grid_table(rows, [40 * mm, CONTENT_WIDTH - 40 * mm], header=False, zebra=False))
    out += [
        Spacer(1, 10 * mm),
        Para(
            "Mock inspection prepared for internal readiness. It follows the structure of FDA "
            "Compliance Program 7382.850 but is not an FDA document. "
            + esc(r.template.basis), st.muted),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    return out


def _dates(r: ReadinessReport) -> str:
    insp = r.inspection
    if insp.planned_start and insp.planned_end:
        return f"{fmt_date(insp.planned_start)} to {fmt_date(insp.planned_end)}"
    return fmt_date(insp.planned_start) or "Not planned"


def _logo(path: str) -> Flowable:
    try:
        img = Image(path)
    except OSError as exc:
        raise ExportFailed(f"The cover logo {path} could not be read: {exc}") from exc
    max_w, max_h = 50 * mm, 22 * mm
    scale = min(max_w / img.imageWidth, max_h / img.imageHeight, 1.0)
    img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
    img.hAlign = "RIGHT"
    return img
