"""Controlled vocabularies shared by the data model, services, library and exports.

Values are the stable strings stored in the workspace and written to workbooks; labels are
what people read. Keep values unchanged once shipped: merges and imports match on them.
"""

from __future__ import annotations

from enum import StrEnum


class InspectionType(StrEnum):
    """The seven CP 7382.850 inspection types (regulatory-facts §3.3, source G1)."""

    NON_BASELINE_SURVEILLANCE = "non_baseline_surveillance"
    BASELINE_SURVEILLANCE = "baseline_surveillance"
    COMPLIANCE_FOLLOW_UP = "compliance_follow_up"
    FOR_CAUSE = "for_cause"
    SPECIFIC_PRODUCT_RISK = "specific_product_risk"
    PMA_PREAPPROVAL = "pma_preapproval"
    PMA_POSTMARKET = "pma_postmarket"

    @property
    def label(self) -> str:
        return INSPECTION_TYPE_LABELS[self]

    @property
    def model(self) -> int:
        """The inspection model the program uses for this type (1 or 2)."""
        return 2 if self in (self.BASELINE_SURVEILLANCE, self.PMA_PREAPPROVAL) else 1


INSPECTION_TYPE_LABELS: dict[InspectionType, str] = {
    InspectionType.NON_BASELINE_SURVEILLANCE: "Non-baseline surveillance",
    InspectionType.BASELINE_SURVEILLANCE: "Baseline surveillance",
    InspectionType.COMPLIANCE_FOLLOW_UP: "Compliance follow-up",
    InspectionType.FOR_CAUSE: "For-cause",
    InspectionType.SPECIFIC_PRODUCT_RISK: "Specific Product Risk Assignment",
    InspectionType.PMA_PREAPPROVAL: "PMA preapproval",
    InspectionType.PMA_POSTMARKET: "PMA postmarket",
}


class InspectionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return {"planned": "Planned", "in_progress": "In progress", "signed_off": "Signed off"}[
            self.value
        ]


class Result(StrEnum):
    """Response scale for one checklist question."""

    CONFORMS = "conforms"
    MINOR_GAP = "minor_gap"
    MAJOR_GAP = "major_gap"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return RESULT_LABELS[self]

    @property
    def is_gap(self) -> bool:
        return self in (Result.MINOR_GAP, Result.MAJOR_GAP)


RESULT_LABELS: dict[Result, str] = {
    Result.CONFORMS: "Conforms",
    Result.MINOR_GAP: "Minor gap",
    Result.MAJOR_GAP: "Major gap",
    Result.NOT_APPLICABLE: "Not applicable",
    Result.NOT_ASSESSED: "Not assessed",
}


class Classification(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"
    OFI = "ofi"

    @property
    def label(self) -> str:
        return CLASSIFICATION_LABELS[self]


CLASSIFICATION_LABELS: dict[Classification, str] = {
    Classification.CRITICAL: "Critical",
    Classification.MAJOR: "Major",
    Classification.MINOR: "Minor",
    Classification.OBSERVATION: "Observation",
    Classification.OFI: "Opportunity for improvement",
}


class FindingStatus(StrEnum):
    OPEN = "open"
    ACTION_PLANNED = "action_planned"
    AWAITING_VERIFICATION = "awaiting_verification"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return FINDING_STATUS_LABELS[self]


FINDING_STATUS_LABELS: dict[FindingStatus, str] = {
    FindingStatus.OPEN: "Open",
    FindingStatus.ACTION_PLANNED: "Action planned",
    FindingStatus.AWAITING_VERIFICATION: "Awaiting verification",
    FindingStatus.CLOSED: "Closed",
}
