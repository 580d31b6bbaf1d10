"""Telling a database URL from a file path, and showing one without its password.

A workspace target is a file path unless it starts with a PostgreSQL URL scheme (any
``postgres…://``: ``postgresql+psycopg://``, ``postgresql+psycopg2://``, ``postgresql://``,
``postgres://``); one check here keeps every CLI command and dialog deciding the same way, and
one masking function (``mask_passwords``) keeps every message free of a password.
"""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from qmsr_ready.core.errors import QmsrError

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
# Any PostgreSQL scheme, with or without a driver; normalised to psycopg (the one installed).
_SERVER_SCHEME = re.compile(r"^\s*postgres(?:ql)?(?:\+[a-z0-9_]+)?://", re.IGNORECASE)
# Any other ``scheme://``: a URL this app cannot open (never a file path).
_OTHER_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
# ``user:secret@`` after a scheme, anywhere in a text (a message quoting a URL).
_CREDENTIALS = re.compile(r"([a-z][a-z0-9+.\-]*://[^:/@\s]*):[^@\s]*@", re.IGNORECASE)
# libpq keyword form, as a driver message may quote it: ``password=secret``.
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)
_FORM = "postgresql+psycopg://USER@HOST[:PORT]/DATABASE"


class BadServerUrl(QmsrError):  # noqa: N818 (named like the other server errors)
    """A target looks like a database URL but cannot be read as one."""


def is_server_url(target: str | os.PathLike[str]) -> bool:
    """True when ``target`` names a PostgreSQL database rather than a workspace file."""
    return isinstance(target, str) and bool(_SERVER_SCHEME.match(target))


def mask_passwords(text: str) -> str:
    """``text`` with every URL password (``user:secret@``) and ``password=…`` masked.

    The one masking function: messages, window titles and logs pass through it."""
    return _KEYWORD_PASSWORD.sub(r"\1***", _CREDENTIALS.sub(r"\1:***@", text))


def workspace_target(target: str | os.PathLike[str]) -> str:
    """The one resolver of a "path or URL" argument: a server URL normalised to psycopg, or
    the path as given. Any other ``scheme://`` is refused (masked) instead of becoming a
    folder named after it."""
    if is_server_url(target):
        parse_server_url(str(target))  # refuses a malformed URL in one line
        return _normalise(str(target))
    text = os.fspath(target)
    if _OTHER_SCHEME.match(text):
        raise BadServerUrl(
            f"{mask_passwords(text.strip())} is not a workspace file or a PostgreSQL URL; "
            f"give a .qmsr file or {_FORM}."
        )
    return text


def _normalise(target: str) -> str:
    text = target.strip()
    match = _SERVER_SCHEME.match(text)
    return f"{DRIVER}://{text[match.end():]}" if match else text


def parse_server_url(target: str, password: str | None = None) -> URL:
    """The SQLAlchemy URL for ``target`` with the psycopg driver (and ``password`` if given)."""
    try:
        url = make_url(_normalise(target))
    except (ArgumentError, ValueError) as exc:
        raise BadServerUrl(
            f"{display_location(target)} is not a database URL; write it as {_FORM}."
        ) from exc
    if not url.host or not url.database:
        raise BadServerUrl(
            f"{display_location(target)} names no host or no database; write it as {_FORM}."
        )
    if password is not None:
        url = url.set(password=password)
    return url


def build_server_url(host: str, port: int, database: str, user: str, sslmode: str = "prefer",
                     sslrootcert: str = "") -> str:
    """``postgresql+psycopg://USER@HOST:PORT/DB?sslmode=…`` from dialog fields (no password:
    it is passed to ``open_workspace`` separately and never put in a remembered URL)."""
    query = {"sslmode": sslmode}
    if sslrootcert and sslmode != "disable":
        query["sslrootcert"] = sslrootcert
    url = URL.create(DRIVER, username=user, host=host, port=port, database=database,
                     query=query)
    return url.render_as_string(hide_password=False)


def url_fields(target: str) -> dict[str, str | int]:
    """A URL read back into dialog fields: host, port, database, user, sslmode, sslrootcert
    and password ("" when the URL has none)."""
    url = parse_server_url(target)
    query = {k: (v if isinstance(v, str) else v[0]) for k, v in url.query.items()}
    return {"host": url.host or "", "port": url.port or DEFAULT_PORT,
            "database": url.database or "", "user": url.username or "",
            "sslmode": query.get("sslmode", "prefer"),
            "sslrootcert": query.get("sslrootcert", ""), "password": url.password or ""}


def display_location(target: str | os.PathLike[str]) -> str:
    """``target`` as messages and window titles show it: a URL with its password masked."""
    if not is_server_url(target):
        return mask_passwords(os.fspath(target))
    text = _normalise(str(target))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        return mask_passwords(text)
    return url.render_as_string(hide_password=True)


def host_port(url: URL) -> tuple[str, int]:
    """The host and port a URL connects to (libpq's default port when none is given)."""
    return url.host or "localhost", url.port or DEFAULT_PORT
