"""What the copy tests on files and on a server share."""

from __future__ import annotations

import shutil
from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace

CODE = "MI-2026-002"


def with_large_evidence(demo: Path, folder: Path) -> Path:
    """A copy of the demo holding an evidence file of several chunks (read and written in
    pieces, not as one value)."""
    path = folder / "large.qmsr"
    shutil.copy(demo, path)
    data = bytes(range(256)) * (10 * 1024 + 7)  # 2.5 MiB and a bit: three chunks
    with open_workspace(path) as ws, ws.begin() as s:
        services.attach_evidence(s, "Ann", inspection_code=CODE, filename="scan.bin", data=data)
    return path
