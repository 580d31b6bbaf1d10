"""The field spec of every entity people edit and exchange: one definition per field.

Each field is declared here once: its service keyword, the label people read (which is also its
workbook column header and its PDF caption), its kind, limits and vocabulary. Services validate
with it (``core.fields.validate``), undo steps and views take their field lists from it, the
workbook import and the merge compare records by it.
"""

from __future__ import annotations

from enum import StrEnum

from qmsr_ready.core.fields.spec import (
    LONG_TEXT,
    SHORT_TEXT,
    EntitySpec,
    FieldKind,
    FieldSpec,
)
from qmsr_ready.core.vocab import (
    CLASSIFICATION_LABELS,
    FINDING_STATUS_LABELS,
    REQUEST_KIND_LABELS,
    REQUEST_PRIORITY_LABELS,
    REQUEST_STATUS_LABELS,
    RESULT_LABELS,
    Classification,
    FindingStatus,
    RequestKind,
    RequestPriority,
    RequestStatus,
    Result,
)

RESPONSE = EntitySpec(
    entity="response",
    label="Response",
    sheet="Checklist",
    key_label="Question ID",
    fields=(
        FieldSpec("result", "Result", FieldKind.CHOICE, empty=Result.NOT_ASSESSED.value,
                  labels={r.value: label for r, label in RESULT_LABELS.items()}),
        FieldSpec("notes", "Notes", FieldKind.TEXT, max_len=LONG_TEXT),
        FieldSpec("sample_population", "Sample population", FieldKind.INT),
        FieldSpec("sample_size", "Sample size", FieldKind.INT),
        FieldSpec("records_reviewed", "Records reviewed", FieldKind.TEXT, max_len=LONG_TEXT,
                  lines=True),
        FieldSpec("interviewees", "Interviewees", FieldKind.TEXT, max_len=LONG_TEXT,
                  lines=True),
    ),
)

