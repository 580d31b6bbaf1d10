"""Sign-off page: signatures with their meaning and time, and the audit chain head hash."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from qmsr_ready.core.export.pdf.context import PdfContext, grid_table
from qmsr_ready.core.export.pdf.styles import CONTENT_WIDTH, Para, esc, fmt_datetime

TITLE = "Sign-off"
_W = CONTENT_WIDTH


def build(ctx: PdfContext) -> list[Flowable]:
    """Signatures, audit trail state and blank lines for wet-ink review."""
    r, st = ctx.report, ctx.styles
    out: list[Flowable] = [ctx.heading(TITLE, "sec-signoff")]
    if r.signoffs:
        rows: list[list[object]] = [[Para(h, st.cell_head) for h in
                                     ("Name", "Meaning of signature", "Signed (UTC)", "State")]]
        for s in r.signoffs:
            state = "Current" if s.current else (
                f"Superseded {fmt_datetime(s.superseded_at)}: {s.superseded_reason}")
            rows.append([Para(esc(s.name), st.cell_bold), Para(esc(s.meaning), st.cell),
                         Para(esc(fmt_datetime(s.signed_at)), st.cell),
                         Para(esc(state), st.cell)])
        out.append(grid_table(rows, [_W * 0.24, _W * 0.36, _W * 0.18, _W * 0.22]))
    else:
        out.append(Para("The inspection has not been signed off.", st.body))
    a = r.audit
    verified = "verified intact" if a.chain_verified else f"NOT intact: {a.problem}"
    out += [
        Para("Audit trail", st.h2),
        grid_table(
            [[Para("Events in workspace", st.cell_bold), Para(str(a.event_count),
                                                                         st.cell)],
             [Para("Events for this inspection", st.cell_bold),
              Para(str(a.inspection_event_count), st.cell)],
             [Para("Hash chain", st.cell_bold), Para(esc(verified), st.cell)],
             [Para("Chain head hash (SHA-256)", st.cell_bold),
              Para(esc(a.head_hash or "—"), st.cell)],
             [Para("Workspace ID", st.cell_bold), Para(esc(r.workspace_id), st.cell)],
             [Para("Template", st.cell_bold),
              Para(esc(f"{r.template.key} {r.template.version} · SHA-256 "
                            f"{r.template.sha256}"), st.cell)]],
            [_W * 0.3, _W * 0.7], header=False, zebra=False),
        Spacer(1, 14 * mm),
        Para("Management review", st.h2),
    ]
    line = "_" * 38
    rows2 = [[Para(f"Name<br/><br/>{line}", st.body), Para(f"Signature<br/><br/>{line}",
                                                                      st.body),
              Para(f"Date<br/><br/>{'_' * 18}", st.body)]]
    out.append(grid_table(rows2, [_W * 0.4, _W * 0.4, _W * 0.2], header=False, zebra=False))
    return out
