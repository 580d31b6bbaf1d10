"""Where a workspace lives: a ``.qmsr`` file or a PostgreSQL database named by a URL.

Copy, compare and merge take either; this is the one place that tells them apart, names them
for people (a URL never shows its password) and opens them.
"""

from __future__ import annotations

import os
from pathlib import Path

from qmsr_ready.core.db import Workspace, open_workspace
from qmsr_ready.core.errors import QmsrError

Target = str | os.PathLike[str]


def is_server(target: Target) -> bool:
    """Whether ``target`` is a database URL (``postgresql+psycopg://...``) rather than a file."""
    from qmsr_ready.core.server.url import is_server_url

    return is_server_url(target)


def display(target: Target) -> str:
    """How messages name ``target``: a file's path, or the URL without its password."""
    if not is_server(target):
        return str(Path(target).expanduser())
    from qmsr_ready.core.server.url import display_location

    return display_location(target)


def short_name(target: Target) -> str:
    """A short name for summaries: a file's name, or the server database's URL without password."""
    return display(target) if is_server(target) else Path(target).name


def normalised(target: Target) -> str:
    """``target`` as ``open_workspace`` takes it: an absolute path, or the URL unchanged."""
    return str(target) if is_server(target) else str(Path(target).expanduser().absolute())


def open_read_only(target: Target) -> Workspace:
    """Open a workspace file or server database for reading only."""
    return open_workspace(normalised(target), read_only=True)


def same_server_database(a: str, b: str) -> bool:
    """Whether two URLs name the same database (user and password aside)."""
    from qmsr_ready.core.server.url import host_port, parse_server_url

    try:
        ua, ub = parse_server_url(a), parse_server_url(b)
    except QmsrError:
        return False
    return (host_port(ua), ua.database) == (host_port(ub), ub.database)
