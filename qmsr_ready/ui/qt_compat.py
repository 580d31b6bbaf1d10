"""Work-arounds for defects in the Qt binding we ship with, applied once at start-up.

PySide6 6.12.0 on CPython 3.11: ``SignalInstance.emit()`` returns ``True`` without taking a new
reference, so every ``.emit()`` made from Python steals one reference to ``True``. After a few
hundred emits CPython aborts with "bool_dealloc: deallocating True or False". On 3.12+ the bools
are immortal and the defect is harmless. pyproject.toml excludes 6.12.0; should a build with the
defect be installed anyway, we pin the two bools with a huge reference count so they can never
reach zero. Remove this once a fixed PySide6 is the minimum.
"""

from __future__ import annotations

import ctypes
import sys

_PINNED = False
_PIN = 1 << 40  # more emits than a process can make in its lifetime


def pin_bool_refcounts() -> bool:
    """Make ``True``/``False`` effectively immortal when the installed binding has the defect.

    Returns True when the pin was applied (now or earlier).
    """
    global _PINNED
    if _PINNED:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if not emit_steals_true():
        return False
    for value in (True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += _PIN
    _PINNED = True
    return True


def emit_steals_true() -> bool:
    """Detect the defect (used by a test so the work-around can be dropped when fixed)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.fired.emit()
    return sys.getrefcount(True) < before
