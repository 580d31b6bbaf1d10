"""qmsr_ready.core never loads Qt: import every core module in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import qmsr_ready.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "qmsr_ready.core.")]
skip = {"qmsr_ready.core.migrations.env", "qmsr_ready.core.migrations.__main__"}
for name in names:
    if name not in skip:
        importlib.import_module(name)
import qmsr_ready.cli, qmsr_ready.commands.workspace
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(len(names), "modules")
print("QT:", ",".join(qt))
"""


def test_no_pyside6_module_is_loaded_by_core() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split()[0])
    assert count >= 10  # the walk really found the core modules
    assert result.stdout.strip().endswith("QT:"), result.stdout
