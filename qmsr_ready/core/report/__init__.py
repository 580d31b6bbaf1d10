"""The one readiness report model that the dashboard, the Excel pack and the PDF pack share."""

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
