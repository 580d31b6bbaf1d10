"""Renders the README screenshots from a fresh demonstration workspace.

Uses only the public CLI (``qmsr-ready demo`` and ``qmsr-ready gui --screenshot``), so the
pictures show exactly what a user sees. Run with ``make screenshots``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from qmsr_ready.ui.view_keys import VIEW_KEYS as VIEWS

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "QMSR_READY_CONFIG_DIR": str(Path(tmp) / "config"),
            "QMSR_READY_DATA_DIR": str(Path(tmp) / "data"),
            "QMSR_READY_LOG_DIR": str(Path(tmp) / "log"),
        }
        workspace = Path(tmp) / "demo.qmsr"
        cli = [sys.executable, "-m", "qmsr_ready"]
        subprocess.run([*cli, "demo", str(workspace)], check=True, env=env)
        for view in VIEWS:
            target = OUT / f"{view}.png"
            subprocess.run(
                [*cli, "gui", str(workspace), "--screenshot", str(target), "--view", view],
                check=True, env=env,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
