"""The two roles of a server workspace and the database rules that bind the editor.

The owner role runs migrations (DDL). The editor role, used day to day, reads and writes the
data tables but may only SELECT and INSERT the audit trail and only SELECT the schema version;
a trigger refuses UPDATE, DELETE and TRUNCATE of ``audit_events`` for everyone, so even a
mistaken grant cannot make the trail editable. ``resources/server/create_roles.sql`` creates the
roles and the database; ``qmsr-ready server init`` then calls ``grant_editor``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

_APPEND_ONLY_SQL = (
    """
CREATE OR REPLACE FUNCTION qmsr_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'QMSR1';
END
$$
""",
    "DROP TRIGGER IF EXISTS qmsr_audit_append_only ON audit_events",
    """CREATE TRIGGER qmsr_audit_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION qmsr_audit_append_only()""",
    "DROP TRIGGER IF EXISTS qmsr_audit_no_truncate ON audit_events",
    """CREATE TRIGGER qmsr_audit_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION qmsr_audit_append_only()""",
)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def install_append_only(conn: Any) -> None:
    """Make ``audit_events`` refuse UPDATE, DELETE and TRUNCATE (idempotent)."""
    for statement in _APPEND_ONLY_SQL:
        conn.execute(text(statement))


def check_role_name(name: str) -> str:
    """``name`` if it is a plain lower-case role name (it is written into SQL), else ValueError."""
    if not _ROLE_NAME.match(name):
        raise ValueError(f"{name!r} is not a plain role name (a-z, 0-9, _; at most 63).")
    return name


def grant_editor(conn: Any, editor: str) -> None:
    """Give ``editor`` exactly what daily use needs, on every table now and created later."""
    role = check_role_name(editor)
    tables = [r[0] for r in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"))
    for table in tables:
        if table == "audit_events":
            privileges = "SELECT, INSERT"
        elif table == "alembic_version":
            privileges = "SELECT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f'GRANT {privileges} ON TABLE "{table}" TO {role}'))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    # Tables and sequences a later migration adds are usable before the next grant runs.
    conn.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, "
                      f"UPDATE, DELETE ON TABLES TO {role}"))
    conn.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON "
                      f"SEQUENCES TO {role}"))
