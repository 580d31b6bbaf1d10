"""Typed SQLAlchemy 2.0 data model of a workspace.

Every record that users exchange (inspections, findings, responses, evidence) carries a stable
string code, so merges and imports match on codes, never on row numbers. Only the services in
``qmsr_ready.core.services`` write these tables; each write also appends an audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC and hands them back aware (UTC).

    SQLite has no time zones; one decorator keeps every timestamp comparable everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """Today on this computer's calendar, read through ``utcnow`` (one clock to freeze in tests)."""
    return utcnow().astimezone().date()


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
code_str = Annotated[str, mapped_column(String(64))]
short_str = Annotated[str, mapped_column(String(255), default="")]
long_text = Annotated[str, mapped_column(Text, default="")]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime, default=utcnow)]


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 (SQLAlchemy API)


class WorkspaceInfo(Base):
    """Key/value facts about the workspace itself (its UUID, creation time, app version)."""

    __tablename__ = "workspace_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Site(Base):
    """A manufacturing site and the profile that drives element applicability."""

    __tablename__ = "sites"

    id: Mapped[intpk]
    code: Mapped[code_str] = mapped_column(unique=True)  # e.g. "SITE-001"
    name: Mapped[short_str]
    fei_number: Mapped[short_str]
    address: Mapped[long_text]
    # Profile: what the planner and the applicability rules read.
    device_classes: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["I", "II"]
    sterile_products: Mapped[bool] = mapped_column(Boolean, default=False)
    implantable_devices: Mapped[bool] = mapped_column(Boolean, default=False)
    life_supporting_devices: Mapped[bool] = mapped_column(Boolean, default=False)
    software_in_device: Mapped[bool] = mapped_column(Boolean, default=False)
    class_i_design_listed: Mapped[bool] = mapped_column(Boolean, default=False)  # 820.10(c)(2)
    tracking_orders: Mapped[bool] = mapped_column(Boolean, default=False)
    pma_holder: Mapped[bool] = mapped_column(Boolean, default=False)
    mdsap: Mapped[bool] = mapped_column(Boolean, default=False)
    servicing: Mapped[bool] = mapped_column(Boolean, default=False)
    installation: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    inspections: Mapped[list[Inspection]] = relationship(back_populates="site")


class ChecklistTemplate(Base):
    """An immutable snapshot of a checklist template as an inspection started from it."""

    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("key", "version", "sha256"),)

    id: Mapped[intpk]
    key: Mapped[code_str]
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[short_str]
    # Deferred: a save that only needs the template's identity must not parse the whole snapshot.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[timestamp]

    inspections: Mapped[list[Inspection]] = relationship(back_populates="template")


class Inspection(Base):
    """One mock inspection of a site, run against one template snapshot."""

    __tablename__ = "inspections"

    id: Mapped[intpk]
    code: Mapped[code_str] = mapped_column(unique=True)  # e.g. "MI-2026-001"
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    inspection_type: Mapped[str] = mapped_column(String(40))  # vocab.InspectionType
    model: Mapped[int] = mapped_column(Integer)  # 1 or 2
    title: Mapped[short_str]
    scope_notes: Mapped[long_text]
    # What triggered it: {"topic": str, "signals": [vocab.RiskSignal]} (library.trigger.Trigger).
    trigger: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    planned_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    lead: Mapped[short_str]
    team: Mapped[list[Any]] = mapped_column(default=list)  # display names
    status: Mapped[str] = mapped_column(String(20), default="planned")  # vocab.InspectionStatus
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    site: Mapped[Site] = relationship(back_populates="inspections")
    template: Mapped[ChecklistTemplate] = relationship(back_populates="inspections")
    elements: Mapped[list[InspectionElement]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionElement.id"
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan"
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Finding.id"
    )
    signoffs: Mapped[list[SignOff]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="SignOff.id"
    )


class InspectionElement(Base):
    """An element of the template and whether (and why) this inspection covers it."""

    __tablename__ = "inspection_elements"
    __table_args__ = (UniqueConstraint("inspection_id", "element_id"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    element_id: Mapped[code_str]  # template element ID, e.g. "MO-05"
    selected: Mapped[bool] = mapped_column(Boolean, default=True)
    applicable: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[long_text]  # why the planner (or the user) chose it, or why it is N/A

    inspection: Mapped[Inspection] = relationship(back_populates="elements")


class Response(Base):
    """The recorded answer to one checklist question in one inspection."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("inspection_id", "question_id"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    question_id: Mapped[code_str]  # template question ID, e.g. "MAI-COMP-03"
    result: Mapped[str] = mapped_column(String(20), default="not_assessed")  # vocab.Result
    notes: Mapped[long_text]
    sample_population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sample_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    records_reviewed: Mapped[long_text]  # record IDs, one per line
    interviewees: Mapped[long_text]  # names/roles, one per line
    assessed_by: Mapped[short_str]
    assessed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)

    inspection: Mapped[Inspection] = relationship(back_populates="responses")


class Finding(Base):
    """A finding raised during a mock inspection, driven to closure like a CAPA input."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("inspection_id", "code"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    code: Mapped[code_str]  # "F-001", unique within its inspection
    title: Mapped[short_str]
    objective_evidence: Mapped[long_text]
    # requirement cited, e.g. "21 CFR 820.35(a); ISO 13485:2016 8.2.2"
    requirement: Mapped[long_text]
    classification: Mapped[str] = mapped_column(String(20))  # vocab.Classification
    likely_483: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[int] = mapped_column(Integer, default=3)  # 1..5
    likelihood: Mapped[int] = mapped_column(Integer, default=3)  # 1..5
    owner: Mapped[short_str]
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    correction: Mapped[long_text]
    root_cause: Mapped[long_text]
    corrective_action: Mapped[long_text]
    capa_reference: Mapped[short_str]
    effectiveness_check: Mapped[long_text]
    status: Mapped[str] = mapped_column(String(30), default="open")  # vocab.FindingStatus
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    question_links: Mapped[list[FindingQuestion]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="FindingQuestion.id"
    )

    @property
    def risk_score(self) -> int:
        """Severity × likelihood, 1..25."""
        return self.severity * self.likelihood

    @property
    def question_ids(self) -> list[str]:
        return [link.question_id for link in self.question_links]


class FindingQuestion(Base):
    """Links a finding to the checklist question(s) it came from."""

    __tablename__ = "finding_questions"
    __table_args__ = (UniqueConstraint("finding_id", "question_id"),)

    id: Mapped[intpk]
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    question_id: Mapped[code_str]

    finding: Mapped[Finding] = relationship(back_populates="question_links")


class EvidenceBlob(Base):
    """File content stored once per SHA-256, however often it is attached."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Evidence(Base):
    """An evidence file as attached to an inspection (name, type, date) over a shared blob."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("inspection_id", "code"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    code: Mapped[code_str]  # "E-001" within its inspection
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_blobs.sha256"), index=True)
    filename: Mapped[short_str]
    media_type: Mapped[str] = mapped_column(String(127), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    effective_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    added_by: Mapped[short_str]
    added_at: Mapped[timestamp]

    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="evidence", cascade="all, delete-orphan"
    )


class EvidenceLink(Base):
    """Attaches evidence to a response (by question ID) or to a finding."""

    __tablename__ = "evidence_links"
    __table_args__ = (UniqueConstraint("evidence_id", "question_id", "finding_id"),)

    id: Mapped[intpk]
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    question_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), nullable=True, index=True
    )

    evidence: Mapped[Evidence] = relationship(back_populates="links")


