"""Runs the PDF's sections in order; adding a section is adding one entry to SECTIONS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, NextPageTemplate

from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.pdf import (
    actions,
    areas,
    contents,
    cover,
    findings,
    requests,
    signoff,
    summary,
)
from qmsr_ready.core.export.pdf.context import PdfContext
from qmsr_ready.core.export.pdf.doc import PackDocTemplate, Registry, make_canvas_class
from qmsr_ready.core.export.pdf.styles import make_styles
from qmsr_ready.core.export.progress import Progress, Steps
from qmsr_ready.core.report.model import ReadinessReport
from qmsr_ready.core.report.scoring import format_percent

SectionBuilder = Callable[[PdfContext], list[Flowable]]
OutlineFn = Callable[[PdfContext], list[tuple[int, str, str]]]


def _single(title: str, key: str) -> OutlineFn:
    return lambda ctx: [(0, title, key)]


# (key, builder, contents entries or None when the section is not listed in the contents)
SECTIONS: tuple[tuple[str, SectionBuilder, OutlineFn | None], ...] = (
    ("cover", cover.build, None),
    ("contents", contents.build, None),
    ("summary", summary.build, _single(summary.TITLE, "sec-summary")),
    ("areas", areas.build, areas.outline),
    ("findings", findings.build, _single(findings.TITLE, "sec-findings")),
    ("actions", actions.build, _single(actions.TITLE, "sec-actions")),
    ("requests", requests.build, requests.outline),
    ("signoff", signoff.build, _single(signoff.TITLE, "sec-signoff")),
)


def build_story(
    report: ReadinessReport, options: ExportOptions, progress: Progress, steps: Steps | None = None
) -> tuple[list[Flowable], PdfContext]:
    """The flowables of the chosen sections (also used by the benchmark's baseline)."""
    chosen = [s for s in SECTIONS if options.wants(s[0])]
    ctx = PdfContext(report=report, options=options, styles=make_styles(), registry=Registry(),
                     progress=progress)
    for _key, _build, outline in chosen:
        if outline is not None:
            ctx.entries.extend(outline(ctx))
    story: list[Flowable] = []
    if not options.wants("cover"):
        story.append(NextPageTemplate("body"))
    for key, build, _outline in chosen:
        if steps:
            steps.start(f"Preparing {key}")
        story.extend(build(ctx))
        if steps:
            steps.finish(f"Prepared {key}")
    return story, ctx


def write_pdf(
    report: ReadinessReport, path: Path, options: ExportOptions, progress: Progress
) -> None:
    """Lay out the chosen sections in one pass and save to ``path``."""
    steps = Steps(progress, sum(options.wants(s[0]) for s in SECTIONS) + 1)
    story, ctx = build_story(report, options, progress, steps)
    registry = ctx.registry
    r = report
    doc = PackDocTemplate(
        str(path), registry=registry, progress=progress,
        header=f"{r.site.name} · {r.inspection.code} · Inspection readiness pack",
        footer=f"Generated {r.generated_at:%Y-%m-%d %H:%M} UTC · QMSR Ready {r.app_version}",
        title=f"Inspection readiness pack {r.inspection.code} — {r.site.name}",
        author=r.inspection.lead or "QMSR Ready",
        subject=f"Mock inspection readiness, checklist conformance "
                f"{format_percent(r.overall.score)}; "
                f"checklist: {r.template.title} {r.template.version}",
        creator=f"QMSR Ready {r.app_version}",
        keywords=["QMSR", r.inspection.code, r.template.key],
    )
    steps.start("Laying out pages")
    doc.build(story, canvasmaker=make_canvas_class(registry))
    steps.finish("PDF saved")
