"""How long exports report progress and learn about cancellation without knowing about Qt.

A renderer calls ``report(done, total, message)`` between steps and ``check(progress)`` at safe
points; when the user cancelled, ``check`` raises ``Cancelled`` from inside the renderer, the
atomic writer removes the temporary file and the target path is left untouched.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from qmsr_ready.core.errors import Cancelled


@runtime_checkable
class Progress(Protocol):
    """What a long job is given to report progress and be cancelled through."""

    def report(self, done: int, total: int, message: str) -> None:
        """Record that ``done`` of ``total`` steps are finished (``message`` says which)."""

    def cancelled(self) -> bool:
        """Return True once the user asked to stop."""


class NullProgress:
    """Progress sink for callers that show nothing and never cancel (CLI, tests, scripts)."""

    def report(self, done: int, total: int, message: str) -> None:
        """Ignore progress."""

    def cancelled(self) -> bool:
        """Never cancelled."""
        return False


def check(progress: Progress) -> None:
    """Raise ``Cancelled`` if the user asked to stop."""
    if progress.cancelled():
        raise Cancelled("Export cancelled; no file was written.")


class Steps:
    """Counts named steps of one export and forwards them to a ``Progress``."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._total = max(total, 1)
        self._done = 0

    def start(self, message: str) -> None:
        """Announce the next step and honour a pending cancel."""
        check(self._progress)
        self._progress.report(self._done, self._total, message)

    def finish(self, message: str) -> None:
        """Mark one step as done."""
        self._done = min(self._done + 1, self._total)
        self._progress.report(self._done, self._total, message)
        check(self._progress)
