"""The workspace: one SQLite file, or a database on a PostgreSQL server, opened safely.

``open_workspace`` takes a path or a ``postgresql+psycopg://`` URL (``server.url``); a server
workspace is set up in ``core.server.engine`` and shares the ``Workspace`` class below. What
follows is the file layer.

``workspace_file`` first checks, without writing, that a file is ours. A writer holds the
``workspace_lock`` (keyed by the file's resolved name and its identity) so a second writer, by
any name, gets ``WorkspaceLocked``; an older schema is backed up beside the file and then
migrated with the shipped Alembic revisions. Failures of a damaged file or a failing disk leave
every session as one ``QmsrError`` (``db_errors``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from qmsr_ready import __version__
from qmsr_ready.core.db_errors import translate_error
from qmsr_ready.core.errors import (
    NotAWorkspace,
    QmsrError,
    SchemaMigrationFailed,
    SchemaTooNew,
    WorkspaceClosed,
    WorkspaceReadOnly,
    WorkspaceReplaced,
)
from qmsr_ready.core.file_identity import FileIdentity, identity_of
from qmsr_ready.core.migrations import HEAD_REVISION, alembic_config, known_revisions
from qmsr_ready.core.paths import default_workspace_path
from qmsr_ready.core.server.url import is_server_url
from qmsr_ready.core.wal_header import WalHeaderReader
from qmsr_ready.core.workspace_file import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    inspect_workspace_file,
    read_only_uri,
)
from qmsr_ready.core.workspace_lock import WriterLock, acquire_writer_lock, open_path_for
from qmsr_ready.core.write_connection import (
    BEGUN_OPTION,
    KeptWriter,
    WriteConnection,
    WriteTransaction,
    begin_on_driver,
)

__all__ = [
    "APPLICATION_ID",
    "Workspace",
    "WriteConnection",
    "default_workspace_path",
    "inspect_workspace_file",
    "open_workspace",
]

WORKSPACE_SUFFIX = ".qmsr"
# the execution option of write transactions: BEGIN IMMEDIATE on a file, the advisory lock on
# a server (server.engine)
IMMEDIATE_OPTION = _IMMEDIATE_OPTION = "qmsr_begin_immediate"
# the engine option carrying a file workspace's FileIdentity (checked by every write)
_IDENTITY_OPTION = "qmsr_file_identity"


class _GuardedSession(Session):
    """A session whose damaged-file and full-disk failures leave it as one ``QmsrError``."""

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        super().__exit__(type_, value, traceback)
        if value is not None:
            translate = self.info.get("translate")
            mapped = (translate(value) if translate is not None
                      else translate_error(value, Path(self.info.get("workspace_path", ""))))
            if mapped is not None:
                raise mapped from value


Translator = Callable[[BaseException], "QmsrError | None"]


@contextlib.contextmanager
def translated(path: Path, translate: Translator | None = None) -> Iterator[None]:
    """Re-raise what a damaged file or failing disk (or, with ``translate``, a failing server)
    raises as one clear ``QmsrError``."""
    try:
        yield
    except QmsrError:
        raise
    except Exception as exc:
        mapped = translate(exc) if translate is not None else translate_error(exc, path)
        if mapped is None:
            raise
        raise mapped from exc


def _make_engine(path: Path, *, read_only: bool, expected: tuple[int, int] | None = None
                 ) -> Engine:
    """An engine whose every connection has our pragmas and real (transactional) BEGINs.

    ``path`` is resolved (no symlink in it) and must exist. Each new connection, made whenever
    the pool grows (another thread, a connection kept by a worker), first checks that ``path``
    still names the file it named here (device and inode), and again once SQLite has it open:
    a file swapped in under that name is refused, never read or written; a pooled connection
    keeps the old file open, so every write transaction checks again before its BEGIN
    (``file_identity``). ``expected`` is the
    identity of the file the user asked for, when ``path`` is another name of it."""
    path = Path(os.path.realpath(path))
    identity = FileIdentity(path, expected if expected is not None else identity_of(path))
    identity.check()
    target = read_only_uri(path) if read_only else str(path)

    def connect() -> sqlite3.Connection:
        identity.check()
        conn = sqlite3.connect(
            target,
            uri=read_only,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None,
        )
        try:
            identity.check()
        except WorkspaceReplaced:
            conn.close()
            raise
        return conn

    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool)
    engine.update_execution_options(**{_IDENTITY_OPTION: identity})  # Workspace reads it

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (transactional DDL too)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write transactions take the write lock up front, so two writers in this process
        # queue on busy_timeout instead of failing on a stale read snapshot. Run on the driver
        # connection (``exec_driver_sql`` cost a save 25 µs of statement bookkeeping); a
        # failure is raised as that would raise it (a locked, busy or read-only file gives the
        # same ``OperationalError``, and so the same translated message).
        # A write first checks the name still leads to the file opened (QA 3 item 1).
        options = conn.get_execution_options()
        if options.get(BEGUN_OPTION):
            return
        raw = conn.connection.driver_connection
        immediate = bool(options.get(_IMMEDIATE_OPTION))
        if immediate:
            identity.check_write(raw)
        begin_on_driver(raw, conn.dialect, immediate=immediate)

    return engine


def _current_revision(engine: Engine) -> str | None:
    """The stored schema revision, read with one SELECT (Alembic is imported only to upgrade,
    or to report several stored heads the way it always has)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        stored = [str(v) for v in conn.execute(text("SELECT version_num FROM alembic_version"))
                  .scalars()]
        if len(stored) <= 1:
            return stored[0] if stored else None
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()


