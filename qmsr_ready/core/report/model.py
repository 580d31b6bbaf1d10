"""Frozen, UI-neutral view of one inspection's readiness, built once and rendered many times.

Every renderer (Excel, PDF, the GUI dashboard) reads these objects and nothing else, so the packs
always agree with each other and with the screen. Values are plain Python (str, int, date,
datetime, tuples); vocabulary values stay stable strings and labels sit beside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

UNLINKED_AREA = ""  # area ID of findings not linked to any checklist question


@dataclass(frozen=True)
class SiteInfo:
    """The inspected site and its profile (as label/value pairs, ready to print)."""

    code: str
    name: str
    fei_number: str
    address: str
    device_classes: tuple[str, ...]
    profile_flags: tuple[tuple[str, bool], ...]  # (field name, value) for every boolean field


@dataclass(frozen=True)
class InspectionInfo:
    """Who, what and when of the inspection."""

    code: str
    title: str
    inspection_type: str
    inspection_type_label: str
    model: int
    status: str
    status_label: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    lead: str
    team: tuple[str, ...]
    scope_notes: str
    revision: int
    trigger: str = ""  # what started it, one readable line ("" when none was stated)


@dataclass(frozen=True)
class TemplateInfo:
    """The template snapshot the inspection ran against."""

    key: str
    version: str
    title: str
    sha256: str
    basis: str


@dataclass(frozen=True)
class PlannedElement:
    """One template element and whether (and why) the inspection covers it."""

    area_id: str
    area_title: str
    element_id: str
    title: str
    selected: bool
    applicable: bool
    reason: str
    model2_minimum: bool
    iso_clauses: tuple[str, ...]
    qmsr_hooks: tuple[str, ...]
    legacy_sections: tuple[str, ...]
    question_count: int
    assessed_count: int
    gap_count: int
    # Whether the site's *current* profile makes the element applicable (``None``: the element
    # has no profile rule), and if not, why; the plan's ``applicable`` was decided at planning.
    profile_applicable: bool | None = None
    profile_reason: str = ""

    @property
    def profile_disagrees(self) -> bool:
        """The plan's applicability is not what the current site profile says."""
        return self.profile_applicable is not None and self.profile_applicable != self.applicable

    @property
    def counted(self) -> bool:
        """Whether the element's questions count towards readiness."""
        return self.selected and self.applicable


@dataclass(frozen=True)
class AreaScore:
    """Checklist conformance of one area (``area_id == "ALL"``: the whole inspection;
    ``"RISK"``: the risk-focus questions of every area).

    ``score`` (conformance) and ``coverage`` are percentages (0–100) or ``None`` when nothing
    was assessed / nothing is applicable. See ``qmsr_ready.core.report.scoring`` for the formula.
    """

    area_id: str
    title: str
    kind: str
    score: float | None
    coverage: float | None
    applicable: int
    assessed: int
    conforms: int
    minor_gaps: int
    major_gaps: int
    not_applicable: int
    not_assessed: int
    weight_assessed: int
    weight_credit: float
    findings: int
    open_findings: int

    @property
    def gaps(self) -> int:
        return self.minor_gaps + self.major_gaps


@dataclass(frozen=True)
class QuestionRow:
    """One checklist question with its recorded response."""

    question_id: str
    area_id: str
    area_title: str
    element_id: str
    element_title: str
    text: str
    citations: tuple[str, ...]
    legacy: tuple[str, ...]
    weight: int
    risk_focus: bool
    counted: bool  # element selected and applicable
    result: str
    result_label: str
    notes: str
    sample_population: int | None
    sample_size: int | None
    records_reviewed: str
    interviewees: str
    assessed_by: str
    assessed_at: dt.datetime | None
    response_revision: int
    finding_codes: tuple[str, ...]

    @property
    def is_gap(self) -> bool:
        return self.result in ("minor_gap", "major_gap")


@dataclass(frozen=True)
class FindingRow:
    """Every field of one finding, plus what the report derives (area, overdue)."""

    code: str
    title: str
    classification: str
    classification_label: str
    status: str
    status_label: str
    likely_483: bool
    severity: int
    likelihood: int
    risk_score: int
    owner: str
    due_date: dt.date | None
    overdue: bool
    days_overdue: int
    objective_evidence: str
    requirement: str
    correction: str
    root_cause: str
    corrective_action: str
    capa_reference: str
    effectiveness_check: str
    question_ids: tuple[str, ...]
    area_id: str  # area of the first linked question, UNLINKED_AREA if none
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    closed_at: dt.datetime | None
    revision: int


@dataclass(frozen=True)
class ActionRow:
    """One line of the action plan: an open finding, who owns it and when it is due."""

    finding_code: str
    title: str
    classification: str
    classification_label: str
    owner: str
    due_date: dt.date | None
    status: str
    status_label: str
    overdue: bool
    days_overdue: int
    corrective_action: str
    capa_reference: str


@dataclass(frozen=True)
class ClassAreaMatrix:
    """Counts of findings by classification (rows) and area (columns)."""

    classifications: tuple[str, ...]
    classification_labels: tuple[str, ...]
    area_ids: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def count(self, classification: str, area_id: str) -> int:
        return self.counts[self.classifications.index(classification)][
            self.area_ids.index(area_id)
        ]

    def row_total(self, classification: str) -> int:
        return sum(self.counts[self.classifications.index(classification)])

    def column_total(self, area_id: str) -> int:
        i = self.area_ids.index(area_id)
        return sum(row[i] for row in self.counts)


@dataclass(frozen=True)
class AuditSummary:
    """State of the workspace's hash-chained audit trail when the report was built."""

    event_count: int
    inspection_event_count: int
    chain_verified: bool
    head_hash: str
    problem: str


@dataclass(frozen=True)
class SignOffRow:
    """One signature on the inspection (superseded ones stay on record)."""

    name: str
    meaning: str
    signed_at: dt.datetime | None
    superseded_at: dt.datetime | None
    superseded_reason: str

    @property
    def current(self) -> bool:
        return self.superseded_at is None


@dataclass(frozen=True)
class ReadinessReport:
    """Everything the packs and the dashboard show about one inspection."""

    site: SiteInfo
    inspection: InspectionInfo
    template: TemplateInfo
    planned_elements: tuple[PlannedElement, ...]
    areas: tuple[AreaScore, ...]
    overall: AreaScore
    risk_focus: AreaScore  # the same sums over the counted risk-focus questions only
    findings_by_class_area: ClassAreaMatrix
    top_risks: tuple[FindingRow, ...]
    actions: tuple[ActionRow, ...]
    questions: tuple[QuestionRow, ...]
    findings: tuple[FindingRow, ...]
    audit: AuditSummary
    signoffs: tuple[SignOffRow, ...]
    app_version: str
    workspace_id: str
    generated_at: dt.datetime
    today: dt.date
    # Inspection-day records (request log, scribe notes, roster) for the packs' optional
    # sections: an ``inspection_day.report.RequestLogReport``; None when not read.
    request_log: Any = None

    def area(self, area_id: str) -> AreaScore:
        """The score of one area by ID."""
        for area in self.areas:
            if area.area_id == area_id:
                return area
        raise KeyError(area_id)

    def questions_in(self, area_id: str) -> tuple[QuestionRow, ...]:
        return tuple(q for q in self.questions if q.area_id == area_id)

    @property
    def overdue_actions(self) -> tuple[ActionRow, ...]:
        return tuple(a for a in self.actions if a.overdue)
