"""Build a realistic demonstration workspace with the real library and the real services.

Everything is written through ``qmsr_ready.core.services`` exactly as the GUI would, so the audit
trail, codes and snapshots are the genuine article. The file is built under a temporary name
beside the target and only renamed into place when complete; an existing file is never touched.
Content is deterministic for a given ``today`` (a fixed-seed ``random.Random``), apart from the
real clock times in the audit trail and the workspace's own UUID.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qmsr_ready.core import demo_content as dc
from qmsr_ready.core import demo_findings as df
from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo_notes import GAP_PHRASES, NoteWriter
from qmsr_ready.core.demo_requests import add_day_one
from qmsr_ready.core.disk_errors import write_failure, write_failure_message
from qmsr_ready.core.errors import Cancelled, NotAWorkspace, QmsrError, WorkspaceLocked
from qmsr_ready.core.export.progress import Progress
from qmsr_ready.core.library import Catalogue, plan, to_element_choices
from qmsr_ready.core.library.trigger import Trigger
from qmsr_ready.core.models import AuditEvent, Evidence
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import TemplateSnapshot, typed_template
from qmsr_ready.core.vocab import FindingStatus, InspectionType, RiskSignal

SEED = 7382850  # fixed: the same ``today`` always gives the same workspace content
STEPS = 6
STATUS_PATH = ("action_planned", "awaiting_verification", "closed")


class DemoError(QmsrError):
    """The demonstration workspace could not be built (nothing was left behind)."""


class DemoWorkspaceExists(DemoError):  # noqa: N818 (reads as a sentence in messages)
    """The target path already exists; the demo never overwrites a file."""


@dataclass(frozen=True)
class DemoInspection:
    """One inspection in the demo, as the summary reports it."""

    code: str
    title: str
    site_code: str
    inspection_type: str
    model: int
    template_key: str
    status: str
    responses: int
    findings: int


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote, for the CLI, the GUI and tests."""

    path: Path
    sites: tuple[str, ...]
    inspections: tuple[DemoInspection, ...]
    evidence_files: int
    audit_events: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe mapping."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["sites"] = list(self.sites)
        return data


class _Fmt(dict[str, str]):
    """``{y}``/``{py}`` years and ``{dN}`` = the ISO date N days before today."""

    def __init__(self, today: dt.date) -> None:
        super().__init__(y=str(today.year), py=str(today.year - 1))
        self.today = today

    def __missing__(self, key: str) -> str:
        if key.startswith("d") and key[1:].isdigit():
            return (self.today - dt.timedelta(days=int(key[1:]))).isoformat()
        raise KeyError(key)

    def __call__(self, text: str) -> str:
        return text.format_map(self)


@dataclass
class _Ctx:
    """Shared state while building: actor, dates, formatter, templates, note writer."""

    actor: str
    today: dt.date
    fmt: _Fmt
    qmsr: TemplateSnapshot
    transition: TemplateSnapshot
    codes: dict[int, int]
    notes: NoteWriter

    def code(self, year: int) -> str:
        self.codes[year] = self.codes.get(year, 0) + 1
        return f"MI-{year}-{self.codes[year]:03d}"

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)