def _upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


def _backup_file(engine: Engine, dest: Path) -> None:
    """Consistent copy through SQLite's backup API (``backups.copy_database``)."""
    from qmsr_ready.core.backups import copy_database

    raw = engine.raw_connection()
    try:
        copy_database(raw.driver_connection, dest)  # type: ignore[arg-type]  # sqlite3 here
    finally:
        raw.close()


def initialise_file(path: Path, revision: str = "head") -> None:
    """Create a new, empty workspace file at ``path`` at schema ``revision``.

    Used for new workspaces (at head) and by tests that need an older schema.
    """
    raw = sqlite3.connect(str(path))
    try:
        raw.execute(f"PRAGMA application_id={APPLICATION_ID}")
        raw.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()
    engine = _make_engine(path, read_only=False)
    try:
        _upgrade(engine, revision)
        with engine.begin() as conn:
            write_identity(conn)
    finally:
        engine.dispose()  # closing the last connection checkpoints and removes the WAL


def write_identity(conn: Any) -> None:
    """Give a new, empty workspace its UUID, creation time and creating version."""
    now = dt.datetime.now(dt.UTC).isoformat()
    for key, value in (
        ("workspace_id", str(uuid.uuid4())),
        ("created_at", now),
        ("created_by_version", __version__),
    ):
        conn.execute(
            text("INSERT INTO workspace_info (key, value) VALUES (:k, :v)"),
            {"k": key, "v": value},
        )


