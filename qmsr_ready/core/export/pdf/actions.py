"""Action plan: open findings by due date, who owns them and whether they are overdue."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, PageBreak

from qmsr_ready.core.export.pdf.context import PdfContext, chunks, grid_table
from qmsr_ready.core.export.pdf.styles import CONTENT_WIDTH, Para, esc, fmt_date
from qmsr_ready.core.report.model import ActionRow

TITLE = "Action plan"
_W = CONTENT_WIDTH
WIDTHS = [_W * 0.08, _W * 0.37, _W * 0.13, _W * 0.15, _W * 0.14, _W * 0.13]
OVERDUE_FILL = "#F8D7DA"


def build(ctx: PdfContext) -> list[Flowable]:
    """Open findings, earliest due first; overdue rows shaded."""
    st = ctx.styles
    actions = ctx.report.actions
    out: list[Flowable] = [ctx.heading(TITLE, "sec-actions")]
    if not actions:
        out += [Para("No open actions.", st.body), PageBreak()]
        return out
    out.append(Para(esc(f"{len(actions)} open actions, {len(ctx.report.overdue_actions)} "
                             f"overdue as of {ctx.report.today:%Y-%m-%d}."), st.muted))
    for part in chunks(actions, 40):
        out.append(_table(ctx, part))
    out.append(PageBreak())
    return out


def _table(ctx: PdfContext, actions: Sequence[ActionRow]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in
                                 ("ID", "Action", "Class", "Owner", "Due", "Status")]]
    extra = []
    for i, a in enumerate(actions, start=1):
        action = f"<b>{esc(a.title)}</b>"
        if a.corrective_action:
            action += f"<br/>{esc(a.corrective_action)}"
        if a.capa_reference:
            ref = a.capa_reference
            label = ref if ref.upper().startswith("CAPA") else f"CAPA {ref}"
            action += f'<br/><font color="#5A6675">{esc(label)}</font>'
        due = fmt_date(a.due_date) or "—"
        if a.overdue:
            days = "1 day" if a.days_overdue == 1 else f"{a.days_overdue} days"
            due += f"<br/><b>{days} overdue</b>"
            extra.append(("BACKGROUND", (0, i), (-1, i), OVERDUE_FILL))
        rows.append([
            Para(esc(a.finding_code), st.cell_bold), Para(action, st.cell),
            Para(esc(a.classification_label), st.cell),
            Para(esc(a.owner or "No owner"), st.cell), Para(due, st.cell),
            Para(esc(a.status_label), st.cell),
        ])
    return grid_table(rows, WIDTHS, extra=extra, zebra=False)
