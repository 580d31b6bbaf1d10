"""Evidence a merge copies from another workspace: records, their links, and bytes once per hash.

The plan carries only what people need to see (name, size, links) and the SHA-256; the bytes
are read at apply time, from this workspace when any inspection here already holds them (a
blob is never stored twice), else from the other file, and checked against the hash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core import services
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.models import Evidence, EvidenceBlob, Finding


class EvidenceCopyFailed(QmsrError):  # noqa: N818 (reads as a sentence in messages)
    """An evidence file could not be copied from the other workspace: nothing was applied."""


@dataclass(frozen=True)
class EvidenceCopy:
    """One evidence record of the other workspace that this one lacks."""

    code: str  # its code on the other side (a new one is given here)
    sha256: str
    filename: str
    media_type: str
    size: int
    effective_date: str | None  # ISO date
    question_ids: tuple[str, ...] = ()
    finding_codes: tuple[str, ...] = ()  # the other side's codes

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["question_ids"] = list(self.question_ids)
        data["finding_codes"] = list(self.finding_codes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvidenceCopy:
        return cls(
            code=str(data["code"]), sha256=str(data["sha256"]), filename=str(data["filename"]),
            media_type=str(data["media_type"]), size=int(data["size"]),
            effective_date=data.get("effective_date") or None,
            question_ids=tuple(data.get("question_ids", ())),
            finding_codes=tuple(data.get("finding_codes", ())),
        )


@contextlib.contextmanager
def _source_blobs(source_path: str) -> Iterator[Any]:
    """A function reading one blob from the other workspace, opened read-only once."""
    from qmsr_ready.core.transfer import targets  # late: db is heavy and only merges need it

    if not source_path:
        raise EvidenceCopyFailed("The merge plan does not say where its evidence files are.")
    with targets.open_read_only(source_path) as ws, ws.session() as other:
        def read(sha: str) -> bytes | None:
            blob = other.get(EvidenceBlob, sha)
            return None if blob is None else bytes(blob.data)

        yield read


def _name(source_path: str) -> str:
    from qmsr_ready.core.transfer import targets

    return targets.short_name(source_path)


def copy_evidence(
    session: Session,
    actor: str,
    inspection_code: str,
    copies: Iterable[EvidenceCopy],
    finding_map: Mapping[str, str],
    source_path: str,
) -> list[str]:
    """Attach each copy with its links; return the codes of the evidence records created."""
    insp = services.get_inspection(session, inspection_code)
    have = set(session.scalars(select(Evidence.sha256).where(Evidence.inspection_id == insp.id)))
    created: list[str] = []
    with contextlib.ExitStack() as stack:
        reader: Any = None
        for copy in copies:
            if copy.sha256 in have:  # attached here since the preview: nothing to copy
                continue
            blob = session.get(EvidenceBlob, copy.sha256)
            if blob is not None:
                data = bytes(blob.data)
            else:
                if reader is None:
                    reader = stack.enter_context(_source_blobs(source_path))
                data = reader(copy.sha256)
                if data is None or hashlib.sha256(data).hexdigest() != copy.sha256:
                    raise EvidenceCopyFailed(
                        f"Evidence {copy.code} ({copy.filename}) changed or vanished in "
                        f"{_name(source_path)} since the preview; make the preview again."
                    )
            targets = [("question_id", q) for q in copy.question_ids]
            targets += [("finding_code", finding_map.get(f, f)) for f in copy.finding_codes]
            first = dict(targets[:1])
            try:
                ev = services.attach_evidence(
                    session, actor, inspection_code=inspection_code, filename=copy.filename,
                    data=data, media_type=copy.media_type,
                    effective_date=dt.date.fromisoformat(copy.effective_date)
                    if copy.effective_date else None,
                    **first,
                )
                for name, value in targets[1:]:
                    services.link_evidence(session, actor, inspection_code, ev.code,
                                           **{name: value})
            except QmsrError as exc:
                raise EvidenceCopyFailed(
                    f"Evidence {copy.code} ({copy.filename}): {exc.message}"
                ) from exc
            have.add(copy.sha256)
            created.append(ev.code)
    return created


def link_existing(
    session: Session,
    actor: str,
    inspection_code: str,
    planned: Iterable[Mapping[str, Any]],
    finding_map: Mapping[str, str],
) -> list[tuple[str, str, str]]:
    """Add the other side's new links to evidence this workspace already holds.

    Returns (evidence code, "question" or "finding", target) of each link added; links present
    already are skipped, so an undo detaches only what the merge added.
    """
    insp = services.get_inspection(session, inspection_code)
    added: list[tuple[str, str, str]] = []
    planned = list(planned)
    codes = dict(session.execute(
        select(Finding.id, Finding.code).where(Finding.inspection_id == insp.id)).all()) \
        if planned else {}
    for spec in planned:
        ev = session.scalars(select(Evidence).where(
            Evidence.inspection_id == insp.id, Evidence.code == spec["code"])).one_or_none()
        if ev is None or ev.sha256 != spec["sha256"]:
            raise EvidenceCopyFailed(
                f"Evidence {spec['code']} was removed or replaced in this workspace since the "
                "preview; make the preview again."
            )
        have = {("question", ln.question_id) for ln in ev.links if ln.question_id}
        have |= {("finding", codes[ln.finding_id]) for ln in ev.links if ln.finding_id in codes}
        targets = [("question", str(q)) for q in spec.get("question_ids", ())]
        targets += [("finding", finding_map.get(str(f), str(f)))
                    for f in spec.get("finding_codes", ())]
        for kind, target in targets:
            if (kind, target) in have:
                continue
            try:
                if kind == "question":
                    services.link_evidence(session, actor, inspection_code, ev.code,
                                           question_id=target)
                else:
                    services.link_evidence(session, actor, inspection_code, ev.code,
                                           finding_code=target)
            except QmsrError as exc:
                raise EvidenceCopyFailed(
                    f"Evidence {ev.code} ({ev.filename}): {exc.message}") from exc
            have.add((kind, target))
            added.append((ev.code, kind, target))
    return added
