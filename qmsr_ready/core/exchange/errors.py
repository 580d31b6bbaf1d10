"""Why an incoming workbook or workspace was refused, as one line people can act on.

Every refusal happens before anything is written, so the workspace stays byte-identical. When
the trouble is in cells, ``problems`` lists each one with its reference (``Checklist!H12: …``)
for the GUI's list and ``--json``; the message summarises them on one line for the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable

from qmsr_ready.core.db import Workspace
from qmsr_ready.core.errors import InspectionLocked, QmsrError
from qmsr_ready.core.models import Inspection
from qmsr_ready.core.vocab import InspectionStatus

SHOWN_IN_MESSAGE = 3  # cell problems quoted in the one-line message; the rest are counted


class ImportRefused(QmsrError):  # noqa: N818 (name fixed by the exchange API)
    """An incoming file that cannot be imported; nothing was changed."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, source: str, problems: Iterable[str]) -> ImportRefused:
        """One line naming the first few problems, the count of the rest and what to do."""
        listed = tuple(problems)
        shown = "; ".join(listed[:SHOWN_IN_MESSAGE])
        more = len(listed) - SHOWN_IN_MESSAGE
        if more > 0:
            shown += f"; and {more} more"
        noun = "problem" if len(listed) == 1 else "problems"
        return cls(
            f"{source} was not imported: {len(listed)} {noun} in its cells ({shown}). "
            "Correct them in the workbook and import it again; nothing was changed.",
            listed,
        )


def signed_off_message(code: str, what: str) -> str:
    """The refusal for a signed-off inspection, saying how to reopen it."""
    return (f"Inspection {code} is signed off and cannot be changed; reopen it with a reason "
            f"first (in the app: Inspection ▸ Reopen…), then {what} again; nothing was changed.")


def refuse_signed_off(insp: Inspection, what: str) -> None:
    """Refuse at planning what applying would refuse: a dry run must not say OK to it."""
    if insp.status == InspectionStatus.SIGNED_OFF:
        raise InspectionLocked(signed_off_message(insp.code, what))


def refuse_old_schema(workspace: Workspace) -> None:
    """A workspace of an older schema (open read-only, so not yet upgraded) cannot be compared:
    say so rather than let a missing column read like a broken workbook."""
    if workspace.needs_upgrade:
        raise QmsrError(
            f"{workspace.path.name} was written by an older QMSR Ready and needs upgrading; "
            "open it once for writing (in the app, or import without --dry-run) to upgrade "
            "it, then try again; nothing was changed."
        )
