"""Why an exchange refuses its input: one clear line, and every problem found when there are many."""

from __future__ import annotations

from collections.abc import Iterable

from qmsr_ready.core.errors import QmsrError


class ImportRefused(QmsrError):  # noqa: N818 (named by the shared exchange API)
    """The incoming file cannot be imported or merged; the workspace was not touched.

    ``problems`` lists each problem with where it is (e.g. ``Checklist!H12: ...``); the message
    summarises them in one line.
    """

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems)
