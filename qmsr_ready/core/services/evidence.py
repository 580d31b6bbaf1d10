"""Evidence: files stored inside the workspace once per SHA-256, linked to responses/findings."""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import unicodedata
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, NotFound
from qmsr_ready.core.models import (
    DocumentRequest,
    Evidence,
    EvidenceBlob,
    EvidenceLink,
    Inspection,
    PresentedItem,
    utcnow,
)
from qmsr_ready.core.services import evidence_io
from qmsr_ready.core.services._common import (
    date_value,
    get_inspection,
    next_code,
    question_ref,
    text_value,
    writable_inspection,
)
from qmsr_ready.core.services.findings import get_finding

if TYPE_CHECKING:  # only an annotation: importing export here would loop back to services
    from qmsr_ready.core.export.progress import Progress

MAX_EVIDENCE_BYTES = 512 * 1024 * 1024
# A file name as most file systems take it: an evidence name can be saved back to disk as is.
MAX_FILENAME_BYTES = 255


def get_evidence(session: Session, insp: Inspection, evidence_code: str) -> Evidence:
    """The evidence with this code in the inspection, or ``NotFound``."""
    ev = session.execute(
        select(Evidence).where(Evidence.inspection_id == insp.id, Evidence.code == evidence_code)
    ).scalar_one_or_none()
    if ev is None:
        raise NotFound(f"No evidence {evidence_code!r} in inspection {insp.code}.")
    return ev


def _target(
    session: Session, insp: Inspection, question_id: str | None, finding_code: str | None
) -> tuple[str | None, int | None, str]:
    """Resolve a link target; returns (question_id, finding row id, label for the audit)."""
    if question_id is not None and finding_code is not None:
        raise InvalidInput("Link evidence to a question or to a finding, not both at once.")
    if question_id is not None:
        question_ref(insp, question_id)
        return question_id, None, f"question {question_id}"
    if finding_code is not None:
        return None, get_finding(session, insp, finding_code).id, f"finding {finding_code}"
    return None, None, ""


def _find_link(
    session: Session, ev: Evidence, question_id: str | None, finding_id: int | None
) -> EvidenceLink | None:
    stmt = select(EvidenceLink).where(EvidenceLink.evidence_id == ev.id)
    stmt = stmt.where(
        EvidenceLink.question_id.is_(None) if question_id is None
        else EvidenceLink.question_id == question_id
    )
    stmt = stmt.where(
        EvidenceLink.finding_id.is_(None) if finding_id is None
        else EvidenceLink.finding_id == finding_id
    )
    return session.execute(stmt).scalar_one_or_none()


def _add_link(
    session: Session, actor: str, insp: Inspection, ev: Evidence,
    question_id: str | None, finding_id: int | None, label: str,
) -> None:
    if not label or _find_link(session, ev, question_id, finding_id) is not None:
        return
    ev.links.append(EvidenceLink(question_id=question_id, finding_id=finding_id))
    append_event(
        session, actor, "evidence.link", "evidence", f"{insp.code}/{ev.code}",
        {"linked_to": [None, label]}, insp.code,
    )


# Bidirectional controls make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"\s+")


def clean_filename(filename: str) -> str:
    """The last component of ``filename`` with control and direction characters removed.

    A name is shown in lists, tooltips, the audit trail and the packs: a NUL cuts it short in
    C-based readers, a newline splits a row, and a right-to-left override hides the real
    extension. Line breaks and tabs become a space; the rest is dropped.
    """
    if isinstance(filename, str):  # a name from the OS: NUL is dropped like the other controls
        filename = filename.replace("\x00", "")
    name = PurePath(text_value(filename, "File name", required=True).replace("\\", "/")).name
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch not in _BIDI and (ch.isspace() or unicodedata.category(ch) != "Cc")
    )
    name = _SPACES.sub(" ", name).strip()
    if not name or name in (".", ".."):
        raise InvalidInput(f"{filename!r} is not a file name.")
    return _fit_name(name)


