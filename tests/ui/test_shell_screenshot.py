"""``qmsr-ready gui WS --screenshot PNG`` renders the window and exits 0 (run as a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from qmsr_ready.core.db import open_workspace


def test_screenshot_cli_writes_png(tmp_path: Path) -> None:
    ws = tmp_path / "shot.qmsr"
    open_workspace(ws, create=True).close()
    png = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "gui", str(ws), "--screenshot", str(png),
         "--view", "audit"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1400, 900)