class SignOff(Base):
    """A signature on an inspection. Reopening supersedes it but keeps it on record."""

    __tablename__ = "signoffs"

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    name: Mapped[short_str]
    meaning: Mapped[short_str]  # e.g. "Reviewed and approved as lead auditor"
    signed_at: Mapped[timestamp]
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    superseded_reason: Mapped[long_text]

    inspection: Mapped[Inspection] = relationship(back_populates="signoffs")


class AuditEvent(Base):
    """One append-only, hash-chained audit record. Never updated, never deleted."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[short_str]
    action: Mapped[str] = mapped_column(String(64))  # e.g. "finding.transition"
    entity_type: Mapped[str] = mapped_column(String(64))  # e.g. "finding"
    entity_id: Mapped[str] = mapped_column(String(128))  # e.g. "MI-2026-001/F-003"
    inspection_code: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"field": [old, new], ...}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# -- inspection day: the front-room request log, what was shown, scribe notes, SME roster ----


class DocumentRequest(Base):
    """One request an investigator made (or the back room pre-staged), tracked to presentation."""

    __tablename__ = "document_requests"
    __table_args__ = (UniqueConstraint("inspection_id", "code"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[code_str]  # "R-001" within its inspection
    requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    requested_by: Mapped[short_str]  # the investigator
    text: Mapped[long_text]  # what was asked, in the scribe's words
    kind: Mapped[str] = mapped_column(String(20), default="document")  # vocab.RequestKind
    area_id: Mapped[str] = mapped_column(String(64), default="")
    element_id: Mapped[str] = mapped_column(String(64), default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")  # vocab.RequestPriority
    owner: Mapped[short_str]  # back-room owner
    status: Mapped[str] = mapped_column(String(20), default="requested")  # vocab.RequestStatus
    presented_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    notes: Mapped[long_text]
    finding_codes: Mapped[list[Any]] = mapped_column(default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    moves: Mapped[list[RequestMove]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestMove.id"
    )
    items: Mapped[list[PresentedItem]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="PresentedItem.id"
    )


class RequestMove(Base):
    """One status move of a request, stamped (the timeline the statistics are computed from)."""

    __tablename__ = "request_moves"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(
        ForeignKey("document_requests.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    by: Mapped[short_str]

    request: Mapped[DocumentRequest] = relationship(back_populates="moves")


class PresentedItem(Base):
    """What was handed over for a request: document ID and version, and the file if attached."""

    __tablename__ = "presented_items"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(
        ForeignKey("document_requests.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[short_str]
    version: Mapped[short_str]
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), nullable=True
    )
    sha256: Mapped[str] = mapped_column(String(64), default="")
    presented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    presented_by: Mapped[short_str]
    note: Mapped[long_text]

    request: Mapped[DocumentRequest] = relationship(back_populates="items")


class ScribeNote(Base):
    """A timestamped note the scribe takes, by topic or investigator, linkable to requests."""

    __tablename__ = "scribe_notes"
    __table_args__ = (UniqueConstraint("inspection_id", "code"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[code_str]  # "N-001"
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    topic: Mapped[short_str]
    investigator: Mapped[short_str]
    text: Mapped[long_text]
    request_codes: Mapped[list[Any]] = mapped_column(default=list)
    finding_codes: Mapped[list[Any]] = mapped_column(default=list)
    author: Mapped[short_str]
    revision: Mapped[int] = mapped_column(Integer, default=1)


class RosterEntry(Base):
    """Who presents an area on the day, their backup, the storyboard and whether all is ready."""

    __tablename__ = "sme_roster"
    __table_args__ = (UniqueConstraint("inspection_id", "area_id"),)

    id: Mapped[intpk]
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[code_str]
    presenter: Mapped[short_str]
    backup: Mapped[short_str]
    storyboard: Mapped[short_str]  # document ID of the one-page storyboard
    prepared: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[long_text]
    revision: Mapped[int] = mapped_column(Integer, default=1)
