"""An import or merge as ONE undo step: Edit ▸ Undo reads "Undo Import pack.xlsx (MI-2026-002)".

The first run goes through the core runner (``run_import`` / ``run_merge``): the plan is made
again from the file with the user's decisions, a backup is written, and everything is applied in
one write transaction with its audit event. Undo calls ``revert_exchange``, which refuses (and
says so) when a row it touched changed since. Redo runs the exchange again from the same file
with the same decisions, so a file changed in between is compared afresh, never applied blind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.exchange.plan import Choice, ConflictPolicy, FieldKey
from qmsr_ready.ui.commands.base import ErrorSink, ReadOnlyError, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.core.exchange.apply import AppliedExchange
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext

# What an exchange can change; every view that shows one of them refreshes after a run.
CHANGED_KINDS = ("response", "finding", "evidence")


def _applied_of(outcome: Any) -> AppliedExchange:
    """The ``AppliedExchange`` inside the runner's outcome (or the outcome itself)."""
    applied = getattr(outcome, "applied", outcome)
    if applied is None and getattr(outcome, "plan", None) is not None:
        raise QmsrError("Nothing to change: every difference is reported only (unknown or "
                        "deleted rows); the workspace was not touched.")
    if applied is None or not hasattr(applied, "writes"):
        raise TypeError(f"the exchange runner returned no applied record: {outcome!r}")
    return applied  # type: ignore[no-any-return]  # checked by hasattr just above


class ExchangeCommand(ServiceCommand):
    """Applies an import (or merge) through the runner; undo reverts it through core."""

    kind = "exchange"

    def __init__(
        self,
        ctx: AppContext,
        *,
        kind: str,
        path: str | Path,
        inspection_code: str,
        decisions: Mapping[FieldKey, Choice] | None = None,
        on_error: ErrorSink | None = None,
    ) -> None:
        from qmsr_ready.core.transfer.targets import is_server, short_name

        # A server URL stays a string (it may carry the password the user typed: kept in memory
        # for Redo only, never shown: the undo text names it without the password).
        self.path: str | Path = path if is_server(path) else Path(path)
        self.exchange_kind = kind  # "import" or "merge"
        verb = "Merge" if kind == "merge" else "Import"
        super().__init__(ctx, inspection_code, f"{verb} {short_name(self.path)}", on_error)
        self.decisions = dict(decisions or {})
        self.applied: AppliedExchange | None = None
        self.outcome: Any = None  # the runner's ImportOutcome of the last run (backup path …)

    def _run_exchange(self) -> Any:
        from qmsr_ready.core.exchange import runner

        workspace = self._ctx.workspace
        if workspace is None:
            raise ReadOnlyError("No workspace is open.")
        if self.exchange_kind == "merge":
            return runner.run_merge(
                workspace, self._ctx.actor, self.path, self._inspection_code,
                dry_run=False, policy=ConflictPolicy.FAIL, decisions=self.decisions,
            )
        return runner.run_import(
            workspace, self._ctx.actor, self.path,
            dry_run=False, policy=ConflictPolicy.FAIL, decisions=self.decisions,
        )

    # The runner and revert manage their own transaction (backup first, then one write).
    def apply(self, session: Session | None) -> None:
        self.outcome = self._run_exchange()
        self.applied = _applied_of(self.outcome)

    def revert(self, session: Session | None) -> None:
        from qmsr_ready.core.exchange.apply import revert_exchange

        workspace = self._ctx.workspace
        if self.applied is None or workspace is None:
            return
        with workspace.begin() as s:
            revert_exchange(s, self._ctx.actor, self.applied)

    def run_in_transaction(self, step: Callable[[Session], None]) -> None:
        if self._ctx.read_only:
            raise ReadOnlyError(
                "This workspace is open read-only, so nothing can be imported or merged into it."
            )
        step(None)  # type: ignore[arg-type]  # the step opens its own session
        for kind in CHANGED_KINDS:
            self._ctx.data_changed.emit(kind, self._inspection_code)
