"""Telling a database URL from a file path, and showing one without its password.

A workspace target is a file path unless it starts with a PostgreSQL URL scheme; one check here
keeps every CLI command and dialog deciding the same way.
"""

from __future__ import annotations

import os

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from qmsr_ready.core.errors import QmsrError

SCHEMES = ("postgresql+psycopg://", "postgresql://", "postgres://")
DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432


class BadServerUrl(QmsrError):  # noqa: N818 (named like the other server errors)
    """A target looks like a database URL but cannot be read as one."""


def is_server_url(target: str | os.PathLike[str]) -> bool:
    """True when ``target`` names a PostgreSQL database rather than a workspace file."""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def parse_server_url(target: str, password: str | None = None) -> URL:
    """The SQLAlchemy URL for ``target`` with the psycopg driver (and ``password`` if given)."""
    text = target.strip()
    lowered = text.lower()
    for scheme in SCHEMES:
        if lowered.startswith(scheme):
            text = f"{DRIVER}://{text[len(scheme):]}"
            break
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise BadServerUrl(
            f"{display_location(target)} is not a database URL; write it as "
            "postgresql+psycopg://USER@HOST[:PORT]/DATABASE."
        ) from exc
    if not url.host or not url.database:
        raise BadServerUrl(
            f"{display_location(target)} names no host or no database; write it as "
            "postgresql+psycopg://USER@HOST[:PORT]/DATABASE."
        )
    if password is not None:
        url = url.set(password=password)
    return url


def display_location(target: str | os.PathLike[str]) -> str:
    """``target`` as messages and window titles show it: a URL with its password masked."""
    if not is_server_url(target):
        return os.fspath(target)
    text = str(target).strip()
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        return _mask_raw(text)
    return url.render_as_string(hide_password=True)


def _mask_raw(text: str) -> str:
    """Mask ``user:secret@`` in a URL SQLAlchemy cannot parse (never echo a password)."""
    scheme, sep, rest = text.partition("://")
    creds, at, host = rest.rpartition("@")
    if not at or ":" not in creds:
        return text
    return f"{scheme}{sep}{creds.split(':', 1)[0]}:***@{host}"


def host_port(url: URL) -> tuple[str, int]:
    """The host and port a URL connects to (libpq's default port when none is given)."""
    return url.host or "localhost", url.port or DEFAULT_PORT
