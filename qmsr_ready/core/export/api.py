"""Public entry points of the packs: ``export_xlsx`` and ``export_pdf``.

Both take a built ``ReadinessReport`` (so the two packs always agree), write atomically (never a
half file at the target), report progress and honour cancel through a ``Progress``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from qmsr_ready.core.errors import ExportFailed, QmsrError
from qmsr_ready.core.export.atomic import atomic_target
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.progress import NullProgress, Progress
from qmsr_ready.core.report.model import ReadinessReport

Renderer = Callable[[ReadinessReport, Path, ExportOptions, Progress], None]


def export_xlsx(
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    options: ExportOptions | None = None,
) -> Path:
    """Write the Excel readiness pack to ``path`` and return it."""
    from qmsr_ready.core.export.xlsx.writer import write_workbook

    return _export(write_workbook, report, path, progress, options)


def export_pdf(
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    options: ExportOptions | None = None,
) -> Path:
    """Write the PDF readiness pack to ``path`` and return it."""
    from qmsr_ready.core.export.pdf.writer import write_pdf

    return _export(write_pdf, report, path, progress, options)


def _export(
    render: Renderer,
    report: ReadinessReport,
    path: str | os.PathLike[str],
    progress: Progress | None,
    options: ExportOptions | None,
) -> Path:
    """Render into a temporary file beside ``path`` and move it into place only when done."""
    target = Path(path)
    with atomic_target(target) as tmp:
        _guard(lambda: render(report, tmp, options or ExportOptions(),
                              progress or NullProgress()), target)
    return target


def _guard(job: Callable[[], object], target: Path) -> None:
    """Run the renderer; unexpected renderer errors become a clear ``ExportFailed``."""
    try:
        job()
    except (QmsrError, OSError):
        raise
    except Exception as exc:  # a renderer bug must still leave no half file and say so
        raise ExportFailed(f"Could not write {target.name}: {type(exc).__name__}: {exc}") from exc
