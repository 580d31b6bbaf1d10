"""Findings register: every finding with its evidence, requirement, CAPA fields and status."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, PageBreak

from qmsr_ready.core.export.pdf.context import PdfContext, chunks, grid_table
from qmsr_ready.core.export.pdf.styles import CLASS_FILL, CONTENT_WIDTH, RED, Para, esc, fmt_date
from qmsr_ready.core.export.progress import check
from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.report.model import FindingRow

TITLE = "Findings register"
_W = CONTENT_WIDTH
WIDTHS = [_W * 0.08, _W * 0.52, _W * 0.16, _W * 0.24]
# Text fields printed under the title, each captioned with its FINDING spec label.
CAPTIONED = ("objective_evidence", "requirement", "correction", "root_cause",
             "corrective_action", "effectiveness_check")


def build(ctx: PdfContext) -> list[Flowable]:
    """One table (in chunks) of all findings in code order."""
    st = ctx.styles
    findings = ctx.report.findings
    out: list[Flowable] = [ctx.heading(TITLE, "sec-findings")]
    if not findings:
        out += [Para("No findings were raised.", st.body), PageBreak()]
        return out
    out.append(Para(esc(f"{len(findings)} findings, "
                             f"{sum(f.status != 'closed' for f in findings)} open."), st.muted))
    for part in chunks(findings, 30):
        check(ctx.progress)
        out.append(_table(ctx, part))
    out.append(PageBreak())
    return out


def _table(ctx: PdfContext, findings: Sequence[FindingRow]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in
                                 ("ID", "Finding", "Class / status", "Owner / due / CAPA")]]
    extra = []
    for i, f in enumerate(findings, start=1):
        body = [f"<b>{esc(f.title)}</b>"]
        for name in CAPTIONED:
            value = getattr(f, name)
            if value:
                label = FINDING.label_of(name)
                body.append(f'<font color="#5A6675">{label}:</font> {esc(value)}')
        if f.question_ids:
            body.append(f'<font color="#5A6675">Questions:</font> {esc(", ".join(f.question_ids))}')
        cls = [esc(f.classification_label), esc(f.status_label),
               f"Risk {f.risk_score} (S{f.severity}×L{f.likelihood})"]
        if f.likely_483:
            cls.append(f"<b>{FINDING.label_of('likely_483')}</b>")
        due = fmt_date(f.due_date) or "no due date"
        if f.overdue:
            due = f'<font color="#{RED.hexval()[2:]}"><b>{due} — overdue</b></font>'
        owner = [esc(f.owner or "No owner"), due]
        if f.capa_reference:
            ref = f.capa_reference
            owner.append(esc(ref if ref.upper().startswith("CAPA") else f"CAPA {ref}"))
        if f.closed_at:
            owner.append(f"Closed {fmt_date(f.closed_at)}")
        rows.append([
            Para(esc(f.code), st.cell_bold),
            [Para(p, st.cell) for p in body],
            Para("<br/>".join(cls), st.cell),
            Para("<br/>".join(owner), st.cell),
        ])
        if f.classification in CLASS_FILL:
            extra.append(("BACKGROUND", (2, i), (2, i), CLASS_FILL[f.classification]))
    return grid_table(rows, WIDTHS, extra=extra, zebra=False)
