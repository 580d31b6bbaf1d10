"""Opening a workspace that lives in a PostgreSQL database.

No file, no writer lock and no automatic backup: the server serialises writers (an advisory
lock at the start of every write transaction, the same key ``append_event`` takes) and the IT
admin backs it up with ``pg_dump``. The schema is changed only by the owner role
(``prepare_schema``, run by ``qmsr-ready server init|upgrade``, or by opening an empty database
with ``create``); an editor who meets an older schema is told which command its owner runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import NotAWorkspace, QmsrError
from qmsr_ready.core.migrations import HEAD_REVISION
from qmsr_ready.core.server.errors import (
    ServerAuthFailed,
    ServerDatabaseMissing,
    ServerError,
    ServerNotMigrated,
    ServerTlsFailed,
    ServerUnreachable,
)
from qmsr_ready.core.server.url import host_port, mask_passwords, parse_server_url
from qmsr_ready.core.workspace_file import BUSY_TIMEOUT_MS

if TYPE_CHECKING:  # db imports this module when it opens a server
    from qmsr_ready.core.db import Workspace

CONNECT_TIMEOUT_S = 5
# SQLSTATE classes and codes the translation below tells apart
_AUTH = ("28000", "28P01")
_NO_DATABASE = "3D000"
_PRIVILEGE = "42501"
_RETRYABLE = ("40001", "40P01", "55P03")  # serialization failure, deadlock, lock timeout
_GONE = ("57P01", "57P02", "57P03", "53300")  # shut down, crashed, starting, too many clients
_APPEND_ONLY = "QMSR1"  # raised by the audit table's trigger
_DETAIL_LIMIT = 160  # characters of a driver message a one-line error quotes
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# libpq's words for a failed TLS negotiation (no SQLSTATE: it happens before a session).
_NO_TLS = ("does not support ssl", "server does not support ssl")
_TLS = ("ssl", "tls", "certificate", "sslrootcert")


def location_of(url: URL) -> str:
    """The URL as messages show it: password masked."""
    return url.render_as_string(hide_password=True)


def make_server_engine(url: URL, *, read_only: bool = False) -> Engine:
    """An engine for ``url``: short connect timeout, lock waits bounded like SQLite's busy
    timeout, and (``read_only``) transactions the server itself refuses to write in."""
    options = [f"-c lock_timeout={BUSY_TIMEOUT_MS}"]
    if read_only:
        options.append("-c default_transaction_read_only=on")
    connect_args: dict[str, Any] = {
        "application_name": "qmsr-ready",
        "options": " ".join(options),
    }
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4,
                         connect_args=connect_args)


def translate_server_error(exc: BaseException, url: URL) -> QmsrError | None:
    """The one-line ``QmsrError`` explaining what a server (or the way to it) raised, or None
    when ``exc`` is not a database failure (a bug)."""
    if isinstance(exc, QmsrError):
        return None
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the server extra is installed with the engine
        return None
    if not isinstance(orig, psycopg.Error):
        return None
    host, port = host_port(url)
    state = getattr(orig, "sqlstate", None) or ""
    detail = first_line(str(orig))
    lowered = detail.lower()
    if any(words in lowered for words in _NO_TLS):
        return ServerTlsFailed(
            f"The server {host}:{port} does not offer TLS; choose another TLS mode or ask IT."
        )
    if not state and any(w in lowered for w in _TLS) and not _short_reason(detail, None):
        return ServerTlsFailed(
            f"The TLS connection to {host}:{port} failed ({detail}); check the TLS mode and the "
            "CA certificate file, or ask IT."
        )
    if state in _AUTH or "authentication failed" in detail or "no password supplied" in detail:
        return ServerAuthFailed(
            f"The server {host}:{port} refused the login of {url.username or 'this user'!r} "
            f"({detail}). Check the user name, password and TLS settings."
        )
    if state == _NO_DATABASE or ("database" in detail and "does not exist" in detail):
        return ServerDatabaseMissing(
            f"The server {host}:{port} has no database {url.database!r}; check the name, or ask "
            "your IT admin to create it (README, Server workspaces)."
        )
    if state == _APPEND_ONLY or "append-only" in detail:
        return ServerError(f"{location_of(url)} refused the change: the audit trail is "
                           "append-only.")
    if state == _PRIVILEGE and "alembic_version" in detail:
        return ServerNotMigrated(
            f"The role {url.username!r} has not been granted the workspace in {location_of(url)} "
            "(was it copied in without the editor grant?); the owner runs: qmsr-ready server "
            "init URL --editor ROLE"
        )
    if state == _PRIVILEGE:
        return ServerError(
            f"{location_of(url)} refused the change: the role {url.username!r} may not do that "
            f"({detail}). Ask the database owner."
        )
    if state in _RETRYABLE:
        return ServerError(
            f"{location_of(url)} is busy with another user's save (nothing of yours was "
            "saved); try again in a moment."
        )
    if state in _GONE or state.startswith("08") or isinstance(orig, psycopg.OperationalError):
        return ServerUnreachable(host, port, _short_reason(detail) or "")
    return None


def _short_reason(detail: str, default: str | None = "") -> str | None:
    """The known reason a server was unreachable named in ``detail``; else ``detail`` (or
    ``default`` when it is None)."""
    for marker in ("Connection refused", "timeout expired", "could not translate host name",
                   "No route to host", "server closed the connection", "too many clients",
                   "the database system is shutting down", "terminating connection"):
        if marker.lower() in detail.lower():
            return marker.lower()
    return detail if default is not None else None


def first_line(message: str, limit: int = _DETAIL_LIMIT) -> str:
    """The first line of a driver message, control characters and passwords removed, cut only
    at a word boundary (with an ellipsis) when longer than ``limit``."""
    lines = [line for line in message.splitlines() if line.strip()]
    line = " ".join(_CONTROL.sub(" ", lines[0] if lines else "").split())
    line = mask_passwords(line)
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return f"{cut}…"


def _serialise_writers(engine: Engine) -> Engine:
    """Every write transaction (``Workspace.begin``, whose engine carries the same option a
    file uses for ``BEGIN IMMEDIATE``) first waits for the audit advisory lock, so writers queue
    instead of deadlocking; returns that writer engine."""
    from qmsr_ready.core.audit import AUDIT_LOCK_KEY
    from qmsr_ready.core.db import IMMEDIATE_OPTION

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(IMMEDIATE_OPTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK_KEY})")

    return engine.execution_options(**{IMMEDIATE_OPTION: True})


def stored_revision(conn: Any) -> str | None:
    """The schema revision in the database (one SELECT), or None for an empty database."""
    exists = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
    if not exists:
        return None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if revision is None else str(revision)


def open_server(
    target: str,
    *,
    create: bool = False,
    read_only: bool = False,
    actor: str | None = None,
    password: str | None = None,
) -> Workspace:
    """The ``Workspace`` in the database ``target`` names (see ``db.open_workspace``)."""
    url = parse_server_url(target, password)
    engine = make_server_engine(url, read_only=read_only)
    try:
        return _open(engine, url, create=create, read_only=read_only, actor=actor)
    except Exception as exc:
        engine.dispose()
        mapped = translate_server_error(exc, url)
        if mapped is None:
            raise
        raise mapped from exc


def _open(engine: Engine, url: URL, *, create: bool, read_only: bool,
          actor: str | None) -> Workspace:
    from qmsr_ready.core.db import Workspace, _check_known, write_identity

    where = location_of(url)
    with engine.connect() as conn:
        revision = stored_revision(conn)
    if revision is None:
        if not create or read_only:
            raise NotAWorkspace(
                f"{where} holds no QMSR Ready workspace yet; ask its owner to run "
                "'qmsr-ready server init URL', or copy one in with 'qmsr-ready copy FILE URL'."
            )
        prepare_schema(engine, url)
        revision = HEAD_REVISION
    _check_known(where, revision)
    if revision != HEAD_REVISION:  # read-only too: an older schema lacks tables and columns
        raise ServerNotMigrated(
            f"{where} holds schema {revision}; this version needs {HEAD_REVISION}. After a "
            "pg_dump backup, its owner runs: qmsr-ready server upgrade URL"
        )
    writer = _serialise_writers(engine)
    if create and not read_only:
        _create_identity(writer, actor, write_identity)
    return Workspace(
        Path(url.database or "server"), engine, read_only=read_only, lock=None,
        schema_revision=revision, location=where, is_server=True,
        translate=lambda exc: translate_server_error(exc, url),
    )


def _create_identity(writer: Engine, actor: str | None, write_identity: Any) -> None:
    """A database at head with no workspace_id is empty: give it one, audited like a file's."""
    from qmsr_ready import __version__
    from qmsr_ready.core.audit import append_event, default_actor

    with Session(writer) as s, s.begin():
        ws_id = s.execute(
            text("SELECT value FROM workspace_info WHERE key = 'workspace_id'")
        ).scalar()
        if ws_id is not None:
            return
        write_identity(s.connection())
        ws_id = s.execute(
            text("SELECT value FROM workspace_info WHERE key = 'workspace_id'")
        ).scalar_one()
        append_event(s, actor or default_actor(), "workspace.create", "workspace", ws_id,
                     {"app_version": [None, __version__]})


def prepare_schema(engine: Engine, url: URL | None = None, action: str = "init") -> str | None:
    """Bring the database to head (as its owner) and make the audit table append-only.

    Returns the revision it was at (None when empty). A role without DDL rights gets
    ``ServerNotMigrated`` naming the owner command (``server init`` or ``server upgrade``,
    whichever ``action`` this was).
    """
    from alembic import command

    from qmsr_ready.core.migrations import alembic_config
    from qmsr_ready.core.server.roles import install_append_only

    try:
        with engine.begin() as conn:
            before = stored_revision(conn)
            if before != HEAD_REVISION:
                command.upgrade(alembic_config(conn), "head")
            install_append_only(conn)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == _PRIVILEGE:
            where = location_of(url) if url is not None else "the database"
            role = repr(url.username) if url is not None and url.username else "this role"
            raise ServerNotMigrated(
                f"The role {role} may not create or change tables in {where}; the database's "
                f"owner runs: qmsr-ready server {action} URL"
            ) from exc
        raise
    return before


def open_engine(target: str, password: str | None = None) -> tuple[Engine, URL]:
    """An engine and parsed URL for tools that work on the database itself (``server``)."""
    url = parse_server_url(target, password)
    return make_server_engine(url), url