FINDING = EntitySpec(
    entity="finding",
    label="Finding",
    sheet="Findings",
    key_label="Finding ID",
    fields=(
        FieldSpec("title", "Title", FieldKind.TEXT, required=True, max_len=SHORT_TEXT),
        FieldSpec("classification", "Classification", FieldKind.CHOICE, required=True,
                  labels={c.value: label for c, label in CLASSIFICATION_LABELS.items()}),
        # Moved by transition_finding (its own rules and audit event), not by an edit.
        FieldSpec("status", "Status", FieldKind.CHOICE, required=True, editable=False,
                  labels={s.value: label for s, label in FINDING_STATUS_LABELS.items()}),
        FieldSpec("likely_483", "Likely 483", FieldKind.BOOL),
        FieldSpec("severity", "Severity", FieldKind.INT, required=True, low=1, high=5),
        FieldSpec("likelihood", "Likelihood", FieldKind.INT, required=True, low=1, high=5),
        FieldSpec("question_ids", "Question IDs", FieldKind.IDS),
        FieldSpec("requirement", "Requirement", FieldKind.TEXT, max_len=LONG_TEXT),
        FieldSpec("objective_evidence", "Objective evidence", FieldKind.TEXT,
                  max_len=LONG_TEXT),
        FieldSpec("owner", "Owner", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("due_date", "Due date", FieldKind.DATE),
        FieldSpec("correction", "Correction", FieldKind.TEXT, max_len=LONG_TEXT),
        FieldSpec("root_cause", "Root cause", FieldKind.TEXT, max_len=LONG_TEXT),
        FieldSpec("corrective_action", "Corrective action", FieldKind.TEXT,
                  max_len=LONG_TEXT),
        FieldSpec("capa_reference", "CAPA reference", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("effectiveness_check", "Effectiveness check", FieldKind.TEXT,
                  max_len=LONG_TEXT),
    ),
)

REQUEST = EntitySpec(
    entity="request",
    label="Request",
    sheet="Requests",
    key_label="Request ID",
    fields=(
        FieldSpec("requested_at", "Requested at (UTC)", FieldKind.DATETIME),
        FieldSpec("requested_by", "Requested by", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("text", "What was asked", FieldKind.TEXT, required=True, max_len=4000),
        # An empty cell (a new row typed in a hurry) means the default.
        FieldSpec("kind", "Kind", FieldKind.CHOICE,
                  empty=RequestKind.DOCUMENT.value,
                  labels={k.value: label for k, label in REQUEST_KIND_LABELS.items()}),
        FieldSpec("area_id", "Area", FieldKind.TEXT, max_len=64),
        FieldSpec("element_id", "Element ID", FieldKind.TEXT, max_len=64),
        FieldSpec("priority", "Priority", FieldKind.CHOICE,
                  empty=RequestPriority.NORMAL.value,
                  labels={p.value: label for p, label in REQUEST_PRIORITY_LABELS.items()}),
        FieldSpec("owner", "Owner", FieldKind.TEXT, max_len=SHORT_TEXT),
        # Moved by move_request (stamped and audited per move), not by an edit.
        FieldSpec("status", "Status", FieldKind.CHOICE, empty=RequestStatus.REQUESTED.value,
                  editable=False,
                  labels={s.value: label for s, label in REQUEST_STATUS_LABELS.items()}),
        # Not edited by itself: it says when a status change to Presented happened.
        FieldSpec("presented_at", "Presented at (UTC)", FieldKind.DATETIME, editable=False),
        FieldSpec("notes", "Notes", FieldKind.TEXT),
        FieldSpec("finding_codes", "Finding IDs", FieldKind.IDS),
    ),
)

NOTE = EntitySpec(
    entity="note",
    label="Scribe note",
    sheet="Scribe notes",
    key_label="Note ID",
    fields=(
        FieldSpec("at", "At (UTC)", FieldKind.DATETIME),
        FieldSpec("topic", "Topic", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("investigator", "Investigator", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("text", "Note", FieldKind.TEXT, required=True, max_len=20000),
        FieldSpec("request_codes", "Request IDs", FieldKind.IDS),
        FieldSpec("finding_codes", "Finding IDs", FieldKind.IDS),
    ),
)

ROSTER = EntitySpec(
    entity="roster",
    label="Roster entry",
    sheet="SME roster",
    key_label="Area ID",
    fields=(
        FieldSpec("presenter", "Presenter", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("backup", "Backup", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("storyboard", "Storyboard", FieldKind.TEXT, max_len=SHORT_TEXT),
        FieldSpec("prepared", "Prepared", FieldKind.BOOL),
        FieldSpec("notes", "Notes", FieldKind.TEXT, max_len=LONG_TEXT),
    ),
)

DEVICE_CLASSES: tuple[str, ...] = ("I", "II", "III")

# The site and its profile: the facts that decide which checklist elements apply. Not exchanged
# through the workbook (no sheet); the wizard, the services, the planner and the packs read it.
SITE = EntitySpec(
    entity="site",
    label="Site",
    sheet="",
    key_label="Site code",
    fields=(
        FieldSpec("name", "Site name", FieldKind.TEXT, required=True, max_len=SHORT_TEXT),
        FieldSpec("fei_number", "FEI number", FieldKind.TEXT, max_len=20),
        FieldSpec("address", "Address", FieldKind.TEXT),
        FieldSpec("device_classes", "Device classes", FieldKind.IDS,
                  labels={c: f"Class {c}" for c in DEVICE_CLASSES}),
        FieldSpec("sterile_products", "Sterile products", FieldKind.BOOL),
        FieldSpec("implantable_devices", "Implantable devices", FieldKind.BOOL),
        FieldSpec("life_supporting_devices", "Life-supporting or life-sustaining devices",
                  FieldKind.BOOL),
        FieldSpec("software_in_device", "Software in or as a device", FieldKind.BOOL),
        FieldSpec("class_i_design_listed", "Class I devices listed under 820.10(c)(2)",
                  FieldKind.BOOL),
        FieldSpec("tracking_orders", "Devices under tracking orders", FieldKind.BOOL),
        FieldSpec("pma_holder", "PMA holder", FieldKind.BOOL),
        FieldSpec("mdsap", "MDSAP-audited", FieldKind.BOOL),
        FieldSpec("servicing", "Servicing", FieldKind.BOOL),
        FieldSpec("installation", "Installation", FieldKind.BOOL),
    ),
)

# The profile part of the site: what SiteProfile holds and applies_if rules may test.
PROFILE_BOOL_FIELDS: tuple[str, ...] = tuple(
    f.name for f in SITE.fields if f.kind is FieldKind.BOOL
)
PROFILE_FIELDS: tuple[str, ...] = ("device_classes", *PROFILE_BOOL_FIELDS)

# The entities a workbook carries (a sheet each), in sheet order.
ENTITIES: tuple[EntitySpec, ...] = (RESPONSE, FINDING, REQUEST, NOTE, ROSTER)
ALL_ENTITIES: tuple[EntitySpec, ...] = (*ENTITIES, SITE)


def entity_spec(entity: str) -> EntitySpec:
    for spec in ALL_ENTITIES:
        if spec.entity == entity:
            return spec
    raise KeyError(entity)


# Vocabulary classes by field, for code that needs the enum rather than the labels
# (finding fields; the inspection-day vocabularies by (entity, field) below).
VOCABULARIES: dict[str, type[StrEnum]] = {
    "result": Result,
    "classification": Classification,
    "status": FindingStatus,
}
DAY_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("request", "kind"): RequestKind,
    ("request", "priority"): RequestPriority,
    ("request", "status"): RequestStatus,
}
