"""Every core and command module imports on its own, first, in a fresh interpreter state.

A circular import only shows when a module is the first of its cycle to be imported (the CLI
imports just the module its command needs), so each one is imported with our package purged.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = r"""
import importlib, pkgutil, sys, traceback
import qmsr_ready.core, qmsr_ready.commands
names = sorted(
    m.name for pkg in (qmsr_ready.core, qmsr_ready.commands)
    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")
    if ".migrations." not in m.name and not m.name.endswith("__main__")
)
failed = []
for name in names:
    for loaded in [k for k in sys.modules if k.startswith("qmsr_ready")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().strip().splitlines()[-1])
print(len(names))
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


@pytest.mark.slow
def test_each_module_imports_first() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert int(done.stdout.split()[0]) > 50  # the walk found the package's modules
