"""Expected failures, each carrying a message a site quality lead can act on.

The CLI prints ``message`` on one line and exits 2; the GUI shows it in one error dialog. Anything
that is not a ``QmsrError`` is a bug and is logged with its traceback.
"""

from __future__ import annotations

import datetime as dt


class QmsrError(Exception):
    """Base of every expected, user-facing failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAWorkspace(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """The path is missing, a folder, or a file that is not a QMSR Ready workspace."""


class WorkspaceLocked(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """Another window or process already has the workspace open for writing."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class WorkspaceReadOnly(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """A write was attempted on a workspace opened read-only."""


class WorkspaceReplaced(QmsrError):  # noqa: N818 (named like the others)
    """The open workspace file's name now leads to another file: no new connection is made."""


class WorkspaceClosed(QmsrError):  # noqa: N818 (named like the others)
    """A write was asked of a workspace already closed (its writer lock released)."""


class SchemaTooNew(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """The workspace was written by a newer QMSR Ready than this one."""


class SchemaMigrationFailed(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """Upgrading an older workspace failed; the file was left as it was."""


class InvalidInput(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """A service was given a value it cannot accept (unknown ID, empty title, bad choice)."""


class RevisionConflict(InvalidInput):
    """The record changed since the caller read it (optimistic concurrency check).

    ``who`` and ``when`` (an aware UTC datetime) name the latest change from the audit trail, so
    the GUI can say "changed by X at T"; ``current_revision`` is the stored revision now.
    """

    def __init__(
        self,
        message: str,
        *,
        who: str = "",
        when: dt.datetime | None = None,
        current_revision: int | None = None,
    ) -> None:
        super().__init__(message)
        self.who = who
        self.when = when
        self.current_revision = current_revision


class NotFound(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """A code (site, inspection, finding, evidence, question) does not exist."""


class InspectionLocked(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """The inspection is signed off and refuses changes until it is reopened."""


class InvalidTransition(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """A status change that the workflow does not allow (e.g. closing without a CAPA)."""


class TemplateInvalid(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """A checklist template failed validation."""


class ExportFailed(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """Writing an export (PDF, workbook) failed; no partial file was left behind."""


class Cancelled(QmsrError):  # noqa: N818 (names fixed by the API contract)
    """The user cancelled a long-running job."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
