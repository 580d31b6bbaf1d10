"""Developer helper: ``python -m qmsr_ready.core.migrations revision "message"``.

Builds a scratch database at the current head, then autogenerates the next revision from the
difference between it and ``qmsr_ready.core.models``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from qmsr_ready.core.migrations import alembic_config, script_directory


def main(argv: list[str]) -> int:
    """Generate one revision file under ``versions/``."""
    if len(argv) < 2 or argv[0] != "revision":
        print('usage: python -m qmsr_ready.core.migrations revision "message" [rev_id]')
        return 2
    message = argv[1]
    count = len(list(script_directory().walk_revisions()))
    rev_id = argv[2] if len(argv) > 2 else f"{count + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            config = alembic_config(conn)
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
