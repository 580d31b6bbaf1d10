"""Public entry points of the packs: ``export_xlsx`` and ``export_pdf``.

Both take a built ``ReadinessReport`` (so the two packs always agree), write atomically (never a
half file at the target), report progress and honour cancel through a ``Progress``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from qmsr_ready.core.errors import ExportFailed, QmsrError
from qmsr_ready.core.export.atomic import atomic_targets
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.progress import NullProgress, Progress, check
from qmsr_ready.core.report.model import ReadinessReport

Renderer = Callable[[ReadinessReport, Path, ExportOptions, Progress], None]


def export_xlsx(
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    options: ExportOptions | None = None,
) -> Path:
    """Write the Excel readiness pack to ``path`` and return it."""
    return _export("xlsx", report, path, progress, options)


def export_pdf(
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    options: ExportOptions | None = None,
) -> Path:
    """Write the PDF readiness pack to ``path`` and return it."""
    return _export("pdf", report, path, progress, options)


def renderer(kind: str) -> Renderer:
    """The renderer of a pack kind ("xlsx" or "pdf"), imported when first needed."""
    if kind == "xlsx":
        from qmsr_ready.core.export.xlsx.writer import write_workbook

        return write_workbook
    from qmsr_ready.core.export.pdf.writer import write_pdf

    return write_pdf


def write_packs(
    report: ReadinessReport,
    targets: Mapping[str, Path],
    progress: Progress,
    options: Mapping[str, ExportOptions],
    workspace: Path | None = None,
) -> None:
    """Render each pack (kind -> target) into a temporary file beside its target, then move
    them all into place together: a cancel or error in the last one replaces none of them."""
    kinds = list(targets)
    with atomic_targets([targets[k] for k in kinds], workspace) as temps:
        for kind, tmp in zip(kinds, temps, strict=True):
            check(progress)
            render, opts = renderer(kind), options.get(kind) or ExportOptions()
            _guard(functools.partial(render, report, tmp, opts, progress), targets[kind])


def _export(
    kind: str,
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None,
    options: ExportOptions | None,
) -> Path:
    """Render into a temporary file beside ``path`` and move it into place only when done."""
    target = Path(path)
    write_packs(report, {kind: target}, progress or NullProgress(),
                {kind: options or ExportOptions()})
    return target


def _guard(job: Callable[[], object], target: Path) -> None:
    """Run the renderer; unexpected renderer errors become a clear ``ExportFailed``."""
    try:
        job()
    except (QmsrError, OSError):
        raise
    except Exception as exc:  # a renderer bug must still leave no half file and say so
        raise ExportFailed(f"Could not write {target.name}: {type(exc).__name__}: {exc}") from exc
