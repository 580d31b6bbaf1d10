"""Builds a ``ReadinessReport`` from the database in one pass with a fixed number of queries.

The report is read-only: it runs a handful of SELECTs (inspection with site, template, elements
and sign-offs; all responses; all findings with their question links; the audit chain) and then
works in memory, so 400 questions and thousands of findings cost the same number of round trips.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qmsr_ready import __version__
from qmsr_ready.core import audit
from qmsr_ready.core.damaged import find_damaged_cached
from qmsr_ready.core.errors import NotFound, QmsrError
from qmsr_ready.core.finding_rules import days_overdue, finding_area, is_overdue
from qmsr_ready.core.library.planner import applicability
from qmsr_ready.core.library.trigger import Trigger
from qmsr_ready.core.models import (
    AuditEvent,
    Finding,
    FindingQuestion,
    Inspection,
    Response,
    WorkspaceInfo,
    local_today,
)
from qmsr_ready.core.profile import BOOL_FIELDS, SiteProfile
from qmsr_ready.core.report.model import (
    UNLINKED_AREA,
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
from qmsr_ready.core.report.scoring import Tally
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.template_model import TypedTemplate
from qmsr_ready.core.vocab import (
    CLASSIFICATION_LABELS,
    FINDING_STATUS_LABELS,
    INSPECTION_TYPE_LABELS,
    RESULT_LABELS,
    Classification,
    FindingStatus,
    InspectionStatus,
    InspectionType,
    Result,
)
from qmsr_ready.core.workspace_file import WorkspaceDamaged

TOP_RISK_COUNT = 10
_NOT_READ = AuditSummary(0, 0, False, "", "not read for a readiness summary")
_CLASS_RANK = {c.value: i for i, c in enumerate(Classification)}


def build_report(
    session: Session, inspection_code: str, today: dt.date | None = None
) -> ReadinessReport:
    """Read one inspection and everything the packs show about it.

    ``today`` decides which actions are overdue (defaults to the local date).
    """
    today = today or local_today()
    _refuse_damaged(session, inspection_code)
    return _build(session, inspection_code, today, full=True)


def _build(
    session: Session, inspection_code: str, today: dt.date, *, full: bool
) -> ReadinessReport:
    """The report; ``full=False`` (``summary.readiness_summary``) leaves out what no verdict
    reads: the audit chain state, the request log and the workspace ID."""
    inspection = session.scalars(
        select(Inspection)
        .where(Inspection.code == inspection_code)
        .options(
            joinedload(Inspection.site),
            joinedload(Inspection.template),
            selectinload(Inspection.elements),
            selectinload(Inspection.signoffs),
        )
    ).unique().one_or_none()
    if inspection is None:
        raise NotFound(f"Inspection {inspection_code} does not exist in this workspace.")
    tpl = typed_template(inspection.template)
    # Core rows (same attribute names as the model): 400 answers without ORM identity upkeep.
    responses = {
        r.question_id: r
        for r in session.execute(select(*Response.__table__.columns)
                                 .where(Response.inspection_id == inspection.id))
    }
    # Findings and their question links as Core rows too: two SELECTs, no ORM instances.
    findings = list(session.execute(
        select(*Finding.__table__.columns)
        .where(Finding.inspection_id == inspection.id)
        .order_by(Finding.code)
    ))
    links: dict[int, list[str]] = defaultdict(list)
    for finding_id, question_id in session.execute(
        select(FindingQuestion.finding_id, FindingQuestion.question_id)
        .join(Finding, Finding.id == FindingQuestion.finding_id)
        .where(Finding.inspection_id == inspection.id)
        .order_by(FindingQuestion.id)  # the relationship's order
    ):
        links[finding_id].append(question_id)
    choices = {e.element_id: e for e in inspection.elements}
    findings_by_question: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        for question_id in links.get(f.id, ()):
            findings_by_question[question_id].append(f.code)

    # Questions, element stats and area tallies in one walk of the template.
    questions: list[QuestionRow] = []
    tallies: dict[str, Tally] = {a.id: Tally() for a in tpl.areas}
    risk_tally = Tally()
    elem_stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for area, element, q in tpl.walk():
        qid, eid, aid = q.id, element.id, area.id
        choice = choices.get(eid)
        selected = bool(choice and choice.selected)
        counted = selected and bool(choice and choice.applicable)
        resp = responses.get(qid)
        result = resp.result if resp else Result.NOT_ASSESSED.value
        stats = elem_stats[eid]
        stats[0] += 1
        known = _result(result)
        if known is not None and known.is_assessed:
            stats[1] += 1
        if known is not None and known.is_gap:
            stats[2] += 1
        risk_focus = q.risk_focus
        if counted:
            tallies[aid].add(q.weight, result)
            if risk_focus:
                risk_tally.add(q.weight, result)
        if not selected and resp is None:
            continue  # not planned and never answered: not part of this inspection's checklist
        questions.append(
            QuestionRow(
                question_id=qid,
                area_id=aid,
                area_title=area.title,
                element_id=eid,
                element_title=element.title,
                text=q.one_line,
                citations=q.citations,
                legacy=q.legacy,
                weight=q.weight,
                risk_focus=risk_focus,
                counted=counted,
                result=result,
                result_label=_label(RESULT_LABELS, Result, result),
                notes=resp.notes if resp else "",
                sample_population=resp.sample_population if resp else None,
                sample_size=resp.sample_size if resp else None,
                records_reviewed=resp.records_reviewed if resp else "",
                interviewees=resp.interviewees if resp else "",
                assessed_by=resp.assessed_by if resp else "",
                assessed_at=resp.assessed_at if resp else None,
                response_revision=resp.revision if resp else 0,
                finding_codes=tuple(findings_by_question.get(qid, ())),
            )
        )

    finding_rows = tuple(_finding_row(f, tuple(links.get(f.id, ())), tpl, today)
                         for f in findings)
    areas, overall = _area_scores(tpl, tallies, finding_rows)
    risk_score = _area_score("RISK", "Risk-focus questions", "risk_focus", risk_tally, 0, 0)
    planned = _planned_elements(tpl, choices, elem_stats, _current_profile(inspection.site))
    generated_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return ReadinessReport(
        site=_site_info(inspection.site),
        inspection=_inspection_info(inspection),
        template=TemplateInfo(
            key=inspection.template.key,
            version=inspection.template.version,
            title=inspection.template.title,
            sha256=inspection.template.sha256,
            basis=tpl.basis_line,
        ),
        planned_elements=planned,
        areas=areas,
        overall=overall,
        risk_focus=risk_score,
        findings_by_class_area=_matrix(areas, finding_rows),
        top_risks=_top_risks(finding_rows),
        actions=_actions(finding_rows),
        questions=tuple(questions),
        findings=finding_rows,
        audit=_audit_summary(session, inspection_code) if full else _NOT_READ,
        signoffs=tuple(
            SignOffRow(s.name, s.meaning, s.signed_at, s.superseded_at, s.superseded_reason or "")
            for s in inspection.signoffs
        ),
        app_version=__version__,
        workspace_id=_workspace_id(session) if full else "",
        generated_at=generated_at,
        today=today,
        request_log=_request_log(session, inspection, tpl, generated_at) if full else None,
    )


def _request_log(
    session: Session, inspection: Inspection, tpl: TypedTemplate, now: dt.datetime
) -> Any:
    """The inspection-day log (imported here: the home list's light builds never need it)."""
    from qmsr_ready.core.inspection_day.report import request_log_of

    return request_log_of(session, inspection, tpl, now=now)


def _refuse_damaged(session: Session, inspection_code: str) -> None:
    """A damaged stored value stops the build with one line naming it (never a traceback)."""
    damaged = find_damaged_cached(session, inspection_code)  # rescans when the head moved
    if damaged:
        raise WorkspaceDamaged(
            f"Inspection {inspection_code} holds a damaged value: {damaged[0]}. Run "
            "'qmsr-ready verify' on the workspace and restore it from a backup."
        )


def _label(labels: dict[Any, str], enum: type, value: str) -> str:
    # A StrEnum member hashes and compares as its value: a known value needs no enum call
    # (400 answers and every finding's labels per build).
    found = labels.get(value) if isinstance(value, str) else None
    if found is not None:
        return found
    try:
        return labels[enum(value)]
    except ValueError:
        return value


_RESULTS: dict[str, Result] = {r.value: r for r in Result}


def _result(value: str) -> Result | None:
    return _RESULTS.get(value) if isinstance(value, str) else None


def _site_info(site: Any) -> SiteInfo:
    return SiteInfo(
        code=site.code,
        name=site.name,
        fei_number=site.fei_number or "",
        address=site.address or "",
        device_classes=tuple(site.device_classes or ()),
        profile_flags=tuple((name, bool(getattr(site, name))) for name in BOOL_FIELDS),
    )


def _inspection_info(insp: Inspection) -> InspectionInfo:
    return InspectionInfo(
        code=insp.code,
        title=insp.title or "",
        inspection_type=insp.inspection_type,
        inspection_type_label=_label(INSPECTION_TYPE_LABELS, InspectionType, insp.inspection_type),
        model=insp.model,
        status=insp.status,
        status_label=_status_label(insp.status),
        planned_start=insp.planned_start,
        planned_end=insp.planned_end,
        lead=insp.lead or "",
        team=tuple(str(t) for t in insp.team or ()),
        scope_notes=insp.scope_notes or "",
        revision=insp.revision,
        trigger=_trigger_line(insp.trigger),
    )


def _trigger_line(stored: Any) -> str:
    """The stored trigger as one line; a damaged value is shown, not fatal to the report."""
    try:
        trigger = Trigger.from_dict(stored)
    except QmsrError:
        return f"Unreadable trigger record: {stored!r}"[:300]
    return "" if trigger.is_empty else trigger.describe()


def _status_label(status: str) -> str:
    try:
        return InspectionStatus(status).label
    except ValueError:
        return status


def _finding_row(f: Any, qids: tuple[str, ...], tpl: TypedTemplate, today: dt.date) -> FindingRow:
    """One finding (a Core row with the model's attribute names) and its linked questions."""
    area = finding_area(tpl, qids) or UNLINKED_AREA
    overdue = is_overdue(f.due_date, f.status, today)
    return FindingRow(
        code=f.code,
        title=f.title,
        classification=f.classification,
        classification_label=_label(CLASSIFICATION_LABELS, Classification, f.classification),
        status=f.status,
        status_label=_label(FINDING_STATUS_LABELS, FindingStatus, f.status),
        likely_483=bool(f.likely_483),
        severity=f.severity,
        likelihood=f.likelihood,
        risk_score=f.severity * f.likelihood,
        owner=f.owner or "",
        due_date=f.due_date,
        overdue=overdue,
        days_overdue=days_overdue(f.due_date, f.status, today),
        objective_evidence=f.objective_evidence or "",
        requirement=f.requirement or "",
        correction=f.correction or "",
        root_cause=f.root_cause or "",
        corrective_action=f.corrective_action or "",
        capa_reference=f.capa_reference or "",
        effectiveness_check=f.effectiveness_check or "",
        question_ids=qids,
        area_id=area,
        created_at=f.created_at,
        updated_at=f.updated_at,
        closed_at=f.closed_at,
        revision=f.revision,
    )


def _area_scores(
    tpl: TypedTemplate, tallies: dict[str, Tally], findings: tuple[FindingRow, ...]
) -> tuple[tuple[AreaScore, ...], AreaScore]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in findings:
        counts[f.area_id][0] += 1
        counts[f.area_id][1] += f.status != "closed"
    areas = tuple(
        _area_score(a.id, a.title, a.kind, tallies[a.id], *counts[a.id])
        for a in tpl.areas
    )
    total = Tally()
    for t in tallies.values():
        total.merge(t)
    overall = _area_score(
        "ALL", "Overall", "overall", total, len(findings),
        sum(f.status != "closed" for f in findings),
    )
    return areas, overall


def _area_score(
    area_id: str, title: str, kind: str, t: Tally, findings: int, open_findings: int
) -> AreaScore:
    return AreaScore(
        area_id=area_id, title=title, kind=kind, score=t.score, coverage=t.coverage,
        applicable=t.applicable, assessed=t.assessed, conforms=t.conforms,
        minor_gaps=t.minor_gaps, major_gaps=t.major_gaps, not_applicable=t.not_applicable,
        not_assessed=t.not_assessed, weight_assessed=t.weight_assessed,
        weight_credit=t.weight_credit, findings=findings, open_findings=open_findings,
    )


def _current_profile(site: Any) -> SiteProfile | None:
    """The site's profile as it is now; None when the stored row cannot be read as one."""
    try:
        return SiteProfile.of(site)
    except QmsrError:
        return None


def _planned_elements(
    tpl: TypedTemplate, choices: dict[str, Any], stats: dict[str, list[int]],
    profile: SiteProfile | None,
) -> tuple[PlannedElement, ...]:
    rows = []
    for area in tpl.areas:
        for el in area.elements:
            choice = choices.get(el.id)
            n, assessed, gaps = stats.get(el.id, [0, 0, 0])
            now: bool | None = None
            why = ""
            if profile is not None and (el.sterile_only or el.applies_if):
                now, why = applicability(el, profile)
            rows.append(
                PlannedElement(
                    area_id=area.id, area_title=area.title,
                    element_id=el.id, title=el.title,
                    selected=bool(choice and choice.selected),
                    applicable=bool(choice.applicable) if choice else True,
                    reason=(choice.reason or "") if choice else "Not part of this inspection.",
                    model2_minimum=el.model2_minimum,
                    iso_clauses=el.iso_clauses,
                    qmsr_hooks=el.qmsr_hooks,
                    legacy_sections=el.legacy_sections,
                    question_count=n, assessed_count=assessed, gap_count=gaps,
                    profile_applicable=now, profile_reason=why,
                )
            )
    return tuple(rows)


def _matrix(areas: tuple[AreaScore, ...], findings: tuple[FindingRow, ...]) -> ClassAreaMatrix:
    classes = [c.value for c in Classification]
    classes += sorted({f.classification for f in findings} - set(classes))
    area_ids = [a.area_id for a in areas]
    if any(f.area_id == UNLINKED_AREA for f in findings):
        area_ids.append(UNLINKED_AREA)
    counts = [[0] * len(area_ids) for _ in classes]
    col = {a: i for i, a in enumerate(area_ids)}
    row = {c: i for i, c in enumerate(classes)}
    for f in findings:
        counts[row[f.classification]][col.get(f.area_id, col.get(UNLINKED_AREA, 0))] += 1
    return ClassAreaMatrix(
        classifications=tuple(classes),
        classification_labels=tuple(
            _label(CLASSIFICATION_LABELS, Classification, c) for c in classes
        ),
        area_ids=tuple(area_ids),
        counts=tuple(tuple(r) for r in counts),
    )


def _top_risks(findings: tuple[FindingRow, ...]) -> tuple[FindingRow, ...]:
    """Open findings, worst first: classification, then risk score, then likely-483."""
    live = [f for f in findings if f.status != "closed"]
    live.sort(
        key=lambda f: (_CLASS_RANK.get(f.classification, 99), -f.risk_score,
                       not f.likely_483, f.code)
    )
    return tuple(live[:TOP_RISK_COUNT])


def _actions(findings: tuple[FindingRow, ...]) -> tuple[ActionRow, ...]:
    """Every finding not yet closed, by due date (undated last)."""
    live = sorted(
        (f for f in findings if f.status != "closed"),
        key=lambda f: (f.due_date is None, f.due_date or dt.date.max, f.code),
    )
    return tuple(
        ActionRow(
            finding_code=f.code, title=f.title, classification=f.classification,
            classification_label=f.classification_label, owner=f.owner, due_date=f.due_date,
            status=f.status, status_label=f.status_label, overdue=f.overdue,
            days_overdue=f.days_overdue, corrective_action=f.corrective_action,
            capa_reference=f.capa_reference,
        )
        for f in live
    )


def _audit_summary(session: Session, inspection_code: str) -> AuditSummary:
    chain = audit.verify_chain(session, cached=True)  # full check: verify, open, first build
    count = session.scalar(
        select(func.count()).select_from(AuditEvent).where(
            AuditEvent.inspection_code == inspection_code
        )
    )
    return AuditSummary(
        event_count=chain.event_count,
        inspection_event_count=int(count or 0),
        chain_verified=bool(chain.ok),
        head_hash=chain.head_hash or "",
        problem=chain.problem or "",
    )


def _workspace_id(session: Session) -> str:
    value = session.scalar(select(WorkspaceInfo.value).where(WorkspaceInfo.key == "workspace_id"))
    return value or ""
