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


# When FDA uses each type and what it covers (regulatory-facts §3.3/§3.4; industry source G1,
# not yet checked against the CP 7382.850 PDF).
INSPECTION_TYPE_TRIGGERS: dict[InspectionType, str] = {
    InspectionType.NON_BASELINE_SURVEILLANCE: (
        "Routine surveillance of a site whose last FDA inspection or MDSAP audit was NAI or VAI."
    ),
    InspectionType.BASELINE_SURVEILLANCE: (
        "A site with no FDA or MDSAP inspection history, or where risk factors call for a "
        "baseline look."
    ),
    InspectionType.COMPLIANCE_FOLLOW_UP: (
        "Follow-up after a prior inspection or audit led to regulatory action."
    ),
    InspectionType.FOR_CAUSE: (
        "A signal such as a recall, MDRs, prior observations or a remote regulatory assessment."
    ),
    InspectionType.SPECIFIC_PRODUCT_RISK: "A product-specific risk identified by FDA.",
    InspectionType.PMA_PREAPPROVAL: (
        "A PMA application under review; the other applicable FDA requirements are not covered."
    ),
    InspectionType.PMA_POSTMARKET: "About 8 to 12 months after a PMA approval.",
}

MODEL_SUMMARIES: dict[int, str] = {
    1: "Model 1: at least one element in each of the six QMS areas, chosen by product risk, "
    "plus the applicable other FDA requirements and the general items.",
    2: "Model 2: the prescribed minimum of 22 elements (23 with sterile product), plus the "
    "general items and, except on PMA preapproval, the other applicable FDA requirements.",
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

    @property
    def is_assessed(self) -> bool:
        """Judged against the requirement: conforms or a gap. Only these count in the score."""
        return self in ASSESSED_RESULTS

    @property
    def is_answered(self) -> bool:
        """A decision was recorded: assessed, or not applicable (with its reason).

        The runner's "unanswered" filter and the inspection list's progress count this;
        coverage and the verdict count ``is_assessed``, because N/A is not evidence.
        """
        return self is not Result.NOT_ASSESSED


ASSESSED_RESULTS: frozenset[Result] = frozenset(
    {Result.CONFORMS, Result.MINOR_GAP, Result.MAJOR_GAP}
)


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


# -- inspection day ---------------------------------------------------------------------------


class RequestKind(StrEnum):
    """What the investigator asked for."""

    DOCUMENT = "document"
    RECORD = "record"
    INTERVIEW = "interview"
    SAMPLE = "sample"
    TOUR = "tour"

    @property
    def label(self) -> str:
        return REQUEST_KIND_LABELS[self]


REQUEST_KIND_LABELS: dict[RequestKind, str] = {
    RequestKind.DOCUMENT: "Document",
    RequestKind.RECORD: "Record",
    RequestKind.INTERVIEW: "Interview",
    RequestKind.SAMPLE: "Sample",
    RequestKind.TOUR: "Tour",
}


class RequestPriority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"

    @property
    def label(self) -> str:
        return REQUEST_PRIORITY_LABELS[self]


REQUEST_PRIORITY_LABELS: dict[RequestPriority, str] = {
    RequestPriority.NORMAL: "Normal",
    RequestPriority.HIGH: "High",
}


class RequestStatus(StrEnum):
    """A request's life: pre-staged, asked for, fetched, checked, handed over (or withdrawn)."""

    PREPARED = "prepared"  # pre-staged by the back room before anyone asked
    REQUESTED = "requested"
    IN_RETRIEVAL = "in_retrieval"
    IN_QA_REVIEW = "in_qa_review"
    PRESENTED = "presented"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return REQUEST_STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Asked for and not yet handed over or withdrawn: its clock is running."""
        return self in (RequestStatus.REQUESTED, RequestStatus.IN_RETRIEVAL,
                        RequestStatus.IN_QA_REVIEW)

    @property
    def rank(self) -> int:
        """Position on the way to presented (withdrawn and presented are both final)."""
        return REQUEST_FLOW.index(self) if self in REQUEST_FLOW else len(REQUEST_FLOW)


REQUEST_STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.PREPARED: "Prepared",
    RequestStatus.REQUESTED: "Requested",
    RequestStatus.IN_RETRIEVAL: "In retrieval",
    RequestStatus.IN_QA_REVIEW: "In QA review",
    RequestStatus.PRESENTED: "Presented",
    RequestStatus.WITHDRAWN: "Withdrawn",
}

# The forward path a request moves along; keys step along it (withdrawn is off the path).
REQUEST_FLOW: tuple[RequestStatus, ...] = (
    RequestStatus.PREPARED,
    RequestStatus.REQUESTED,
    RequestStatus.IN_RETRIEVAL,
    RequestStatus.IN_QA_REVIEW,
    RequestStatus.PRESENTED,
)


# -- what triggered an inspection (issue 10 item 5) -------------------------------------------


class RiskSignal(StrEnum):
    """A product-risk signal the user says triggered the inspection.

    The program starts from product risk (regulatory-facts §3.5): investigators arrive having read
    the MDRs, complaints, recalls and prior observations. Templates map each signal to the
    elements it points to (an element's ``risk_signals`` list), so user templates carry their own.
    """

    COMPLAINT_TREND = "complaint_trend"
    MDR_TREND = "mdr_trend"
    RECALL = "recall"
    STERILIZATION = "sterilization"
    SOFTWARE = "software"
    SUPPLIER = "supplier"
    DESIGN_CHANGE = "design_change"
    PROCESS = "process"
    LABELING_UDI = "labeling_udi"
    NONCONFORMANCE_TREND = "nonconformance_trend"
    TRACEABILITY = "traceability"
    PRIOR_OBSERVATIONS = "prior_observations"

    @property
    def label(self) -> str:
        """What the checkbox says."""
        return RISK_SIGNAL_LABELS[self][0]

    @property
    def phrase(self) -> str:
        """How a reason names it: "the trigger names <phrase>"."""
        return RISK_SIGNAL_LABELS[self][1]


RISK_SIGNAL_LABELS: dict[RiskSignal, tuple[str, str]] = {
    RiskSignal.COMPLAINT_TREND: ("Complaint trend", "a complaint trend"),
    RiskSignal.MDR_TREND: ("MDR trend by failure mode", "an MDR trend"),
    RiskSignal.RECALL: ("Recall, correction or removal", "a recall, correction or removal"),
    RiskSignal.STERILIZATION: ("Sterilization problems", "sterilization problems"),
    RiskSignal.SOFTWARE: ("Device software problems", "device software problems"),
    RiskSignal.SUPPLIER: ("Supplier problems", "supplier problems"),
    RiskSignal.DESIGN_CHANGE: ("Design change", "a design change"),
    RiskSignal.PROCESS: ("Process or manufacturing problems", "process or manufacturing problems"),
    RiskSignal.LABELING_UDI: ("Labeling or UDI problems", "labeling or UDI problems"),
    RiskSignal.NONCONFORMANCE_TREND: ("Nonconformance trend", "a nonconformance trend"),
    RiskSignal.TRACEABILITY: ("Traceability or tracking problems",
                              "traceability or tracking problems"),
    RiskSignal.PRIOR_OBSERVATIONS: ("Prior observations not corrected",
                                    "prior observations not corrected"),
}

# Words in a free-text trigger topic that name a signal (lower case; matched at the start of a
# word, so "steril" also finds "sterilisation", after an optional "mis"/"re"/"un" so "label" finds
# "mislabeled"; a match negated by "non-", "not" or "no" does not count: see
# ``library.trigger.topic_signals``). Keep words specific: "removal" alone also means taking
# off an adhesive. The topic also matches element titles and IDs.
RISK_SIGNAL_KEYWORDS: dict[RiskSignal, tuple[str, ...]] = {
    RiskSignal.COMPLAINT_TREND: ("complaint",),
    RiskSignal.MDR_TREND: ("mdr", "medical device report", "adverse event", "death", "injur",
                           "malfunction"),
    RiskSignal.RECALL: ("recall", "correction and removal", "correction or removal",
                        "corrections and removals", "field correction", "field action",
                        "field safety", "part 806"),
    RiskSignal.STERILIZATION: ("steril", "ethylene oxide", "bioburden", "endotoxin",
                               "sterile barrier", "seal integrity"),
    RiskSignal.SOFTWARE: ("software", "firmware", "cyber", "algorithm"),
    RiskSignal.SUPPLIER: ("supplier", "vendor", "purchas", "outsourc", "contract manufactur"),
    RiskSignal.DESIGN_CHANGE: ("design change", "redesign", "pma supplement", "510(k)"),
    RiskSignal.PROCESS: ("process", "manufactur", "production", "yield", "moulding", "molding",
                         "weld"),
    RiskSignal.LABELING_UDI: ("label", "udi", "mix-up", "mixup", "ifu", "instructions for use"),
    RiskSignal.NONCONFORMANCE_TREND: ("nonconform", "non-conform", "scrap", "rework", "ncr"),
    RiskSignal.TRACEABILITY: ("traceab", "tracking", "lot history", "implant"),
    RiskSignal.PRIOR_OBSERVATIONS: ("483", "prior observation", "repeat observation",
                                    "warning letter"),
}
