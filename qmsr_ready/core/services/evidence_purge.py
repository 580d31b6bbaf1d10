"""Drop evidence bytes that no evidence record uses any more (no Qt here).

Why: the GUI's undo of an attach removes the evidence record but keeps its bytes, so a redo can
bring the file back without the original. Once nothing can redo it (the undo history is gone,
e.g. the workspace is closed), those bytes are dead weight, and may be a file the user meant to
take back. ``purge_unreferenced_blobs`` deletes them and audits what went (``evidence.purge``).
Verify does not need them: it checks the bytes of every record that exists, and of every
stored blob against its own SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.models import Evidence, EvidenceBlob

PURGE_ENTITY = "evidence_blobs"  # entity type/ID of the audit event (not one row of a table)


@dataclass(frozen=True)
class Purged:
    """What a purge removed for good: how many stored files and how many bytes."""

    files: int
    size: int

    def describe(self) -> str:
        """One line for the status bar or the CLI, e.g. "2 unattached evidence files (3 KB)"."""
        unit = "file" if self.files == 1 else "files"
        return f"{self.files} unattached evidence {unit} ({_human(self.size)})"


def _human(size: int) -> str:
    amount = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{int(amount)} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{size} bytes"  # pragma: no cover - the loop always returns


_UNREFERENCED = ~exists().where(Evidence.sha256 == EvidenceBlob.sha256)


def unreferenced_blobs(session: Session) -> dict[str, int]:
    """SHA-256 -> size of every stored file that no evidence record uses."""
    rows = session.execute(select(EvidenceBlob.sha256, EvidenceBlob.size).where(_UNREFERENCED))
    return {str(sha): int(size) for sha, size in rows}


def purge_unreferenced_blobs(session: Session, actor: str) -> Purged:
    """Delete the bytes no evidence record uses, audited; nothing to do costs one query."""
    dead = unreferenced_blobs(session)
    if not dead:
        return Purged(0, 0)
    # Deleted in SQL by key: loading the blobs only to drop them would cost their size.
    session.execute(delete(EvidenceBlob).where(EvidenceBlob.sha256.in_(sorted(dead))))
    purged = Purged(len(dead), sum(dead.values()))
    append_event(
        session, actor, "evidence.purge", PURGE_ENTITY, PURGE_ENTITY,
        {"sha256": [sorted(dead), []], "size": [purged.size, 0]},
    )
    return purged