def build_demo(
    path: str | os.PathLike[str],
    *,
    actor: str = "Demo data",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create a new demonstration workspace at ``path`` and return what it holds.

    Raises ``DemoWorkspaceExists`` if ``path`` exists (the file is left byte-identical) and
    ``Cancelled`` if ``progress.cancelled()`` turns true; either way no file is left behind.
    """
    from qmsr_ready.core.server.url import display_location, is_server_url

    if is_server_url(path):  # never a folder named after a URL (it would hold the password)
        raise DemoError(
            f"{display_location(path)} is a server database; the demonstration is built in a new "
            "file: qmsr-ready demo demo.qmsr, then qmsr-ready copy demo.qmsr URL to try it there."
        )
    target = Path(path).expanduser().absolute()
    if target.exists() or target.is_symlink():
        raise DemoWorkspaceExists(
            f"{target} already exists. The demonstration is only written to a new file; "
            "choose another name or move the existing file away."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DemoError(f"Cannot create the folder {target.parent}: {exc.strerror}.") from exc
    today = today or dt.date.today()
    catalogue = Catalogue(builtin_dir=resource_path("checklists"), user_dir=Path(os.devnull))
    ctx = _Ctx(
        actor, today, _Fmt(today),
        catalogue.get("fda-qmsr").snapshot(), catalogue.get("qsr-transition").snapshot(), {},
        NoteWriter(random.Random(SEED), today),
    )
    tmp = target.with_name(f".{target.name}.demo-{uuid.uuid4().hex[:8]}")
    try:
        try:
            ws = open_workspace(tmp, create=True, actor=actor)
        except (WorkspaceLocked, NotAWorkspace) as exc:  # e.g. the folder is read-only
            raise DemoError(
                f"Cannot write the demonstration workspace into {target.parent}: the folder "
                "does not accept new files. Choose a folder you can write to."
            ) from exc
        try:
            step = _stepper(progress)
            summary = _populate(ws, ctx, step)
        finally:
            ws.close()
        _publish(tmp, target)
    except (OSError, QmsrError) as exc:
        kind = write_failure(exc)  # named by the target, not the temporary file beside it
        if kind is not None:
            _remove_files(tmp)  # first, so the message counts the space it held as free
            raise DemoError(write_failure_message(
                f"Cannot write the demonstration workspace {target}", target, kind)) from exc
        if isinstance(exc, QmsrError):
            raise
        raise DemoError(f"Cannot write the demonstration workspace {target}: {exc}.") from exc
    finally:
        _remove_files(tmp)
    return DemoSummary(target, *summary)


def _remove_files(tmp: Path) -> None:
    """Remove the unfinished demonstration and every file SQLite kept beside it."""
    for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-wal", "-shm", "-journal", ".lock"))):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _stepper(progress: Progress | None) -> Callable[[str], None]:
    done = [0]

    def step(message: str) -> None:
        if progress is None:
            return
        if progress.cancelled():
            raise Cancelled("Building the demonstration was cancelled; no file was written.")
        progress.report(done[0], STEPS, message)
        done[0] += 1

    return step


def _publish(tmp: Path, target: Path) -> None:
    """Move the finished file into place without ever replacing an existing one."""
    try:
        os.link(tmp, target)  # fails if target exists: no window for an overwrite
    except FileExistsError:
        raise DemoWorkspaceExists(
            f"{target} appeared while the demonstration was being built; it was left as it was."
        ) from None
    except OSError:  # file systems without hard links
        if target.exists():
            raise DemoWorkspaceExists(f"{target} already exists; it was left as it was.") from None
        os.replace(tmp, target)


def _populate(ws: Any, ctx: _Ctx, step: Callable[[str], None]) -> tuple[Any, ...]:
    step("Creating sites")
    with ws.begin() as s:
        for site in (dc.GALWAY, dc.ATHLONE):
            services.create_site(s, ctx.actor, **site)
    step("Recording the signed-off transition gap assessment")
    with ws.begin() as s:
        _gap_assessment(s, ctx)
    step("Starting the baseline surveillance mock inspection")
    with ws.begin() as s:
        baseline = _start_baseline(s, ctx)
    step("Answering questions and raising findings")
    with ws.begin() as s:
        _answer_baseline(s, ctx, baseline)
        _baseline_findings(s, ctx, baseline)
        _baseline_evidence(s, ctx, baseline)
        add_day_one(s, ctx.actor, baseline, ctx.day(-2), ctx.fmt)
    step("Planning the next inspections")
    with ws.begin() as s:
        _planned(s, ctx)
    step("Summarising")
    with ws.session() as s:
        rows = services.list_inspections(s)
        inspections = tuple(
            DemoInspection(
                r.code, r.title, r.site_code, r.inspection_type, r.model, r.template_key,
                r.status, len(services.list_responses(s, r.code)), r.findings_total,
            )
            for r in rows
        )
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        evidence = _evidence_count(s)
    return (dc.GALWAY["code"], dc.ATHLONE["code"]), inspections, evidence, int(events)


def _evidence_count(s: Session) -> int:
    return int(s.execute(select(func.count()).select_from(Evidence)).scalar_one())


def _gap_assessment(s: Session, ctx: _Ctx) -> None:
    start = ctx.day(-243)
    code = ctx.code(start.year)
    proposals = plan(ctx.transition.content, dc.GALWAY["profile"], "non_baseline_surveillance")
    services.start_inspection(
        s, ctx.actor, site_code="SITE-001", template=ctx.transition,
        inspection_type=InspectionType.NON_BASELINE_SURVEILLANCE.value,
        elements=to_element_choices(proposals), code=code,
        title="QSR → QMSR transition gap assessment", lead=dc.LEAD, team=dc.TEAM,
        planned_start=start, planned_end=ctx.day(-239),
        scope_notes="Procedure-by-procedure review of the Galway QMS against the amended "
        "Part 820 (the QMSR, in force since 2 February 2026), built from the industry "
        "crosswalk of legacy sections.",
    )
    for ref in typed_template(ctx.transition).questions:
        result, note = df.GAP_NOTES.get(ref.id, ("conforms", ""))
        if not note:
            note = ctx.notes.conform_note(list(ref.records_to_sample), verdicts=GAP_PHRASES)
        services.record_response(
            s, ctx.actor, inspection_code=code, question_id=ref.id, result=result,
            notes=ctx.fmt(note), interviewees=[dc.ZL, dc.ND],
        )
    for finding in df.GAP_FINDINGS:
        _raise(s, ctx, code, finding)
    services.sign_off(
        s, ctx.actor, code, name=dc.DIRECTOR,
        meaning="Approved as QA/RA Director: gap assessment complete; open actions are tracked "
        "in the CAPA system.",
    )


def _start_baseline(s: Session, ctx: _Ctx) -> str:
    code = ctx.code(ctx.today.year)
    proposals = plan(ctx.qmsr.content, dc.GALWAY["profile"], "baseline_surveillance")
    services.start_inspection(
        s, ctx.actor, site_code="SITE-001", template=ctx.qmsr,
        inspection_type=InspectionType.BASELINE_SURVEILLANCE.value,
        elements=to_element_choices(proposals), code=code,
        title=f"Baseline surveillance mock inspection — Galway Road {ctx.today.year}",
        lead=dc.LEAD, team=dc.TEAM, planned_start=ctx.day(-9), planned_end=ctx.day(4),
        scope_notes=dc.BASELINE_SCOPE,
    )
    services.set_element_selection(
        s, ctx.actor, code, "PS-05", True,
        "Added by the lead: the site services TX-200 base stations, and the service record "
        "content in 820.35(b) is new under the QMSR.",
    )
    return code


def _answer_baseline(s: Session, ctx: _Ctx, code: str) -> None:
    insp = services.get_inspection(s, code)
    selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
    # An early, interim answer that the team later revised (visible in the audit trail).
    services.record_response(
        s, ctx.actor, inspection_code=code, question_id="MA-03-Q01", result="minor_gap",
        notes=ctx.fmt("Day 1: CMP-{y}-0412 has no UDI recorded. Pulling five more records."),
    )
    for ref in typed_template(ctx.qmsr).questions:
        qid = ref.id
        if ref.element_id not in selected or qid in dc.UNANSWERED:
            continue
        answer = dc.ANSWERS.get(qid) or ctx.notes.answer(ref)
        values: dict[str, Any] = {"result": answer.result, "notes": ctx.fmt(answer.notes)}
        if answer.size is not None:
            values.update(sample_population=answer.population, sample_size=answer.size)
        if answer.records:
            values["records_reviewed"] = [ctx.fmt(r) for r in answer.records]
        if answer.who:
            values["interviewees"] = list(answer.who)
        services.record_response(s, _assessor(ref.area_id), inspection_code=code,
                                 question_id=qid, **values)


def _assessor(area_id: str) -> str:
    """Who on the demo team assessed an area, so the trail reads like a team's work."""
    if area_id in ("DD", "CC"):
        return dc.TEAM[1].split(" (")[0]
    if area_id in ("PS", "MA"):
        return dc.TEAM[0].split(" (")[0]
    return dc.LEAD


def _raise(s: Session, ctx: _Ctx, code: str, f: df.DemoFinding) -> str:
    """Raise a finding, refine it as a team would, and drive it to its target status."""
    later = set(f.fields_later)
    text_fields = {
        "correction": f.correction, "root_cause": f.root_cause,
        "corrective_action": f.corrective_action, "capa_reference": f.capa_reference,
        "effectiveness_check": f.effectiveness_check,
    }
    due = f.due_in_days if f.due_in_days is not None else 30
    finding = services.raise_finding(
        s, ctx.actor, inspection_code=code, title=f.title,
        classification=f.raised_as or f.classification, question_ids=f.questions,
        objective_evidence=ctx.fmt(f.evidence), requirement=f.requirement,
        likely_483=f.likely_483 and not f.raised_as, severity=f.severity,
        likelihood=f.likelihood, owner=f.owner,
        due_date=ctx.day(due) if f.due_in_days is not None or f.status != "open" else None,
        **{k: ctx.fmt(v) for k, v in text_fields.items() if k not in later},
    )
    fcode = finding.code
    if f.raised_as:
        services.update_finding(
            s, ctx.actor, code, fcode, classification=f.classification, likely_483=f.likely_483
        )
    if later:
        refined: dict[str, Any] = {k: ctx.fmt(text_fields[k]) for k in f.fields_later}
        services.update_finding(s, ctx.actor, code, fcode, **refined)
    if f.status != FindingStatus.OPEN.value:
        for status in STATUS_PATH[: STATUS_PATH.index(f.status) + 1]:
            services.transition_finding(s, ctx.actor, code, fcode, status)
    return fcode


def _baseline_findings(s: Session, ctx: _Ctx, code: str) -> None:
    for finding in df.BASELINE_FINDINGS:
        _raise(s, ctx, code, finding)


def _csv(header: str, rows: tuple[str, ...], ctx: _Ctx) -> bytes:
    return ("\n".join([header, *(ctx.fmt(r) for r in rows)]) + "\n").encode("utf-8")


def _baseline_evidence(s: Session, ctx: _Ctx, code: str) -> None:
    y = ctx.today.year
    files: list[tuple[str, bytes, int, str, tuple[str, ...]]] = [
        ("complaint-log-extract.csv", _csv(df.COMPLAINT_LOG_HEADER, df.COMPLAINT_ROWS, ctx),
         -8, "MA-03-Q01", ("F-003", "F-001")),
        ("label-release-LR-2291.txt", ctx.fmt(df.LABEL_RELEASE).encode("utf-8"), -72,
         "PS-03-Q04", ("F-002",)),
        (f"eo-load-summary-{y}-Q3.csv", _csv(df.EO_LOAD_REPORT_HEADER, df.EO_LOAD_ROWS, ctx), -50,
         "PS-07-Q01", ()),
        (f"management-review-MR-{y}-01-extract.txt", ctx.fmt(df.MR_MINUTES).encode("utf-8"),
         -190, "MO-11-Q03", ("F-005",)),
    ]
    for name, data, offset, qid, finding_codes in files:
        ev = services.attach_evidence(
            s, ctx.actor, inspection_code=code, filename=name, data=data,
            effective_date=ctx.day(offset), question_id=qid,
        )
        for fcode in finding_codes:
            services.link_evidence(s, ctx.actor, code, ev.code, finding_code=fcode)


def _planned(s: Session, ctx: _Ctx) -> None:
    first_of_next = (ctx.today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    start = first_of_next + dt.timedelta(days=(7 - first_of_next.weekday()) % 7)  # a Monday
    code = ctx.code(ctx.today.year)
    itype = InspectionType.FOR_CAUSE.value
    # What a for-cause visit follows: a complaint trend on one failure mode of one product.
    trigger = Trigger("ThermaSense TX-200 patch adhesive: rising complaints of skin irritation "
                      "and redness on removal", (RiskSignal.COMPLAINT_TREND,))
    services.start_inspection(
        s, ctx.actor, site_code="SITE-001", template=ctx.qmsr, inspection_type=itype,
        elements=to_element_choices(
            plan(ctx.qmsr.content, dc.GALWAY["profile"], itype, trigger=trigger)),
        code=code, title="For-cause rehearsal — ThermaSense TX-200 adhesive complaints",
        lead=dc.LEAD, team=(*dc.TEAM, "Eimear Murphy (Vigilance)"), planned_start=start,
        planned_end=start + dt.timedelta(days=2), scope_notes=dc.FOR_CAUSE_SCOPE,
        trigger=trigger,
    )
    services.set_element_selection(
        s, ctx.actor, code, "CC-02", True,
        "Added by the lead: firmware 3.4.1 shipped without regression rationale (F-009 of the "
        "baseline mock).",
    )
    athlone: SiteProfile = dc.ATHLONE["profile"]
    later = ctx.day(95)
    itype = InspectionType.NON_BASELINE_SURVEILLANCE.value
    services.start_inspection(
        s, ctx.actor, site_code="SITE-002", template=ctx.qmsr, inspection_type=itype,
        elements=to_element_choices(plan(ctx.qmsr.content, athlone, itype)),
        code=ctx.code(ctx.today.year), title="Surveillance readiness check — Athlone",
        lead="Declan Moran", team=("Niamh Doyle (Document Control)",), planned_start=later,
        planned_end=later + dt.timedelta(days=1),
        scope_notes="Class I, non-sterile positioning products without software: design "
        "controls, sterilization, servicing and tracking are out of scope (see the reasons "
        "recorded per element).",
    )
