"""Fresh PostgreSQL databases for tests, cloned from one migrated template (fast).

``QMSR_TEST_DATABASE_URL`` names a maintenance database (e.g. ``.../postgres``) as a role that
may create databases and roles; ``.ci/run`` starts a throwaway cluster and sets it. Without it,
server tests skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine

ENV = "QMSR_TEST_DATABASE_URL"
BACKEND_ENV = "QMSR_TEST_BACKEND"
_counter = itertools.count(1)
_state: dict[str, object] = {}


def admin_url() -> URL:
    """The maintenance URL, or skip the test when no server is configured."""
    from qmsr_ready.core.server.url import parse_server_url

    raw = os.environ.get(ENV, "").strip()
    if not raw:
        pytest.skip(f"no PostgreSQL server for tests ({ENV} is not set)")
    return parse_server_url(raw)


def on_postgresql() -> bool:
    """True when the backend-neutral tests run against PostgreSQL (the second pass)."""
    return os.environ.get(BACKEND_ENV, "") == "postgresql"


def _admin() -> Engine:
    engine = _state.get("admin")
    if not isinstance(engine, Engine):
        engine = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
        _state["admin"] = engine
    return engine


def _template() -> str:
    name = _state.get("template")
    if isinstance(name, str):
        return name
    from qmsr_ready.core.server.engine import prepare_schema

    name = f"qmsr_tpl_{os.getpid()}"
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(admin_url().set(database=name))
    try:
        prepare_schema(engine)
    finally:
        engine.dispose()
    _state["template"] = name
    return name


def fresh_database(*, migrated: bool = True) -> URL:
    """A new, empty database (at head unless ``migrated`` is False); drop it with ``drop``."""
    name = f"qmsr_t_{os.getpid()}_{next(_counter)}"
    source = f' TEMPLATE "{_template()}"' if migrated else ""
    with _admin().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{source}'))
    made = _state.setdefault("made", [])
    assert isinstance(made, list)
    made.append(name)  # dropped at the latest by ``teardown``
    return admin_url().set(database=name)


def server_copy(source: Path) -> str:
    """A fresh database holding a copy of the workspace file ``source`` (its URL); dropped at
    the end of the session. For module fixtures that build one file and test it on the server."""
    from qmsr_ready.core.transfer.copy import copy_workspace

    url = fresh_database(migrated=False)
    result = copy_workspace(source, url_text(url))
    assert result.kept, result.summary()
    return url_text(url)


def parse_url(text_url: str) -> URL:
    """The URL of ``text_url`` (as ``server_copy`` returns it)."""
    from qmsr_ready.core.server.url import parse_server_url

    return parse_server_url(text_url)


def url_text(url: URL) -> str:
    """``url`` as the string ``open_workspace`` takes (password included)."""
    return url.render_as_string(hide_password=False)


def drop(url: URL) -> None:
    """Remove a database made by ``fresh_database`` (connections still open are ended)."""
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


def admin_execute(sql: str) -> None:
    """Run one statement on the maintenance database (roles, for the role tests)."""
    with _admin().connect() as conn:
        conn.execute(text(sql))


def target_of(workspace: Any) -> str:
    """What a CLI command or ``open_workspace`` takes for an open workspace: its file path, or
    its database URL (password included)."""
    if workspace.is_server:
        return str(workspace.engine.url.render_as_string(hide_password=False))
    return str(workspace.path)


def place_workspace(source: Path, folder: Path, name: str, made: list[URL]) -> Path | str:
    """A writable copy of the workspace file ``source`` where this pass keeps workspaces: a
    file ``folder/name``, or (PostgreSQL pass) a fresh database it is copied into (appended to
    ``made`` so the caller drops it)."""
    if not on_postgresql():
        target = folder / name
        shutil.copy(source, target)
        return target

    url = server_copy(source)
    made.append(parse_url(url))
    return url


def teardown() -> None:
    """Drop the template and close the admin engine (end of the session)."""
    engine = _state.pop("admin", None)
    name = _state.pop("template", None)
    made = _state.pop("made", [])
    if isinstance(engine, Engine):
        names = [*made, name] if isinstance(name, str) else list(made)
        with engine.connect() as conn:
            for leftover in names:  # module fixtures' databases; the template last
                conn.execute(text(f'DROP DATABASE IF EXISTS "{leftover}" WITH (FORCE)'))
        engine.dispose()
