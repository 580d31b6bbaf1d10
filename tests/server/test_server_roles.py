"""The owner/editor split: the app works as the editor, who cannot alter the schema or the trail."""

from __future__ import annotations

import os

import pytest
from server import pg_backend
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from qmsr_ready.cli import main
from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.server.errors import ServerNotMigrated


@pytest.fixture
def roles(empty_server_url):
    """(owner URL, editor URL) of an empty database owned by a fresh owner role."""
    suffix = f"{os.getpid()}_{empty_server_url.database.rsplit('_', 1)[-1]}"
    owner, editor = f"qmsr_owner_{suffix}", f"qmsr_editor_{suffix}"
    for role in (owner, editor):
        pg_backend.admin_execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    pg_backend.admin_execute(f'ALTER DATABASE "{empty_server_url.database}" OWNER TO {owner}')
    pg_backend.admin_execute(
        f'GRANT CONNECT ON DATABASE "{empty_server_url.database}" TO {editor}')
    owner_url = empty_server_url.set(username=owner, password="pw")
    # PG 15: the public schema belongs to the database owner
    engine = create_engine(empty_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"ALTER SCHEMA public OWNER TO {owner}"))
        conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    engine.dispose()
    yield owner_url, empty_server_url.set(username=editor, password="pw"), editor
    pg_backend.drop(empty_server_url)
    for role in (editor, owner):
        pg_backend.admin_execute(f"DROP OWNED BY {role}")
        pg_backend.admin_execute(f"DROP ROLE IF EXISTS {role}")


def test_app_works_as_editor_and_trail_is_append_only(roles) -> None:
    owner_url, editor_url, editor = roles
    assert main(["server", "init", pg_backend.url_text(owner_url), "--editor", editor]) == 0
    with open_workspace(pg_backend.url_text(editor_url), create=True, actor="Eve") as ws:
        with ws.begin() as s:
            services.create_site(s, "Eve", name="Acme", fei_number="3001234567")
        with ws.session() as s:
            assert verify_chain(s).ok
    engine = create_engine(editor_url)
    try:
        for sql in ("UPDATE audit_events SET actor = 'Mallory'", "DELETE FROM audit_events",
                    "TRUNCATE audit_events", "CREATE TABLE mine (x int)",
                    "DROP TABLE sites", "UPDATE alembic_version SET version_num = 'x'"):
            with pytest.raises(DBAPIError), engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        engine.dispose()
    owner = create_engine(owner_url)  # even the owner meets the trigger
    try:
        with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
            conn.execute(text("DELETE FROM audit_events"))
    finally:
        owner.dispose()


def test_editor_meeting_an_empty_database_names_the_owner_command(roles) -> None:
    _owner_url, editor_url, _editor = roles
    with pytest.raises(ServerNotMigrated, match="server init"):
        open_workspace(pg_backend.url_text(editor_url), create=True)


def test_older_schema_names_the_upgrade_command(roles) -> None:
    from alembic import command

    from qmsr_ready.core.migrations import alembic_config
    from qmsr_ready.core.server.roles import grant_editor

    owner_url, editor_url, editor = roles
    engine = create_engine(owner_url)  # set up by an older version of the app
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        grant_editor(conn, editor)
    engine.dispose()
    with pytest.raises(ServerNotMigrated, match="server upgrade"):
        open_workspace(pg_backend.url_text(editor_url))
    assert main(["server", "upgrade", pg_backend.url_text(owner_url), "--editor", editor]) == 0
    with open_workspace(pg_backend.url_text(editor_url), create=True) as ws:
        assert not ws.needs_upgrade
