"""Evidence bytes in and out of the workspace in chunks, never a whole file in memory.

A 500 MiB scan used to be read whole, copied, hashed and bound as one parameter (1.5 GB peak),
and a FIFO or ``/dev/zero`` named as evidence hung the GUI or filled memory. Here a source is
opened without blocking and accepted only if it is a regular file, the size limit is checked
from ``fstat`` before reading and again while reading, and the bytes are hashed and then written
into SQLite's incremental blob in 1 MiB chunks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import Integer, func, insert, literal_column, select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import Cancelled, InvalidInput
from qmsr_ready.core.models import EvidenceBlob

if TYPE_CHECKING:  # only an annotation: importing export here would loop back to services
    from qmsr_ready.core.export.progress import Progress

CHUNK_BYTES = 1024 * 1024
# A server stores each file as one bytea value, written in one statement (appending chunk by
# chunk would rewrite the value each time): files there are held to this size (README, Server
# workspaces); reading them back is sliced, never whole.
SERVER_MAX_EVIDENCE_BYTES = 64 * 1024 * 1024
Chunks = Callable[[], Iterable[bytes | memoryview]]  # each call starts again from the first byte


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def too_large(name: str, size: int, limit: int) -> InvalidInput:
    """The refusal for a file over the evidence limit."""
    return InvalidInput(
        f"{name} is {'over ' if size > limit else ''}{_mb(size)}; evidence files are limited to "
        f"{_mb(limit)}. Attach a smaller extract."
    )


@contextlib.contextmanager
def open_regular_file(path: Path, limit: int) -> Iterator[BinaryIO]:
    """Open ``path`` for reading if it is a regular file of at most ``limit`` bytes.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a writer; the
    ``fstat`` of the opened descriptor (not of the name) decides, so a swapped name cannot slip
    a device past the check.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InvalidInput(f"Could not read {path.name}: {exc.strerror or exc}.") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(
                f"{path.name or path} is not a regular file (a folder, pipe or device); save it "
                "as a file and attach that."
            )
        if info.st_size > limit:
            raise too_large(path.name, info.st_size, limit)
        handle = os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def file_chunks(handle: BinaryIO, name: str, limit: int, progress: Progress | None) -> Chunks:
    """Chunks of an open file from its start, refusing it once more than ``limit`` bytes arrive.

    The limit is checked while reading because ``st_size`` can be wrong (``/proc`` files say 0)
    or the file can grow after it was checked.
    """
    total = os.fstat(handle.fileno()).st_size

    def chunks() -> Iterator[bytes]:
        handle.seek(0)
        done = 0
        while True:
            try:
                chunk = handle.read(CHUNK_BYTES)
            except OSError as exc:
                raise InvalidInput(f"Could not read {name}: {exc.strerror or exc}.") from exc
            if not chunk:
                return
            done += len(chunk)
            if done > limit:
                raise too_large(name, done, limit)
            if progress is not None:
                if progress.cancelled():
                    raise Cancelled("Attaching cancelled; nothing was added.")
                progress.report(done, max(total, done), f"Reading {name}")
            yield chunk

    return chunks


def bytes_chunks(data: bytes) -> Chunks:
    """Chunks of data already in memory, without copying it."""
    view = memoryview(data)
    return lambda: (view[i : i + CHUNK_BYTES] for i in range(0, len(view), CHUNK_BYTES))


def digest(chunks: Chunks) -> tuple[str, int]:
    """SHA-256 and size of everything ``chunks`` yields."""
    sha, size = hashlib.sha256(), 0
    for chunk in chunks():
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def blob_exists(session: Session, sha: str) -> bool:
    """Whether these bytes are stored already (without loading them)."""
    found = session.execute(select(EvidenceBlob.sha256).where(EvidenceBlob.sha256 == sha))
    return found.first() is not None


def store_blob(session: Session, sha: str, size: int, name: str, chunks: Chunks) -> None:
    """Write the bytes once under ``sha``, chunk by chunk, checking they still hash to ``sha``."""
    changed = InvalidInput(f"{name} changed while it was being attached; attach it again.")
    if session.get_bind().dialect.name != "sqlite":  # a server: one parameter, bounded size
        if size > SERVER_MAX_EVIDENCE_BYTES:
            raise InvalidInput(
                f"{name} is {_mb(size)}; evidence in a server workspace is limited to "
                f"{_mb(SERVER_MAX_EVIDENCE_BYTES)}. Attach a smaller extract, or keep this "
                "workspace in a file."
            )
        data = b"".join(bytes(c) for c in chunks())
        if hashlib.sha256(data).hexdigest() != sha:
            raise changed
        session.add(EvidenceBlob(sha256=sha, size=size, data=data))
        session.flush()
        return
    session.execute(insert(EvidenceBlob).values(sha256=sha, size=size, data=func.zeroblob(size)))
    rowid = _rowid(session, sha)
    raw = _sqlite(session)
    written, check = 0, hashlib.sha256()
    with raw.blobopen("evidence_blobs", "data", rowid) as blob:
        for chunk in chunks():
            if written + len(chunk) > size:
                raise changed
            blob.write(chunk)
            check.update(chunk)
            written += len(chunk)
    if written != size or check.hexdigest() != sha:
        raise changed


def _sqlite(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLite session (these paths run on SQLite only)."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _rowid(session: Session, sha: str) -> int:
    """SQLite's rowid of a blob row, which ``blobopen`` addresses rows by."""
    found = session.execute(
        select(literal_column("rowid", Integer)).select_from(EvidenceBlob)
        .where(EvidenceBlob.sha256 == sha)
    )
    return int(found.scalar_one())


def copy_blob(session: Session, sha: str, target: BinaryIO) -> int:
    """Write stored bytes to ``target`` in chunks; returns the number of bytes written."""
    if session.get_bind().dialect.name != "sqlite":  # a server: read in slices
        size = int(session.execute(
            select(func.length(EvidenceBlob.data)).where(EvidenceBlob.sha256 == sha)
        ).scalar_one())
        for start in range(1, size + 1, CHUNK_BYTES):
            target.write(session.execute(
                select(func.substring(EvidenceBlob.data, start, CHUNK_BYTES))
                .where(EvidenceBlob.sha256 == sha)
            ).scalar_one())
        return size
    rowid = _rowid(session, sha)
    raw = _sqlite(session)
    done = 0
    with raw.blobopen("evidence_blobs", "data", rowid, readonly=True) as blob:
        while chunk := blob.read(CHUNK_BYTES):
            target.write(chunk)
            done += len(chunk)
    return done