def _fit_name(name: str) -> str:
    """``name`` within MAX_FILENAME_BYTES of UTF-8, shortened before its extension with "…"."""
    if len(name.encode("utf-8")) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode("utf-8")) > 16:
        stem, ext = name, ""
    tail = ("…." + ext) if ext else "…"
    room = MAX_FILENAME_BYTES - len(tail.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip()
    return cut + tail


def attach_evidence(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    filename: str,
    data: bytes,
    media_type: str | None = None,
    effective_date: dt.date | None = None,
    question_id: str | None = None,
    finding_code: str | None = None,
) -> Evidence:
    """Store bytes already in memory in the workspace and optionally link them.

    The bytes are kept once per SHA-256 across the workspace; attaching the same bytes to the
    same inspection again returns the existing evidence record (adding the new link). Files on
    disk go through ``attach_evidence_file``, which never holds them in memory.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInput("Evidence data must be bytes.")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise evidence_io.too_large(filename, len(data), MAX_EVIDENCE_BYTES)
    return _attach(
        session, actor, inspection_code, filename, evidence_io.bytes_chunks(bytes(data)),
        media_type, effective_date, question_id, finding_code,
    )


def attach_evidence_file(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    path: str | Path,
    filename: str | None = None,
    media_type: str | None = None,
    effective_date: dt.date | None = None,
    question_id: str | None = None,
    finding_code: str | None = None,
    progress: Progress | None = None,
) -> Evidence:
    """Stream a file from disk into the workspace (hash, then store, in 1 MiB chunks).

    Only regular files are accepted (a FIFO or device is refused at once); the size limit is
    checked before and while reading. ``progress`` hears of every chunk and may cancel.
    """
    source = Path(path)
    name = filename if filename is not None else source.name
    with evidence_io.open_regular_file(source, MAX_EVIDENCE_BYTES) as handle:
        chunks = evidence_io.file_chunks(handle, name, MAX_EVIDENCE_BYTES, progress)
        return _attach(
            session, actor, inspection_code, name, chunks,
            media_type, effective_date, question_id, finding_code,
        )


def _attach(
    session: Session,
    actor: str,
    inspection_code: str,
    filename: str,
    chunks: evidence_io.Chunks,
    media_type: str | None,
    effective_date: dt.date | None,
    question_id: str | None,
    finding_code: str | None,
) -> Evidence:
    insp = writable_inspection(session, inspection_code)
    name = clean_filename(filename)
    eff = date_value(effective_date, "Effective date")
    mtype = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    mtype = text_value(mtype, "Media type", max_len=127)
    qid, fid, label = _target(session, insp, question_id, finding_code)
    sha, size = evidence_io.digest(chunks)
    if not size:
        raise InvalidInput(f"{name} is empty; there is nothing to attach.")

    existing = session.execute(
        select(Evidence).where(Evidence.inspection_id == insp.id, Evidence.sha256 == sha)
    ).scalars().first()
    if existing is not None:
        _add_link(session, actor, insp, existing, qid, fid, label)
        return existing

    if not evidence_io.blob_exists(session, sha):
        evidence_io.store_blob(session, sha, size, name, chunks)
    codes = session.execute(select(Evidence.code).where(Evidence.inspection_id == insp.id))
    code = next_code(codes.scalars(), "E-")
    ev = Evidence(
        inspection_id=insp.id, code=code, sha256=sha, filename=name, media_type=mtype,
        size=size, effective_date=eff, added_by=actor, added_at=utcnow(),
    )
    session.add(ev)
    append_event(
        session, actor, "evidence.attach", "evidence", f"{insp.code}/{code}",
        {
            "filename": [None, name], "sha256": [None, sha], "size": [None, size],
            "media_type": [None, mtype], "effective_date": [None, eff],
        },
        insp.code,
    )
    _add_link(session, actor, insp, ev, qid, fid, label)
    return ev


def link_evidence(
    session: Session,
    actor: str,
    inspection_code: str,
    evidence_code: str,
    *,
    question_id: str | None = None,
    finding_code: str | None = None,
) -> Evidence:
    """Link existing evidence to a question's response or to a finding (no-op if linked)."""
    insp = writable_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    qid, fid, label = _target(session, insp, question_id, finding_code)
    if not label:
        raise InvalidInput("Say which question or finding to link the evidence to.")
    _add_link(session, actor, insp, ev, qid, fid, label)
    return ev


def detach_evidence(
    session: Session,
    actor: str,
    inspection_code: str,
    evidence_code: str,
    *,
    question_id: str | None = None,
    finding_code: str | None = None,
) -> None:
    """Remove one link; the evidence stays in the inspection (see ``remove_evidence``)."""
    insp = writable_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    qid, fid, label = _target(session, insp, question_id, finding_code)
    if not label:
        raise InvalidInput("Say which question or finding to detach the evidence from.")
    link = _find_link(session, ev, qid, fid)
    if link is None:
        raise NotFound(f"Evidence {evidence_code} is not linked to {label}.")
    ev.links.remove(link)
    session.delete(link)
    append_event(
        session, actor, "evidence.detach", "evidence", f"{insp.code}/{ev.code}",
        {"linked_to": [label, None]}, insp.code,
    )


def remove_evidence(
    session: Session, actor: str, inspection_code: str, evidence_code: str,
    *, keep_bytes: bool = False,
) -> None:
    """Remove evidence from an inspection; unused bytes are dropped too unless ``keep_bytes``.

    The GUI's undo of an attach keeps the bytes (stored once per SHA-256), so its redo can bring
    the evidence back without the original file (``evidence_undo.redo_attach``).
    """
    insp = writable_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    shown_for = sorted(set(session.scalars(
        select(DocumentRequest.code).join(PresentedItem, PresentedItem.request_id
                                          == DocumentRequest.id)
        .where(PresentedItem.evidence_id == ev.id)
    )))
    if shown_for:  # the proof of what the investigator saw must not be lost
        raise InvalidInput(
            f"{evidence_code} is the copy of what was shown for {', '.join(shown_for)}; it cannot "
            "be removed."
        )
    sha, name = ev.sha256, ev.filename
    session.delete(ev)
    session.flush()
    still_used = session.execute(
        select(func.count()).select_from(Evidence).where(Evidence.sha256 == sha)
    ).scalar_one()
    # Deleted in SQL: loading a 500 MB blob only to drop it costs 500 MB.
    if not still_used and not keep_bytes:
        session.execute(delete(EvidenceBlob).where(EvidenceBlob.sha256 == sha))
    append_event(
        session, actor, "evidence.remove", "evidence", f"{insp.code}/{evidence_code}",
        {"filename": [name, None], "sha256": [sha, None]}, insp.code,
    )


def evidence_bytes(session: Session, inspection_code: str, evidence_code: str) -> bytes:
    """The stored bytes of one evidence file."""
    insp = get_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    blob = session.get(EvidenceBlob, ev.sha256)
    if blob is None:  # pragma: no cover - foreign keys prevent this
        raise NotFound(f"The stored file for evidence {evidence_code} is missing.")
    return bytes(blob.data)


def copy_evidence(
    session: Session, inspection_code: str, evidence_code: str, target: BinaryIO
) -> int:

    """Write one evidence file's stored bytes to ``target`` in chunks; returns the size."""
    insp = get_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    if not evidence_io.blob_exists(session, ev.sha256):  # pragma: no cover - foreign keys
        raise NotFound(f"The stored file for evidence {evidence_code} is missing.")
    return evidence_io.copy_blob(session, ev.sha256, target)


def evidence_links(session: Session, inspection_code: str, evidence_code: str) -> dict[str, Any]:
    """Where one evidence file is linked: question IDs and finding codes."""
    insp = get_inspection(session, inspection_code)
    ev = get_evidence(session, insp, evidence_code)
    finding_codes = {f.id: f.code for f in insp.findings}
    return {
        "question_ids": sorted(link.question_id for link in ev.links if link.question_id),
        "finding_codes": sorted(
            finding_codes[link.finding_id] for link in ev.links if link.finding_id in finding_codes
        ),
    }
