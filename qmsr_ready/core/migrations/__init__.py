"""Alembic migrations of the workspace schema, shipped inside the package.

They run programmatically (``alembic_config``), so no ``alembic.ini`` in the current folder is
needed. Developers generate a new revision with::

    .venv/bin/python -m qmsr_ready.core.migrations revision "add finding.foo"
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: opening a workspace at head never loads Alembic
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent
# The newest revision under versions/, as a constant so opening a workspace that is already at
# head compares one SELECTed string and never builds Alembic's revision map (a test keeps it
# equal to the scripts' head: update it with every new revision).
HEAD_REVISION = "0004"


def alembic_config(connection: Any | None = None) -> Config:
    """An Alembic config pointing at the shipped scripts; ``connection`` is used by env.py."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The shipped revision scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version of QMSR Ready writes."""
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no Alembic revisions shipped")
    return head


def known_revisions() -> set[str]:
    """Every revision this version of QMSR Ready knows how to read or upgrade from."""
    return {script.revision for script in script_directory().walk_revisions()}
