"""``qmsr-ready server init|upgrade URL``: the owner's one-time setup and schema upgrades.

Run as the owner role (README, Server workspaces): creates or upgrades the tables, makes the
audit trail append-only, and (``--editor``) grants the daily-use role exactly what it needs.
"""

from __future__ import annotations

import argparse

_URL_HELP = "the database as its owner: postgresql+psycopg://OWNER@HOST[:PORT]/DB"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``server`` with ``init`` and ``upgrade``."""
    p = subparsers.add_parser("server", help="set up or upgrade a workspace database (owner)")
    sub = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    for name, help_text in (
        ("init", "create the tables in an empty database and grant the editor role"),
        ("upgrade", "upgrade the tables to this version's schema (after a pg_dump backup)"),
    ):
        q = sub.add_parser(name, help=help_text, description=help_text[0].upper()
                           + help_text[1:] + ". Idempotent; the password may come from "
                           "PGPASSWORD or ~/.pgpass.")
        q.add_argument("url", metavar="URL", help=_URL_HELP)
        q.add_argument("--editor", metavar="ROLE", action="append", default=[],
                       help="a daily-use role to grant (repeatable)")
        q.set_defaults(func=cmd_server, targets=("url",))


def cmd_server(args: argparse.Namespace) -> int:
    """Bring the database to this version's schema and grant the editor roles."""
    from qmsr_ready.core.errors import InvalidInput
    from qmsr_ready.core.migrations import HEAD_REVISION
    from qmsr_ready.core.server.engine import open_engine, prepare_schema, translate_server_error
    from qmsr_ready.core.server.roles import check_role_name, grant_editor

    try:
        editors = [check_role_name(name) for name in args.editor]
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    engine, url = open_engine(args.url)
    try:
        before = prepare_schema(engine, url, args.server_command)
        with engine.begin() as conn:
            for editor in editors:
                grant_editor(conn, editor)
    except Exception as exc:
        mapped = translate_server_error(exc, url)
        if mapped is None:
            raise
        raise mapped from exc
    finally:
        engine.dispose()
    was = "empty" if before is None else f"at schema {before}"
    granted = f"; granted {', '.join(editors)}" if editors else ""
    print(f"{url.database}: was {was}, now at schema {HEAD_REVISION}{granted}.")
    return 0
