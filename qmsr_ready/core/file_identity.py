"""Whether an open workspace's name still leads to the file it opened (QA 3 item 1).

A sync client or a restore may put another file under the name (``os.replace``) while the
workspace is open. SQLite keeps the old file open through the pooled connections, but names the
``-wal`` and ``-shm`` after the path: a write after the swap was acknowledged, went to the old
file's ``-wal`` beside the new file, and the new file read it as its own (``verify``: a broken
chain). ``FileIdentity`` is the device and inode the workspace opened. Every new connection and
every write transaction checks it (one ``os.stat``) and refuses with ``WorkspaceReplaced``
before anything is written; a refused write and closing the workspace first checkpoint the old
``-wal`` into the old file and truncate it through a connection that has it open, so the file
now under the name never reads the old one's pages (SQLite leaves a moved file's ``-wal`` behind
when it closes).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from qmsr_ready.core.errors import WorkspaceReplaced


def identity_of(path: Path) -> tuple[int, int]:
    """The device and inode ``path`` leads to (``OSError`` when nothing does)."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


class FileIdentity:
    """The file a workspace opened: ``path`` (resolved, the name SQLite has it open by) must
    keep leading to ``expected`` (device, inode)."""

    __slots__ = ("expected", "path")

    def __init__(self, path: Path, expected: tuple[int, int]) -> None:
        self.path = path
        self.expected = expected

    def replaced(self) -> bool:
        """True when ``path`` leads to another file, or to none."""
        try:
            return identity_of(self.path) != self.expected
        except OSError:
            return True

    def error(self) -> WorkspaceReplaced:
        return WorkspaceReplaced(
            f"{self.path}: the workspace file was replaced while open; reopen it."
        )

    def check(self) -> None:
        """Refuse (a new connection) when the name leads elsewhere."""
        if self.replaced():
            raise self.error()

    def check_write(self, raw: sqlite3.Connection) -> None:
        """At the start of a write transaction on ``raw`` (before its BEGIN): refuse when the
        name leads elsewhere, first handing the old file its ``-wal``."""
        if self.replaced():
            release_wal(raw)
            raise self.error()

    def settle(self, engine: Engine) -> None:
        """Before the engine closes: if the file was replaced, hand the old file its ``-wal``
        through an idle pooled connection (a new one would be refused)."""
        pool = engine.pool
        if not self.replaced() or not isinstance(pool, QueuePool) or pool.checkedin() == 0:
            return
        with contextlib.suppress(Exception):  # best effort: closing goes on
            proxied = engine.raw_connection()
            try:
                raw = proxied.driver_connection
                if isinstance(raw, sqlite3.Connection):
                    release_wal(raw)
            finally:
                proxied.close()


def release_wal(raw: sqlite3.Connection) -> None:
    """Checkpoint the ``-wal`` that ``raw`` has open into its own database file and truncate it
    (through the open descriptors, whatever names they have now). Best effort: a reader still
    holding an old snapshot leaves it as it is."""
    with contextlib.suppress(sqlite3.Error):
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
