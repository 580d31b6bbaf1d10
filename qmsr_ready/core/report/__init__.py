"""The one readiness report model that the dashboard, the Excel pack and the PDF pack share."""

from typing import TYPE_CHECKING

from qmsr_ready.core.lazy_exports import exports_of, lazy_getattr

if TYPE_CHECKING:  # the real names for type checkers; at run time, imported on first use
    from qmsr_ready.core.report.build import build_report
    from qmsr_ready.core.report.model import (
        ActionRow,
        AreaScore,
        AuditSummary,
        ClassAreaMatrix,
        FindingRow,
        InspectionInfo,
        PlannedElement,
        QuestionRow,
        ReadinessReport,
        SignOffRow,
        SiteInfo,
        TemplateInfo,
    )

__getattr__ = lazy_getattr(
    __name__,
    exports_of(
        {
            "build": ("build_report",),
            "model": (
                "ActionRow",
                "AreaScore",
                "AuditSummary",
                "ClassAreaMatrix",
                "FindingRow",
                "InspectionInfo",
                "PlannedElement",
                "QuestionRow",
                "ReadinessReport",
                "SignOffRow",
                "SiteInfo",
                "TemplateInfo",
            ),
        }
    ),
)

__all__ = [
    "ActionRow",
    "AreaScore",
    "AuditSummary",
    "ClassAreaMatrix",
    "FindingRow",
    "InspectionInfo",
    "PlannedElement",
    "QuestionRow",
    "ReadinessReport",
    "SignOffRow",
    "SiteInfo",
    "TemplateInfo",
    "build_report",
]