class Workspace:
    """An open workspace: owns the engine, the session factory and (for a file) the writer lock.

    ``location`` is what messages and titles show: the file path, or the server URL with its
    password masked. ``path`` is the file for a file workspace; for a server workspace
    (``is_server``) it is ``Path(<database name>)``, a relative name with no file behind it, so
    ``path.name`` in a message still reads sensibly; never use it to reach the disk there.
    """

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        read_only: bool,
        lock: WriterLock | None,
        schema_revision: str,
        backup_path: Path | None = None,
        location: str | None = None,
        is_server: bool = False,
        translate: Translator | None = None,
        database_file: Path | None = None,
    ) -> None:
        self.path = path
        # the file SQLite has open (resolved; a hard link's holder's name): its -wal is ours
        self.database_file = database_file
        self.engine = engine
        self.read_only = read_only
        self.is_server = is_server
        self.location = location if location is not None else str(path)
        self.schema_revision = schema_revision
        self.needs_upgrade = schema_revision != HEAD_REVISION
        self.backup_path = backup_path  # set when opening migrated an older file
        self._lock = lock
        self._closed = False
        # the file opened, for a file workspace's writes (None on a server)
        self._file_identity: FileIdentity | None = engine.get_execution_options().get(
            _IDENTITY_OPTION)
        self._translate = translate
        # the connection the lean write transactions reuse (write_connection; a file's only)
        self._kept_writer = KeptWriter()
        # the verified audit heads of this file (audit.verify_chain(cached=True) reads it)
        self._chain_cache: dict[str, Any] = {}
        info: dict[str, Any] = {"workspace_path": str(path), "chain_cache": self._chain_cache}
        self._info = info  # what a write Session's info starts from (WriteConnection's too)
        # damaged.py tells outside writes by its files (the -wal read through one descriptor)
        self._wal_header: WalHeaderReader | None = None
        if database_file is not None:
            info["database_file"] = str(database_file)
            self._wal_header = info["wal_header"] = WalHeaderReader(f"{database_file}-wal")
        if translate is not None:
            info["translate"] = translate
        self.session_factory: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False, class_=_GuardedSession, info=info
        )
        self._write_factory = self.session_factory
        if read_only:
            event.listen(self.session_factory, "before_flush", self._refuse_flush)
        else:
            self._write_factory = sessionmaker(
                bind=engine.execution_options(**{_IMMEDIATE_OPTION: True}),
                expire_on_commit=False, class_=_GuardedSession, info=info,
            )
        with self.session() as s:
            row = s.execute(
                text("SELECT value FROM workspace_info WHERE key = 'workspace_id'")
            ).first()
        self.workspace_id: str = row[0] if row else ""

    def _refuse_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        if session.new or session.dirty or session.deleted:
            name = self.location if self.is_server else self.path.name
            raise WorkspaceReadOnly(f"{name} is open read-only; changes cannot be saved.")

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error.

        On a server the transaction first takes the audit advisory lock, so write transactions
        queue one after another as they do on a file (``BEGIN IMMEDIATE``).
        """
        self._refuse_if_closed()
        with translated(self.path, self._translate), self._write_factory.begin() as session:
            yield session

    def write_connection(self) -> WriteTransaction:
        """One write transaction on a file without an ORM Session: ``BEGIN IMMEDIATE`` on a
        pooled connection, committed on success, rolled back on error (``WriteConnection``).

        What ``begin`` does around a write holds here too: a failure of a damaged file or a
        failing disk is one ``QmsrError``, a file replaced under its name is refused before
        anything is written (``file_identity``), a read-only workspace refuses before anything
        is run. Only for a file: a server's writes queue on its advisory lock (``begin``).
        """
        if self.is_server:
            raise TypeError("a server workspace writes through begin()")
        self._refuse_if_closed()
        if self.read_only:
            raise WorkspaceReadOnly(f"{self.path.name} is open read-only; changes cannot be "
                                    "saved.")
        identity = self._file_identity
        return WriteTransaction(self.engine, self._info,
                                check=identity.check_write if identity is not None else None,
                                translate=self._translated_error, kept=self._kept_writer)

    def _refuse_if_closed(self) -> None:
        """A closed workspace writes nothing: its writer lock is gone (another copy of the app
        may hold it by now) and its connections are closed (QA 5: a late write made a new one
        and left a -wal behind)."""
        if self._closed:
            name = self.location if self.is_server else self.path.name
            raise WorkspaceClosed(f"{name} was closed; the change was not saved. Open it "
                                  "again to make it.")

    def _translated_error(self, exc: Exception) -> BaseException | None:
        """What ``translated`` raises instead of ``exc`` (None: ``exc`` itself)."""
        if isinstance(exc, QmsrError):
            return None
        return (self._translate(exc) if self._translate is not None
                else translate_error(exc, self.path))

    def write_transaction(self) -> contextlib.AbstractContextManager[Session | WriteConnection]:
        """The cheapest write transaction for a step that runs on either: a
        ``WriteConnection`` on a file, a Session (``begin``) on a server."""
        return self.begin() if self.is_server else self.write_connection()

    def is_file(self, path: str | os.PathLike[str]) -> bool:
        """True when ``path`` leads to the file this workspace opened (device and inode),
        whatever its name; False for a file put under its name since (and on a server)."""
        identity = self._file_identity
        try:
            return identity is not None and identity_of(Path(path)) == identity.expected
        except OSError:
            return False

    def session(self) -> Session:
        """A plain session for reading (use as a context manager)."""
        return self.session_factory()

    def backup_to(self, dest: str | os.PathLike[str]) -> Path:
        """Write a consistent copy of the workspace to ``dest`` (safe while it is in use)."""
        from qmsr_ready.core.backups import backup_workspace

        if self.is_server:
            raise QmsrError(
                f"{self.location} is on a server: back it up with pg_dump (README, Server "
                "workspaces), or copy it into a file with 'qmsr-ready copy'."
            )

        return backup_workspace(self, dest)

    def close(self) -> None:
        """Close every connection and release the writer lock (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        self._kept_writer.close()  # back in the pool: dispose closes it, settle may use it
        if self._file_identity is not None and not self.read_only:
            self._file_identity.settle(self.engine)  # a replaced file's -wal stays with it
        self.engine.dispose()
        if self._wal_header is not None:
            self._wal_header.close()  # before the lock goes: no descriptor on the -wal stays
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<Workspace {self.location} {mode} schema {self.schema_revision}>"


def open_workspace(
    path: str | os.PathLike[str],
    create: bool = False,
    read_only: bool = False,
    actor: str | None = None,
    *,
    password: str | None = None,
) -> Workspace:
    """Open (or with ``create``, make) the workspace at ``path``: a file path, or a database
    URL (``postgresql+psycopg://USER[:PASS]@HOST[:PORT]/DB[?sslmode=...]``; ``password``, if
    given, is used instead of one in the URL and never shown).

    ``actor`` is who the ``workspace.create`` audit event names when the workspace is created
    (default: ``default_actor()``).

    Raises ``NotAWorkspace``, ``WorkspaceLocked``, ``SchemaTooNew`` or ``SchemaMigrationFailed``
    with a message naming the file; a file that is refused is left byte-identical. A server
    raises the ``core.server.errors`` ones (unreachable, refused login, not migrated).
    """
    if is_server_url(path):
        from qmsr_ready.core.server.engine import open_server

        return open_server(str(path), create=create, read_only=read_only, actor=actor,
                           password=password)
    p = Path(path).expanduser().absolute()
    with translated(p):
        return _open(p, create, read_only, actor)


def _open(p: Path, create: bool, read_only: bool, actor: str | None) -> Workspace:
    if create and not read_only and not p.exists() and not p.is_symlink():
        try:
            return _create(p, actor)
        except OSError as exc:
            raise NotAWorkspace(f"Cannot create a workspace at {p} ({exc.strerror}).") from exc
    # SQLite names the -wal after the path it is given: open the file by the name its writer
    # holds it under (a hard link's other name), symlinks resolved (workspace_lock).
    source = open_path_for(p)
    revision = inspect_workspace_file(p if source == p.resolve() else source)
    _check_known(p, revision)
    asked = identity_of(p)  # the file the user named: every connection must reach this one
    if read_only:
        engine = _make_engine(source, read_only=True, expected=asked)
        try:
            return Workspace(p, engine, read_only=True, lock=None, schema_revision=revision or "",
                             database_file=source)
        except OperationalError as exc:
            engine.dispose()
            raise NotAWorkspace(f"{p} cannot be opened read-only ({exc.orig}).") from exc
        except Exception:
            engine.dispose()
            raise
    lock = acquire_writer_lock(p)
    try:
        engine = _make_engine(lock.open_path, read_only=False, expected=asked)
    except BaseException:
        lock.release()
        raise
    try:
        revision = _current_revision(engine)  # re-read under the lock
        _check_known(p, revision)
        backup = None
        head = HEAD_REVISION
        if revision != head:
            backup = _backup_before_upgrade(p, engine, revision or "base")
            try:
                _upgrade(engine)
            except Exception as exc:
                raise SchemaMigrationFailed(
                    f"Upgrading {p.name} from schema {revision} to {head} failed ({exc}). "
                    f"The file was left as it was; a backup is at {backup}."
                ) from exc
        return Workspace(
            p, engine, read_only=False, lock=lock, schema_revision=head, backup_path=backup,
            database_file=lock.open_path,
        )
    except Exception:
        engine.dispose()
        lock.release()
        raise


def _check_known(path: Path | str, revision: str | None) -> None:
    if revision is None:
        raise NotAWorkspace(f"{path} has no schema version; it is not a usable workspace.")
    if revision != HEAD_REVISION and revision not in known_revisions():
        name = path.name if isinstance(path, Path) else path
        raise SchemaTooNew(
            f"{name} was saved by a newer QMSR Ready (schema {revision}); this version "
            f"reads schemas up to {HEAD_REVISION}. Update QMSR Ready to open it."
        )


def _backup_before_upgrade(path: Path, engine: Engine, revision: str) -> Path:
    from qmsr_ready.core.backups import backup_name, prune_backups

    dest = backup_name(path, revision)
    _backup_file(engine, dest)
    prune_backups(path)
    return dest


def _create(path: Path, actor: str | None) -> Workspace:
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire_writer_lock(path)
    try:
        if not path.exists():  # built under a temp name so a crash never leaves half a file
            tmp = path.with_name(f".{path.name}.creating-{uuid.uuid4().hex[:8]}")
            try:
                initialise_file(tmp)
                _record_creation(tmp, actor)
                os.replace(tmp, path)
            finally:
                for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
    finally:
        lock.release()
    return _open(path, False, False, None)


def _record_creation(path: Path, actor: str | None) -> None:
    from qmsr_ready.core.audit import append_event, default_actor

    engine = _make_engine(path, read_only=False)
    try:
        with Session(engine) as s, s.begin():
            ws_id = s.execute(
                text("SELECT value FROM workspace_info WHERE key = 'workspace_id'")
            ).scalar_one()
            append_event(
                s, actor or default_actor(), "workspace.create", "workspace", ws_id,
                {"app_version": [None, __version__]},
            )
    finally:
        engine.dispose()
