"""Readiness pack renderers (Excel, PDF) over one ``ReadinessReport``."""

from qmsr_ready.core.export.api import export_pdf, export_xlsx
from qmsr_ready.core.export.options import PDF_SECTIONS, XLSX_SECTIONS, ExportOptions
from qmsr_ready.core.export.progress import NullProgress, Progress

__all__ = [
    "PDF_SECTIONS",
    "XLSX_SECTIONS",
    "ExportOptions",
    "NullProgress",
    "Progress",
    "export_pdf",
    "export_xlsx",
]
