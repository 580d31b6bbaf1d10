"""``AppContext.write_lean`` (the response autosave's transaction): it announces a write only
after its commit, response first, and says when a write was refused because the file was
replaced, whether the refusal came at the begin or from inside the block."""

from __future__ import annotations

import pytest

from qmsr_ready.core.errors import WorkspaceClosed, WorkspaceReplaced
from qmsr_ready.ui.context import AppContext


def _record(ctx: AppContext) -> list[tuple[str, ...]]:
    seen: list[tuple[str, ...]] = []
    ctx.response_recorded.connect(lambda code, qid: seen.append(("response", code, qid)))
    ctx.data_changed.connect(lambda kind, code: seen.append(("data", kind, code)))
    ctx.workspace_replaced.connect(lambda message: seen.append(("replaced", message)))
    return seen


def _write_then_raise(ctx: AppContext, error: Exception) -> None:
    with ctx.write_lean("response", "I-1", "Q-1") as owner:
        owner.info["touched"] = True
        raise error


def test_a_committed_write_is_announced_after_its_block(ctx: AppContext) -> None:
    seen = _record(ctx)
    with ctx.write_lean("response", "I-1", "Q-1"):
        assert seen == []
    assert seen == [("response", "I-1", "Q-1"), ("data", "response", "I-1")]
    with ctx.write_lean("site"):
        pass
    assert seen[-1] == ("data", "site", "")
    assert ctx.workspace is not None
    # one connection, kept for the next save (write_connection.KeptWriter), nothing more
    assert ctx.workspace.engine.pool.checkedout() == 1  # type: ignore[attr-defined]


def test_a_failed_write_is_not_announced_and_a_replaced_file_is_said(ctx: AppContext) -> None:
    seen = _record(ctx)
    with pytest.raises(KeyError):
        _write_then_raise(ctx, KeyError("boom"))
    assert seen == []
    with pytest.raises(WorkspaceReplaced):
        _write_then_raise(ctx, WorkspaceReplaced("the file was replaced while open"))
    assert seen == [("replaced", "the file was replaced while open")]
    assert ctx.workspace is not None
    assert ctx.workspace.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_no_workspace_is_refused(ctx: AppContext) -> None:
    workspace, ctx.workspace = ctx.workspace, None
    try:
        with pytest.raises(WorkspaceClosed, match="No workspace is open"), \
                ctx.write_lean("response"):
            pass
    finally:
        ctx.workspace = workspace
