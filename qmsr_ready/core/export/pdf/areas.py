"""Area-by-area detail: the plan for each area, every question with result and notes, and the
questions answered "Not applicable" with their reasons (an auditor asks why each does not apply).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from reportlab.platypus import Flowable, PageBreak

from qmsr_ready.core.export.pdf.context import PdfContext, chunks, grid_table
from qmsr_ready.core.export.pdf.styles import CONTENT_WIDTH, RESULT_FILL, Para, esc, fmt_datetime
from qmsr_ready.core.export.progress import check
from qmsr_ready.core.reasons import na_reason
from qmsr_ready.core.report.bands import band_of
from qmsr_ready.core.report.model import PlannedElement, QuestionRow
from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.vocab import Result

TITLE = "Area-by-area detail"
_W = CONTENT_WIDTH
WIDTHS = [_W * 0.15, _W * 0.36, _W * 0.12, _W * 0.37]  # IDs like SUBA-01-Q01 fit


NA_TITLE = "Answers marked Not applicable"


def outline(ctx: PdfContext) -> list[tuple[int, str, str]]:
    """Contents entries of this section: the section, one per area, and the N/A list."""
    return [(0, TITLE, "sec-areas")] + [
        (1, f"{a.area_id} — {a.title}", f"area-{a.area_id}") for a in ctx.report.areas
    ] + [(1, NA_TITLE, "sec-na")]


def build(ctx: PdfContext) -> list[Flowable]:
    """One bookmarked block per area."""
    r, st = ctx.report, ctx.styles
    by_area: dict[str, list[QuestionRow]] = defaultdict(list)
    for q in r.questions:
        if not ctx.options.gaps_only or q.is_gap:
            by_area[q.area_id].append(q)
    elements: dict[str, list[PlannedElement]] = defaultdict(list)
    for e in r.planned_elements:
        elements[e.area_id].append(e)
    intro = ("Only questions with a minor or major gap are listed." if ctx.options.gaps_only
             else "Every question of the planned elements is listed with its result and notes.")
    out: list[Flowable] = [ctx.heading(TITLE, "sec-areas"), Para(intro, st.body),
                           Para(esc(_plan_basis(r.inspection.trigger)), st.body)]
    for area in r.areas:
        check(ctx.progress)
        out.append(ctx.heading(f"{area.area_id} — {esc(area.title)}", f"area-{area.area_id}", 1))
        summary = Para(
            esc(f"Checklist conformance {format_percent(area.score)} "
                f"({band_of(area.score).label.lower()}) · coverage "
                f"{format_percent(area.coverage)} ({area.assessed} of {area.applicable}) · "
                f"{area.major_gaps} major, {area.minor_gaps} minor gaps · "
                f"{area.open_findings} open findings"), st.muted)
        summary.keepWithNext = 1  # never leave an area heading alone at the foot of a page
        out.append(summary)
        out.append(_plan(ctx, elements[area.area_id]))
        questions = by_area.get(area.area_id, [])
        if not questions:
            out.append(Para("No gaps recorded in this area." if ctx.options.gaps_only
                                 else "No questions planned in this area.", st.body))
            continue
        by_element: dict[str, list[QuestionRow]] = defaultdict(list)
        for q in questions:
            by_element[q.element_id].append(q)
        for element_id, rows in by_element.items():
            out.append(Para(esc(f"{element_id} {rows[0].element_title}"), st.h3))
            for part in chunks(rows, 25):
                out.append(_question_table(ctx, part))
    out += _not_applicable(ctx)
    out.append(PageBreak())
    return out


def _not_applicable(ctx: PdfContext) -> list[Flowable]:
    """Every question answered "Not applicable", with the reason recorded in its notes."""
    st = ctx.styles
    rows = [q for q in ctx.report.questions if q.result == Result.NOT_APPLICABLE]
    out: list[Flowable] = [ctx.heading(NA_TITLE, "sec-na", 1)]
    if not rows:
        out.append(Para("No question was answered Not applicable.", st.body))
        return out
    out.append(Para(esc(f"{len(rows)} question{'s' if len(rows) != 1 else ''} answered Not "
                        "applicable. They count neither for nor against conformance, so each "
                        "needs a reason an investigator would accept."), st.body))
    table: list[list[object]] = [[Para(h, st.cell_head) for h in ("ID", "Question", "Reason",
                                                                 "Recorded by")]]
    for q in rows:
        why = na_reason(q.notes)
        reason = (esc(why) if why
                  else '<font color="#B03A2E">No reason given (recorded before reasons were '
                       'required).</font>')
        table.append([Para(esc(q.question_id), st.cell_bold), Para(esc(q.text), st.cell),
                      Para(reason, st.cell),
                      Para(esc(f"{q.assessed_by} {fmt_datetime(q.assessed_at)}".strip()),
                           st.cell)])
    return [*out, grid_table(table, [_W * 0.15, _W * 0.35, _W * 0.34, _W * 0.16])]


def _plan_basis(trigger: str) -> str:
    """What the element plan was built from, above the per-area "Why" columns."""
    if not trigger:
        return ("No trigger was stated: each area's elements were planned from the inspection "
                "type, the site profile and the checklist's risk ranking; the Why column says "
                "how.")
    return (f"Trigger: {trigger}. The planner pointed the elements at it; the Why column says "
            "which element each signal or the topic chose.")


def _plan(ctx: PdfContext, elements: list[PlannedElement]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in
                                 ("Element", "Covered", "Why")]]
    for e in elements:
        covered = "Yes" if e.counted else ("Not applicable" if e.selected else "Not selected")
        m2 = " (Model 2 minimum)" if e.model2_minimum else ""
        rows.append([Para(esc(f"{e.element_id} {e.title}{m2}"), st.cell),
                     Para(covered, st.cell), Para(esc(e.reason or "—"), st.cell)])
    return grid_table(rows, [_W * 0.4, _W * 0.14, _W * 0.46])


def _question_table(ctx: PdfContext, questions: Sequence[QuestionRow]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head)
                                 for h in ("ID", "Question", "Result", "Notes and sampling")]]
    extra = []
    for i, q in enumerate(questions, start=1):
        question = esc(q.text)
        if q.citations:
            question += f'<br/><font color="#5A6675" size="7">{esc("; ".join(q.citations))}</font>'
        rows.append([
            Para(esc(q.question_id), st.cell_bold),
            Para(question, st.cell),
            Para(esc(q.result_label), st.cell_bold),
            *_notes(ctx, q),
        ])
        extra.append(("BACKGROUND", (2, i), (2, i), RESULT_FILL.get(q.result, RESULT_FILL[
            "not_assessed"])))
    return grid_table(rows, WIDTHS, extra=extra, zebra=False)


def _notes(ctx: PdfContext, q: QuestionRow) -> list[list[Flowable]]:
    """Notes as their own paragraph (so very long notes split across pages), then sampling."""
    st = ctx.styles
    facts = []
    if q.sample_size is not None or q.sample_population is not None:
        facts.append(f"Sample {q.sample_size or 0} of {q.sample_population or '?'}")
    if q.records_reviewed:
        facts.append("Records: " + ", ".join(q.records_reviewed.split()))
    if q.interviewees:
        facts.append("Interviewed: " + "; ".join(q.interviewees.splitlines()))
    if q.assessed_by:
        facts.append(f"Assessed by {q.assessed_by} {fmt_datetime(q.assessed_at)}".strip())
    if q.finding_codes:
        facts.append("Findings: " + ", ".join(q.finding_codes))
    text = esc(q.notes) if q.notes else '<font color="#5A6675">No notes.</font>'
    cell: list[Flowable] = [Para(text, st.cell)]
    if facts:
        cell.append(Para(esc(" · ".join(facts)), st.muted))
    return [cell]  # one table cell: a list of flowables
