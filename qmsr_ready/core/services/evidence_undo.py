"""Attach evidence so that the GUI can undo and redo it exactly (no Qt here).

An attach either creates a new evidence record (undo removes it but keeps the bytes, which are
stored once per SHA-256, so redo brings it back under its old code without the original file;
``evidence_purge`` drops such bytes once no redo can need them, e.g. when the GUI lets go of
the workspace),
or finds the same bytes already in the inspection and only adds a link (undo detaches it), or
finds them already linked (nothing to undo). ``AttachStep`` records which, on the thread that
attached; ``undo_attach``/``redo_attach`` replay it inside the caller's transaction, each audited
like any other evidence change.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, NotFound
from qmsr_ready.core.models import Evidence, EvidenceBlob, EvidenceLink, Inspection, utcnow
from qmsr_ready.core.services._common import writable_inspection
from qmsr_ready.core.services.evidence import (
    _add_link,
    _target,
    attach_evidence_file,
    detach_evidence,
    get_evidence,
    link_evidence,
    remove_evidence,
)

if TYPE_CHECKING:
    from qmsr_ready.core.export.progress import Progress


@dataclass(frozen=True)
class EvidenceTarget:
    """Where evidence goes: one question or one finding of one inspection."""

    inspection_code: str
    question_id: str | None = None
    finding_code: str | None = None


@dataclass(frozen=True)
class AttachStep:
    """What attaching one file did, so that it can be undone and redone exactly."""

    code: str
    filename: str
    sha256: str
    media_type: str
    effective_date: dt.date | None
    created: bool  # a new evidence record (undo removes it, keeping the bytes)
    linked: bool  # a new link to the target (undo detaches it)


def _linked_codes(session: Session, insp: Inspection, target: EvidenceTarget) -> set[str]:
    """Codes of the inspection's evidence already linked to the target."""
    qid, fid, _label = _target(session, insp, target.question_id, target.finding_code)
    stmt = (
        select(Evidence.code)
        .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
        .where(Evidence.inspection_id == insp.id)
    )
    if qid is not None:
        stmt = stmt.where(EvidenceLink.question_id == qid)
    else:
        stmt = stmt.where(EvidenceLink.finding_id == fid)
    return set(session.scalars(stmt))


def attach_files(
    session: Session,
    actor: str,
    target: EvidenceTarget,
    paths: list[Path],
    progress: Progress | None = None,
) -> list[AttachStep]:
    """Stream every file into the workspace and link it to ``target``; what each one did.

    Runs on any thread with its own session: all files are attached, or (on a refusal or a
    cancel through ``progress``) none.
    """
    insp = writable_inspection(session, target.inspection_code)
    known = set(session.scalars(select(Evidence.code).where(Evidence.inspection_id == insp.id)))
    linked = _linked_codes(session, insp, target)
    steps: list[AttachStep] = []
    for path in paths:
        ev = attach_evidence_file(
            session, actor, inspection_code=target.inspection_code, path=path,
            media_type=mimetypes.guess_type(path.name)[0], question_id=target.question_id,
            finding_code=target.finding_code, progress=progress,
        )
        steps.append(AttachStep(
            code=ev.code, filename=ev.filename, sha256=ev.sha256, media_type=ev.media_type,
            effective_date=ev.effective_date, created=ev.code not in known,
            linked=ev.code not in linked,
        ))
        known.add(ev.code)
        linked.add(ev.code)
    return steps


def undo_attach(session: Session, actor: str, target: EvidenceTarget, step: AttachStep) -> None:
    """Take back one attach: remove evidence it created (bytes kept) or the link it added."""
    if step.created:
        insp = writable_inspection(session, target.inspection_code)
        ev = get_evidence(session, insp, step.code)
        others = [link for link in ev.links if not _is_target(session, insp, link, target)]
        if others:
            raise InvalidInput(
                f"{step.code} ({step.filename}) is linked elsewhere as well; remove those links "
                "first, then undo the attach."
            )
        remove_evidence(session, actor, target.inspection_code, step.code, keep_bytes=True)
    elif step.linked:
        detach_evidence(
            session, actor, target.inspection_code, step.code,
            question_id=target.question_id, finding_code=target.finding_code,
        )


def redo_attach(session: Session, actor: str, target: EvidenceTarget, step: AttachStep) -> None:
    """Do one attach again: bring created evidence back under its code, or link again."""
    if step.created:
        restore_evidence(session, actor, target, step)
    elif step.linked:
        link_evidence(
            session, actor, target.inspection_code, step.code,
            question_id=target.question_id, finding_code=target.finding_code,
        )


def restore_evidence(
    session: Session, actor: str, target: EvidenceTarget, step: AttachStep
) -> Evidence:
    """Re-create evidence removed by an undo from its stored bytes, under its old code."""
    insp = writable_inspection(session, target.inspection_code)
    qid, fid, label = _target(session, insp, target.question_id, target.finding_code)
    taken = session.execute(
        select(Evidence.id).where(Evidence.inspection_id == insp.id, Evidence.code == step.code)
    ).first()
    if taken is not None:
        raise InvalidInput(f"{insp.code} already has evidence {step.code}; attach the file again.")
    size = session.scalar(select(EvidenceBlob.size).where(EvidenceBlob.sha256 == step.sha256))
    if size is None:
        raise NotFound(f"The stored bytes of {step.filename} are gone; attach the file again.")
    ev = Evidence(
        inspection_id=insp.id, code=step.code, sha256=step.sha256, filename=step.filename,
        media_type=step.media_type, size=size, effective_date=step.effective_date,
        added_by=actor, added_at=utcnow(),
    )
    session.add(ev)
    append_event(
        session, actor, "evidence.attach", "evidence", f"{insp.code}/{step.code}",
        {
            "filename": [None, step.filename], "sha256": [None, step.sha256],
            "size": [None, size], "media_type": [None, step.media_type],
            "effective_date": [None, step.effective_date],
        },
        insp.code,
    )
    _add_link(session, actor, insp, ev, qid, fid, label)
    return ev


def _is_target(
    session: Session, insp: Inspection, link: EvidenceLink, target: EvidenceTarget
) -> bool:
    qid, fid, _label = _target(session, insp, target.question_id, target.finding_code)
    return link.question_id == qid and link.finding_id == fid

